-- Who downloaded which file of which thread when (HDS traceability, the files' part of the read trail). Kept for
-- the configured period, then deleted by the retention pass; never edited.
create table downloads (
    id             bigint generated always as identity primary key,
    attachment_id  uuid not null,
    ticket_id      uuid not null,
    user_id        uuid not null,
    user_name      text not null,
    side           text not null check (side in ('member', 'staff')),
    -- The reader's company (null for staff): a member is shown their own company's lines.
    company_id     uuid,
    at             timestamptz not null
);
create index downloads_ticket on downloads (ticket_id, at desc, id desc);
create index downloads_at on downloads (at);

create function read_trail_is_not_edited() returns trigger language plpgsql as $$
begin
    raise exception 'the read trail is never edited';
end $$;
create trigger downloads_not_edited before update or truncate on downloads
    for each statement execute function read_trail_is_not_edited();
