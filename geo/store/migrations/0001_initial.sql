-- Guatu's PostGIS schema, version 1: one campaign per schema (the runner sets search_path).
--
-- features   the current places: the exact GeoJSON Guatu validated (`feature`, json keeps its text and key
--            order, so reads give the same bytes as the embedded store's layer files), the geometry for
--            spatial queries (GiST index) and the properties as jsonb for SQL and desktop GIS.
-- journal    every change, written in the same transaction as the feature it changes; revision(),
--            changes_since() and history() read it, so every app instance sees every change.
-- layer_heads  per layer, the last change (what the embedded store keeps in each layer file's header).

CREATE SEQUENCE feature_pos;

CREATE TABLE features (
    layer       text    NOT NULL,
    id          text    NOT NULL,
    pos         bigint  NOT NULL DEFAULT nextval('feature_pos'),  -- creation order: reads list features in it
    version     integer NOT NULL CHECK (version >= 1),
    seq         bigint  NOT NULL,                                  -- the change that wrote this row
    geom        geometry(Geometry, 4326),
    properties  jsonb   NOT NULL,
    feature     json    NOT NULL,
    PRIMARY KEY (layer, id)
);
CREATE UNIQUE INDEX features_layer_pos ON features (layer, pos);
CREATE INDEX features_geom ON features USING gist (geom);
CREATE INDEX features_status ON features (layer, (properties ->> 'status'));

CREATE TABLE journal (
    seq              bigint      PRIMARY KEY,
    at               timestamptz NOT NULL,
    "user"           text        NOT NULL,
    op               text        NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    layer            text        NOT NULL,
    id               text        NOT NULL,
    version          integer     NOT NULL,
    before           json,
    after            json,
    -- what a wall screen's poll needs, derived from before/after when the change is written
    status           text,
    status_before    text,
    geometry_changed boolean     NOT NULL,
    changed          text[]      NOT NULL DEFAULT '{}'
);
CREATE INDEX journal_feature ON journal (layer, id, seq);
CREATE INDEX journal_layer_seq ON journal (layer, seq);

CREATE TABLE layer_heads (
    layer text   PRIMARY KEY,
    seq   bigint NOT NULL
);
