create table companies (
    id    uuid primary key,
    name  text not null
);

create table users (
    id               uuid primary key,
    email            text not null,
    display_name     text not null,
    role             text not null check (role in ('member', 'staff')),
    company_id       uuid references companies (id),
    password_hash    text not null,
    failed_sign_ins  int not null default 0,
    locked_until     timestamptz,
    check ((role = 'member') = (company_id is not null))
);
create unique index users_email on users (lower(email));
create index users_company on users (company_id, display_name);

-- Token signing keys: the newest signs, the one before it still validates (rotation).
create table signing_keys (
    kid          text primary key,
    algorithm    text not null,
    private_key  text not null,
    created_at   timestamptz not null default now()
);
