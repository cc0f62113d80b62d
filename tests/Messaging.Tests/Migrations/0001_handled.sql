create table handled_events (
    ticket_id   uuid not null,
    message_id  uuid not null
);
create table changes (
    ticket_id uuid primary key
);
