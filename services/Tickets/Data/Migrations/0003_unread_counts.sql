-- Unread counts kept up to date as threads change, instead of counted over every thread at each ask.
--
-- A user's count is the threads with news for them (a message from the other side) less those they have
-- read past that news, among the threads they may see:
--   staff:  news of the shared staff counter (00000000-…) − caught_up of the user;
--   member: news of their company (threads in company mode) + news of the user (threads whose list names
--           them) − caught_up of the user.
-- Each thread's part of these counters is recomputed from its rows whenever its latest messages, a read
-- marker or its access list change (unread_refresh), and the difference is appended to unread_changes;
-- appending never waits for another writer. A background compaction folds the changes into unread_totals.

-- Whose marker it is tells which side's messages it reads past.
alter table read_markers add column side text check (side in ('member', 'staff'));
update read_markers r set side = case
    when exists (select 1 from messages m where m.author_id = r.user_id and m.author_side = 'staff')
        or exists (select 1 from tickets t where t.created_by = r.user_id and t.created_by_side = 'staff')
    then 'staff' else 'member' end;
alter table read_markers alter column side set not null;
create index read_markers_ticket on read_markers (ticket_id);

-- Each thread's part of the counters, as last recomputed.
create table unread_shares (
    ticket_id  uuid not null,
    owner_id   uuid not null,
    news       integer not null,
    caught_up  integer not null,
    primary key (ticket_id, owner_id)
);

create table unread_totals (
    owner_id   uuid primary key,
    news       bigint not null,
    caught_up  bigint not null
);

create table unread_changes (
    owner_id   uuid not null,
    news       integer not null,
    caught_up  integer not null
);
create index unread_changes_owner on unread_changes (owner_id);

-- The one definition of a thread's part, the same rule as TicketList.Unread and TicketAccess.VisibleTo.
create function unread_shares_of(p_ticket uuid)
returns table (owner_id uuid, news integer, caught_up integer)
language sql stable as $$
    with t as (
        select id, company_id, last_member_message_at as member_at, last_staff_message_at as staff_at
        from tickets where id = p_ticket),
    a as (
        select a.mode, a.creator_id, a.user_ids
        from ticket_access a join t on a.ticket_id = t.id and a.company_id = t.company_id)
    select '00000000-0000-0000-0000-000000000000'::uuid, 1, 0 from t where t.member_at is not null
    union all
    select readers.owner_id, 1, 0
    from t cross join a
    cross join lateral (
        select t.company_id as owner_id where a.mode = 'company'
        union
        select u from unnest(a.user_ids || a.creator_id) u where a.mode <> 'company') readers
    where t.staff_at is not null
    union all
    select r.user_id, 0, 1
    from t
    join read_markers r on r.ticket_id = t.id
    left join a on true
    where case r.side
        when 'staff' then r.read_at >= t.member_at
        else r.read_at >= t.staff_at
            and (a.mode = 'company' or a.creator_id = r.user_id or r.user_id = any(a.user_ids))
        end
$$;

-- PL/pgSQL rather than SQL: its plan is kept for the session instead of made again at every call. Only the
-- owners whose part changed are written, in place.
create function unread_refresh(p_ticket uuid) returns void
language plpgsql volatile as $$
begin
    with fresh as (
        select owner_id, sum(news)::integer as news, sum(caught_up)::integer as caught_up
        from unread_shares_of(p_ticket) group by owner_id),
    stored as (
        select owner_id, news, caught_up from unread_shares where ticket_id = p_ticket),
    difference as (
        select owner_id, sum(news)::integer as news, sum(caught_up)::integer as caught_up
        from (select owner_id, news, caught_up from fresh
              union all select owner_id, -news, -caught_up from stored) both_parts
        group by owner_id
        having sum(news) <> 0 or sum(caught_up) <> 0),
    kept as (
        insert into unread_shares as s (ticket_id, owner_id, news, caught_up)
        select p_ticket, owner_id, news, caught_up from difference
        on conflict (ticket_id, owner_id) do update
            set news = s.news + excluded.news, caught_up = s.caught_up + excluded.caught_up)
    insert into unread_changes (owner_id, news, caught_up)
    select owner_id, news, caught_up from difference;
end
$$;

-- Whatever changes a thread's part takes a per-thread lock before it writes, so that each refresh runs
-- after the previous one committed and sees its rows: two writers never both count the same news.
create function unread_take_turn() returns trigger
language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended(to_jsonb(new) ->> tg_argv[0], 0));
    return new;
end
$$;

create function unread_changed() returns trigger
language plpgsql as $$
begin
    perform unread_refresh((to_jsonb(new) ->> tg_argv[0])::uuid);
    return null;
end
$$;

create trigger tickets_unread_turn before update of last_member_message_at, last_staff_message_at on tickets
    for each row
    when (old.last_member_message_at is distinct from new.last_member_message_at
        or old.last_staff_message_at is distinct from new.last_staff_message_at)
    execute function unread_take_turn('id');
create trigger tickets_unread after update of last_member_message_at, last_staff_message_at on tickets
    for each row
    when (old.last_member_message_at is distinct from new.last_member_message_at
        or old.last_staff_message_at is distinct from new.last_staff_message_at)
    execute function unread_changed('id');

create trigger read_markers_unread_turn before insert or update on read_markers
    for each row execute function unread_take_turn('ticket_id');
create trigger read_markers_unread after insert or update on read_markers
    for each row execute function unread_changed('ticket_id');

create trigger ticket_access_unread_turn before insert or update on ticket_access
    for each row execute function unread_take_turn('ticket_id');
create trigger ticket_access_unread after insert or update on ticket_access
    for each row execute function unread_changed('ticket_id');

-- Recomputes every part and total from the rows (after a bulk load with the triggers off).
create function unread_rebuild() returns void
language sql volatile as $$
    delete from unread_shares;
    delete from unread_changes;
    delete from unread_totals;
    insert into unread_shares (ticket_id, owner_id, news, caught_up)
    select t.id, s.owner_id, sum(s.news), sum(s.caught_up)
    from tickets t cross join lateral unread_shares_of(t.id) s
    group by t.id, s.owner_id;
    insert into unread_totals (owner_id, news, caught_up)
    select owner_id, sum(news), sum(caught_up) from unread_shares group by owner_id;
$$;

select unread_rebuild();
