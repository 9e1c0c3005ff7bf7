-- Guatu's PostGIS schema, version 2: records kept beside the layers (the daily inspection lists).
--
-- records  one small JSON document per (kind, key), e.g. ('inspections', '2026-11-24'): the text exactly as
--          the embedded store writes its `<kind>/<key>.json` file, so copies both ways keep the bytes.

CREATE TABLE records (
    kind       text        NOT NULL,
    key        text        NOT NULL,
    body       text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, key)
);
