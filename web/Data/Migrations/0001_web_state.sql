-- What the web front end would otherwise hold in one process's memory, so that any instance (or a restarted one)
-- carries on where another left off.

-- Server-side sessions: the cookie holds a random key, kept here only as its SHA-256; the authentication ticket
-- (with the person's API token) is encrypted with Data Protection.
create table sessions (
    key_hash    text primary key,
    session_id  text,
    ticket      bytea not null,
    expires_at  timestamptz not null
);
create index sessions_session on sessions (session_id);
create index sessions_expiry on sessions (expires_at);

-- What a person is typing, encrypted the same way; a newer text never loses to an older one written late.
create table drafts (
    user_id     uuid not null,
    form        text not null,
    -- Null once cleared (sent, or emptied).
    body        bytea,
    updated_at  timestamptz not null,
    primary key (user_id, form)
);

-- Data Protection's key ring, shared by every instance.
create table data_protection_keys (
    name        text primary key,
    xml         text not null,
    created_at  timestamptz not null default now()
);
