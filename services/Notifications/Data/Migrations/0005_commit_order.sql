-- A live stream reads a person's notifications in the order their transactions began (tx, then
-- seq), and only those of transactions older than every one still running: identity numbers are
-- taken in one order and committed in another, and a stream that moved past seq 101 while seq 100
-- was still uncommitted would never send 100.
alter table notifications add column tx xid8 not null default pg_current_xact_id();
create index notifications_user_tx on notifications (user_id, tx, seq);
