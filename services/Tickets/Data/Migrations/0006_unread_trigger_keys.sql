-- The unread-count triggers read the thread's id from the row itself rather than from the whole row turned into
-- JSON on every post and read (to_jsonb of a tickets row is most of a trigger's work).
create function unread_take_turn_of_ticket() returns trigger
language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended(new.id::text, 0));
    return new;
end
$$;

create function unread_changed_ticket() returns trigger
language plpgsql as $$
begin
    perform unread_refresh(new.id);
    return null;
end
$$;

create function unread_take_turn_of_thread_row() returns trigger
language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended(new.ticket_id::text, 0));
    return new;
end
$$;

create function unread_changed_thread_row() returns trigger
language plpgsql as $$
begin
    perform unread_refresh(new.ticket_id);
    return null;
end
$$;

drop trigger tickets_unread_turn on tickets;
drop trigger tickets_unread on tickets;
drop trigger read_markers_unread_turn on read_markers;
drop trigger read_markers_unread on read_markers;
drop trigger ticket_access_unread_turn on ticket_access;
drop trigger ticket_access_unread on ticket_access;
drop function unread_take_turn();
drop function unread_changed();

create trigger tickets_unread_turn before update of last_member_message_at, last_staff_message_at on tickets
    for each row
    when (old.last_member_message_at is distinct from new.last_member_message_at
        or old.last_staff_message_at is distinct from new.last_staff_message_at)
    execute function unread_take_turn_of_ticket();
create trigger tickets_unread after update of last_member_message_at, last_staff_message_at on tickets
    for each row
    when (old.last_member_message_at is distinct from new.last_member_message_at
        or old.last_staff_message_at is distinct from new.last_staff_message_at)
    execute function unread_changed_ticket();

create trigger read_markers_unread_turn before insert or update on read_markers
    for each row execute function unread_take_turn_of_thread_row();
create trigger read_markers_unread after insert or update on read_markers
    for each row execute function unread_changed_thread_row();

create trigger ticket_access_unread_turn before insert or update on ticket_access
    for each row execute function unread_take_turn_of_thread_row();
create trigger ticket_access_unread after insert or update on ticket_access
    for each row execute function unread_changed_thread_row();
