-- The directory as Access announces it: who is staff, who belongs to which company, where to write.
create table directory_users (
    user_id       uuid primary key,
    email         text not null,
    display_name  text not null,
    role          text not null check (role in ('member', 'staff')),
    company_id    uuid,
    active        boolean not null default true,
    updated_at    timestamptz not null default now()
);
create index directory_users_company on directory_users (company_id) where role = 'member';
create index directory_users_staff on directory_users (role) where role = 'staff';

-- The threads as their TicketOpened events describe them.
create table threads (
    ticket_id   uuid primary key,
    number      bigint not null,
    title       text not null,
    company_id  uuid not null
);

-- One row per user told about one event; (source_event_id, user_id) makes a redelivery harmless.
-- seq orders a user's notifications: the list's keyset and the stream's Last-Event-ID.
create table notifications (
    seq              bigint generated always as identity primary key,
    id               uuid not null unique,
    user_id          uuid not null,
    kind             text not null,
    ticket_id        uuid not null,
    number           bigint not null,
    title            text not null,
    source_event_id  uuid not null,
    created_at       timestamptz not null,
    read_at          timestamptz,
    unique (source_event_id, user_id)
);
create index notifications_user on notifications (user_id, seq desc);
create index notifications_user_unread on notifications (user_id, seq desc) where read_at is null;

-- E-mails to send, sent once each; every attempt is kept.
create table email_deliveries (
    id               uuid primary key,
    notification_id  uuid not null references notifications (id),
    user_id          uuid not null,
    ticket_id        uuid not null,
    address          text not null,
    status           text not null default 'pending' check (status in ('pending', 'sent')),
    attempts         int not null default 0,
    next_attempt_at  timestamptz not null default now(),
    created_at       timestamptz not null default now(),
    sent_at          timestamptz
);
create index email_deliveries_due on email_deliveries (next_attempt_at) where status = 'pending';

create table email_attempts (
    id           bigint generated always as identity primary key,
    delivery_id  uuid not null references email_deliveries (id),
    at           timestamptz not null default now(),
    succeeded    boolean not null,
    error        text
);
create index email_attempts_delivery on email_attempts (delivery_id);

-- The last e-mail per thread and user, for the quiet period.
create table email_quiet (
    user_id       uuid not null,
    ticket_id     uuid not null,
    last_email_at timestamptz not null,
    primary key (user_id, ticket_id)
);
