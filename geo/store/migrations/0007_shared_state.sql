-- Guatu's PostGIS schema, version 7: the state every app instance must agree on (geo/store/shared_state.py).
--
-- accounts        one row: the accounts document (users with their roles, scopes, password hashes and the
--                 digests of their live sessions; API tokens and display links, as digests), exactly the JSON
--                 of the embedded deployment's accounts.json. `version` grows with every write: each process
--                 reads the body again only when it changed. Writers take turns under an advisory lock.
-- app_keys        keys made once and shared: the session signing key (`session`), so a cookie signed by one
--                 instance is good on every other.
-- import_previews an import's preview between its two steps (upload → confirm), so the confirmation may reach
--                 another instance than the upload; dropped when committed or a day old.

CREATE TABLE accounts (
    id         integer     PRIMARY KEY CHECK (id = 1),
    version    bigint      NOT NULL,
    body       jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_keys (
    name       text        PRIMARY KEY,
    value      bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_previews (
    id         text             PRIMARY KEY,
    username   text             NOT NULL,
    created    double precision NOT NULL,  -- seconds since the epoch, as the previews' files keep it
    body       bytea            NOT NULL   -- the preview's JSON, as the file holds it
);
CREATE INDEX import_previews_created ON import_previews (created);
