-- Sign-in attempts are paid from token buckets (per account, per client address, per trusted
-- device) instead of locking an account that anyone could lock by guessing wrong.
alter table users drop column failed_sign_ins;
alter table users drop column locked_until;

create table sign_in_budgets (
    key         text primary key,
    tokens      double precision not null,
    updated_at  timestamptz not null
);
create index sign_in_budgets_updated on sign_in_budgets (updated_at);
