create extension if not exists unaccent;

-- French stemming on unaccented, lower-cased words: « controle » finds « contrôle ».
create text search configuration french_unaccent (copy = french);
alter text search configuration french_unaccent
    alter mapping for hword, hword_part, word with unaccent, french_stem;
