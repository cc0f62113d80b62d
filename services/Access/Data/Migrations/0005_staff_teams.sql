-- The teams a staff member works in (codes of Tickets' configured teams); routing data, staff only.
create table staff_teams (
    user_id  uuid not null references users (id),
    team     text not null,
    primary key (user_id, team)
);
