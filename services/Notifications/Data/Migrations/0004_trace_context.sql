-- The W3C trace context of the event each notification and e-mail came from: the live push and the
-- e-mail send are recorded in that story's trace.
alter table notifications add column trace_parent text;
alter table email_deliveries add column trace_parent text;
