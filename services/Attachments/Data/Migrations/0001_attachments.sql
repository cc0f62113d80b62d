create table attachments (
    id            uuid primary key,
    owner_id      uuid not null,
    file_name     text not null,
    content_type  text not null,
    size          bigint not null,
    sha256        text not null,
    scan_state    text not null check (scan_state in ('pending', 'clean', 'rejected')),
    ticket_id     uuid,
    message_id    uuid,
    created_at    timestamptz not null default now()
);
create index attachments_orphans on attachments (created_at) where ticket_id is null;
create index attachments_ticket on attachments (ticket_id);

-- Local projection of Access's lists (see Tickets), to decide downloads of bound files.
create table ticket_access (
    ticket_id   uuid primary key,
    company_id  uuid not null,
    creator_id  uuid not null,
    mode        text not null,
    user_ids    uuid[] not null,
    version     bigint not null
);
