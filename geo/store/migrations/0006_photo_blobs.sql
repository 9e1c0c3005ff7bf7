-- Guatu's PostGIS schema, version 6: the photos' files (geo/photos/blobs.py, PostgresBlobs).
--
-- photo_blobs  one row per photo and variant: the original as uploaded and the served JPEGs (full, preview,
--              thumb), named by the sha256 of the original. Rows are written once (INSERT … ON CONFLICT DO
--              NOTHING) and never changed; which photos a place has is its property `photos`, journaled
--              like every change. A row no place names is harmless (`store check` counts it as collectable).

CREATE TABLE photo_blobs (
    id         text        NOT NULL CHECK (id ~ '^[0-9a-f]{64}$'),
    variant    text        NOT NULL CHECK (variant IN ('original', 'full', 'preview', 'thumb')),
    content    bytea       NOT NULL,
    bytes      integer     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, variant)
);
ALTER TABLE photo_blobs ALTER COLUMN content SET STORAGE EXTERNAL;  -- JPEGs do not compress: no TOAST compression
