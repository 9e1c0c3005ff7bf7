-- Guatu's PostGIS schema, version 9: places found by name in SQL (geo/name_search.py; GET /api/layers/{layer}/search).
--
-- guatu_name_key(text)  a name's normal form, as geo/name_search.py `name_key` and the pages' search boxes make it:
--                       NFKC (full-width letters and digits become the plain ones), lower case (A–Z only: the C
--                       locale's), and spaces, dots, dashes, brackets and quotes dropped. NFKC and the pattern do
--                       not depend on the session: declared IMMUTABLE for the column below.
-- name_key              guatu_name_key(properties ->> 'name'), kept by PostgreSQL on every write (a generated
--                       column): a search reads one narrow column instead of normalising every name it passes.
--
-- Adding the column rewrites the table once (about half a minute per million places).

CREATE FUNCTION guatu_name_key(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(lower(normalize(coalesce(value, ''), NFKC)), '[\s·・\-—–_()()【】\[\]"“”''‘’]', '', 'g')
$$;

ALTER TABLE features
    ADD COLUMN name_key text GENERATED ALWAYS AS (guatu_name_key(properties ->> 'name')) STORED;
