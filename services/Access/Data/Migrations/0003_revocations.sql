-- A deactivated person cannot sign in; their tokens issued until then are revoked.
alter table users add column deactivated_at timestamptz;

-- Tokens and people whose tokens stop working before they expire, until they would have expired anyway.
create table revocations (
    id             bigint generated always as identity primary key,
    user_id        uuid not null,
    token_id       uuid,
    issued_before  timestamptz not null,
    expires_at     timestamptz not null
);
create unique index revocations_token on revocations (token_id) where token_id is not null;
create index revocations_expiry on revocations (expires_at);
