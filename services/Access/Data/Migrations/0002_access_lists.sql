create table ticket_access (
    ticket_id   uuid primary key,
    company_id  uuid not null,
    creator_id  uuid not null,
    mode        text not null check (mode in ('company', 'restricted')),
    user_ids    uuid[] not null,
    version     bigint not null,
    updated_at  timestamptz not null default now()
);

create table ticket_access_history (
    id          bigint generated always as identity primary key,
    ticket_id   uuid not null,
    at          timestamptz not null default now(),
    by_user_id  uuid not null,
    before      jsonb,
    after       jsonb not null
);
create index ticket_access_history_ticket on ticket_access_history (ticket_id, id);
