-- Local projection of Access's lists, so that a service filters what a reader may see in the same query.
create table if not exists ticket_access (
    ticket_id   uuid primary key,
    company_id  uuid not null,
    creator_id  uuid not null,
    mode        text not null,
    user_ids    uuid[] not null,
    version     bigint not null
);
create index if not exists ticket_access_users on ticket_access using gin (user_ids);
