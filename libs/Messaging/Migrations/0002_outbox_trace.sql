-- The W3C trace context of the transaction that wrote the row: the relay publishes inside it, so a
-- request and every event it caused are one trace.
alter table outbox_messages add column if not exists trace_parent text;
alter table outbox_messages add column if not exists trace_state text;
