-- Guatu's PostGIS schema, version 3: where `store repair` moves damaged rows instead of deleting them.
--
-- damaged_features  a row of `features` that disagreed with the journal (missing from it, another version,
--                   other content), as it was, with when and why it was moved; the row itself is rebuilt
--                   from the journal's after-image. Nothing here is read by the app: it is for people.

CREATE TABLE damaged_features (
    moved_at    timestamptz NOT NULL DEFAULT now(),
    reason      text        NOT NULL,
    layer       text        NOT NULL,
    id          text        NOT NULL,
    pos         bigint,
    version     integer,
    seq         bigint,
    geom        geometry(Geometry, 4326),
    properties  jsonb,
    feature     json
);
CREATE INDEX damaged_features_place ON damaged_features (layer, id, moved_at);
