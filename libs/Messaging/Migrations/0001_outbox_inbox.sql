-- Events written in the same transaction as the change they describe; the relay publishes them in order.
create table if not exists outbox_messages (
    sequence      bigint generated always as identity primary key,
    id            uuid        not null unique,
    message_type  text        not null,
    body          jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz
);
create index if not exists outbox_messages_unpublished on outbox_messages (sequence) where published_at is null;

-- Messages a consumer has handled, recorded in the consumer's own transaction.
create table if not exists inbox_messages (
    message_id   uuid        not null,
    consumer     text        not null,
    handled_at   timestamptz not null default now(),
    primary key (message_id, consumer)
);
