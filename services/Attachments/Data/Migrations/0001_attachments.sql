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
