create table preferences (
    user_id     uuid primary key,
    email       boolean not null,
    updated_at  timestamptz not null default now()
);
