-- Guatu's PostGIS schema, version 7: items queries (OGC API – Features, /api bbox reads) answered in SQL.
--
-- guatu_instant(text)  a place's `updated_at` as a timestamptz when it is Guatu's UTC stamp
--                      (2026-11-24T08:00:00.000000Z), else NULL: what the embedded store's query index reads,
--                      so `datetime=` selects the same places in both stores. The text it accepts names its
--                      zone (Z) and has one fixed shape, so the cast never depends on the session's settings:
--                      declared IMMUTABLE for the index below.
-- features_updated     `datetime=` intervals and the temporal extent, per layer.
-- features_street, features_community, features_kind
--                      the plain property filters (?street=…) and the values a collection's description lists
--                      (status has its index since version 1).

CREATE FUNCTION guatu_instant(value text) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN value ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$' THEN value::timestamptz END;

CREATE INDEX features_updated ON features (layer, guatu_instant(properties ->> 'updated_at'));
CREATE INDEX features_street ON features (layer, (properties ->> 'street'));
CREATE INDEX features_community ON features (layer, (properties ->> 'community'));
CREATE INDEX features_kind ON features (layer, (properties ->> 'kind'));
