-- What each person uploaded each day (Paris time), files swept since included: the daily quota
-- counts uploads, not what is left of them.
create table upload_usage (
    owner_id  uuid not null,
    day       date not null,
    files     int not null,
    bytes     bigint not null,
    primary key (owner_id, day)
);
