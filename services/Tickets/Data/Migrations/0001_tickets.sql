create sequence ticket_numbers start 1001;

create table tickets (
    id                uuid primary key,
    number            bigint not null unique default nextval('ticket_numbers'),
    company_id        uuid not null,
    subject_code      text not null,
    title             text not null,
    created_by        uuid not null,
    created_by_side   text not null check (created_by_side in ('member', 'staff')),
    status            text not null default 'open' check (status in ('open', 'closed')),
    created_at        timestamptz not null,
    last_activity_at  timestamptz not null,
    -- The latest message of each side: what "unread" is computed from, without reading messages.
    last_member_message_at  timestamptz,
    last_staff_message_at   timestamptz,
    -- The latest message: what "action required" is computed from.
    last_message_side            text,
    last_message_requires_reply  boolean not null default false,
    -- Title and every message body, for full-text search in French, insensitive to accents and case.
    search            tsvector not null default ''::tsvector,
    -- The latest closure, kept after a reopening only until the next one.
    closed_by         uuid,
    closed_by_name    text,
    closed_by_side    text check (closed_by_side in ('member', 'staff')),
    closure_reason    text,
    closure_message   text,
    closed_at         timestamptz
);
create index tickets_activity on tickets (last_activity_at desc, id desc);
create index tickets_search on tickets using gin (search);
create index tickets_company_activity on tickets (company_id, last_activity_at desc, id desc);

create table messages (
    id              uuid primary key,
    ticket_id       uuid not null references tickets (id),
    author_id       uuid not null,
    author_name     text not null,
    author_side     text not null check (author_side in ('member', 'staff')),
    body            text not null,
    requires_reply  boolean not null default false,
    attachment_ids  uuid[] not null default '{}',
    attachments     jsonb not null default '[]',
    created_at      timestamptz not null
);
create index messages_ticket on messages (ticket_id, created_at, id);

-- When each user last read each thread; a thread is unread while the other side wrote after it.
create table read_markers (
    ticket_id  uuid not null references tickets (id),
    user_id    uuid not null,
    read_at    timestamptz not null,
    primary key (user_id, ticket_id)
);
