-- Guatu's PostGIS schema, version 7: items queries (OGC API – Features, /api counts) answered in SQL.
--
-- guatu_instant(text)  a place's `updated_at` as a timestamptz when it is Guatu's UTC stamp
--                      (2026-11-24T08:00:00.000000Z), else NULL: what the embedded store's query index reads.
--                      The text it accepts names its zone (Z) and has one fixed shape, so the cast never
--                      depends on the session's settings: declared IMMUTABLE for the column below.
-- status, street, community, kind
--                      the place's property of that name when it is a JSON string, else NULL; kept by
--                      PostgreSQL on every write (generated columns), so filters and counts read an index and
--                      a narrow column instead of unpacking each row's properties. Desktop GIS see them too.
-- updated_at           guatu_instant(properties ->> 'updated_at'): `datetime=` and the temporal extent.
--
-- Adding the columns rewrites the table once (about a minute per million places).

CREATE FUNCTION guatu_instant(value text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT CASE WHEN value ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$' THEN value::timestamptz END
$$;

ALTER TABLE features
    ADD COLUMN status text GENERATED ALWAYS AS (
        CASE WHEN jsonb_typeof(properties -> 'status') = 'string' THEN properties ->> 'status' END) STORED,
    ADD COLUMN street text GENERATED ALWAYS AS (
        CASE WHEN jsonb_typeof(properties -> 'street') = 'string' THEN properties ->> 'street' END) STORED,
    ADD COLUMN community text GENERATED ALWAYS AS (
        CASE WHEN jsonb_typeof(properties -> 'community') = 'string' THEN properties ->> 'community' END) STORED,
    ADD COLUMN kind text GENERATED ALWAYS AS (
        CASE WHEN jsonb_typeof(properties -> 'kind') = 'string' THEN properties ->> 'kind' END) STORED,
    ADD COLUMN updated_at timestamptz GENERATED ALWAYS AS (guatu_instant(properties ->> 'updated_at')) STORED;

DROP INDEX features_status;  -- version 1's expression index: the column's index below answers instead
CREATE INDEX features_status ON features (layer, status);
CREATE INDEX features_street ON features (layer, street);
CREATE INDEX features_community ON features (layer, community);
CREATE INDEX features_kind ON features (layer, kind);
CREATE INDEX features_updated ON features (layer, updated_at);
