-- Staff work on a thread: routing, the first-response target, reply templates and the read trail. All of it is
-- staff-only data except a member's own company's reads; none of it is activity of the thread.
alter table tickets
    add column team               text,
    add column assignee_id        uuid,
    add column assignee_name      text,
    -- When a member-opened thread should have had the service's first answer (null for staff-opened threads).
    add column due_at             timestamptz,
    add column first_response_at  timestamptz;

-- Threads opened before teams existed go to their subject's team of the defaults (docs/API.md); none is late.
update tickets set team = case
    when subject_code in ('rendez-vous', 'convocation') then 'planification'
    when subject_code in ('facturation', 'documents') then 'gestion'
    else 'accueil' end;
update tickets t set first_response_at = (
    select min(m.created_at) from messages m where m.ticket_id = t.id and m.author_side = 'staff')
where t.created_by_side = 'member';
alter table tickets alter column team set not null;

create index tickets_team_activity on tickets (team, last_activity_at desc, id desc);
create index tickets_assignee_activity on tickets (assignee_id, last_activity_at desc, id desc);
create index tickets_awaiting_answer on tickets (due_at) where status = 'open' and first_response_at is null;
create index tickets_closed_at on tickets (closed_at) where status = 'closed';
create index tickets_created_at on tickets (created_at);

create table reply_templates (
    id          uuid primary key,
    team        text not null,
    title       text not null,
    body        text not null,
    updated_by  uuid not null,
    updated_at  timestamptz not null
);
create index reply_templates_team on reply_templates (team, title, id);

-- Who opened which thread when (HDS traceability). Kept for the configured period, then deleted by the retention
-- pass; never edited.
create table thread_reads (
    id          bigint generated always as identity primary key,
    ticket_id   uuid not null references tickets (id),
    user_id     uuid not null,
    user_name   text not null,
    side        text not null check (side in ('member', 'staff')),
    -- The reader's company (null for staff): a member is shown their own company's reads only.
    company_id  uuid,
    at          timestamptz not null
);
create index thread_reads_ticket on thread_reads (ticket_id, at desc, id desc);
create index thread_reads_reader on thread_reads (user_id, ticket_id, at desc);
create index thread_reads_at on thread_reads (at);

create function read_trail_is_not_edited() returns trigger language plpgsql as $$
begin
    raise exception 'the read trail is never edited';
end $$;
create trigger thread_reads_not_edited before update or truncate on thread_reads
    for each statement execute function read_trail_is_not_edited();
