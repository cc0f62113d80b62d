-- Every open live stream, whichever instance holds it, so that one person holds at most a few:
-- opening one more closes their oldest (the instance holding it hears so through NOTIFY).
create table live_streams (
    id         uuid primary key,
    user_id    uuid not null,
    opened_at  timestamptz not null
);
create index live_streams_user on live_streams (user_id, opened_at desc);
