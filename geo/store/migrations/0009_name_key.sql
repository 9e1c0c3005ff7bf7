-- Guatu's PostGIS schema, version 9: places found by name in SQL (geo/name_search.py; GET /api/layers/{layer}/search).
--
-- guatu_name_key(text)  a name's normal form, as geo/name_search.py `name_key` and the pages' search boxes make it:
--                       NFKC (full-width letters and digits become the plain ones), lower case (A–Z only: collation
--                       "C", whatever the database's locale, so the value never depends on the system's locale
--                       library), and spaces, middle dots, dashes, underscores, brackets and quotes dropped.
--                       Declared IMMUTABLE for the column below; a later change of it must recompute the column.
--                       normalize() needs PostgreSQL 13 or later and a UTF8 database (as Guatu's Chinese text does).
-- name_key              guatu_name_key(properties ->> 'name'), kept by PostgreSQL on every write (a generated
--                       column): a search reads one narrow column instead of normalising every name it passes.
--
-- Adding the column rewrites the table once, under an exclusive lock on it (about half a minute per million
-- places, with room on disk for the table and its indexes once more): at a million places, run
-- `flask --app web store migrate` before the new version starts serving (README, "Production").

CREATE FUNCTION guatu_name_key(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(lower(normalize(coalesce(value, ''), NFKC) COLLATE "C"), '[\s·・\-—–_()()【】\[\]"“”''‘’]', '', 'g')
$$;

ALTER TABLE features
    ADD COLUMN name_key text GENERATED ALWAYS AS (guatu_name_key(properties ->> 'name')) STORED;
