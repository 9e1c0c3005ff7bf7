-- Guatu's PostGIS schema, version 3: login throttling counters shared by every app instance (geo/throttle.py).
--
-- login_limits  one fixed-window counter per key (an address, or an address and a user name, hashed);
--               expires_at is seconds since the epoch. Counted with one INSERT … ON CONFLICT … RETURNING.

CREATE TABLE login_limits (
    key        text             PRIMARY KEY,
    count      integer          NOT NULL,
    expires_at double precision NOT NULL
);
