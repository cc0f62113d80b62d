-- Every kind of token folds accents and case: « batiment2026 » finds « bâtiment2026 ».
alter text search configuration french_unaccent
    alter mapping for numword, numhword, hword_numpart, email, url, host, url_path, file with unaccent, simple;

-- One vector per message, each with its own GIN index, instead of one per thread that grew with
-- every message until PostgreSQL's 1 MB limit refused the next one. The opening message carries
-- the thread's title as well, so a search is one semi-join over messages.
alter table messages add column search tsvector;
update messages m set search =
    case when m.id = opening.id then setweight(to_tsvector('french_unaccent', t.title), 'A') else ''::tsvector end
    || to_tsvector('french_unaccent', m.body)
from tickets t
cross join lateral (select f.id from messages f where f.ticket_id = t.id order by f.created_at, f.id limit 1) opening
where m.ticket_id = t.id;
update messages set search = to_tsvector('french_unaccent', body) where search is null;
alter table messages alter column search set not null;
create index messages_search on messages using gin (search);
-- Many words are rare (a reference, a name): with more of the most common words sampled, the planner
-- sees that a rare one matches few messages and starts from this index rather than from the newest threads.
alter table messages alter column search set statistics 1000;

drop index tickets_search;
alter table tickets drop column search;
