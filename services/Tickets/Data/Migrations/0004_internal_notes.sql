-- Internal notes: staff-only text on a thread. Apart from messages on purpose: nothing that reads messages (the
-- thread view, lists, previews, search, events, notifications) can reach a note.
create table notes (
    id           uuid primary key,
    ticket_id    uuid not null references tickets (id),
    author_id    uuid not null,
    author_name  text not null,
    body         text not null,
    created_at   timestamptz not null
);
create index notes_ticket on notes (ticket_id, created_at, id);
