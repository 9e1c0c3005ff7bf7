-- Guatu's PostGIS schema, version 3: ids are never given twice.
--
-- id_counters  per layer and id prefix, the highest number ever given to an id `<prefix>-<digits>` (e.g. c-0042)
--              and the widest digits. A create takes the next number and counts its id here in the same
--              transaction, so a deleted place's id is never given to another place: an old ETag ("c-0042-v3"),
--              a link or a revert can never reach a different place. rebuild_id_counters() counts them again from
--              every id the places and the journal name (run here, and by `store copy` into PostGIS).

CREATE TABLE id_counters (
    layer  text    NOT NULL,
    prefix text    NOT NULL,
    top    numeric NOT NULL,
    width  integer NOT NULL,
    PRIMARY KEY (layer, prefix)
);

CREATE FUNCTION rebuild_id_counters() RETURNS void LANGUAGE sql AS $$
    INSERT INTO id_counters (layer, prefix, top, width)
    SELECT layer, m[1], max(m[2]::numeric), max(length(m[2])) FROM (
        SELECT layer, regexp_match(id, '^(.*)-([0-9]+)$') AS m FROM (
            SELECT layer, id FROM features UNION SELECT DISTINCT layer, id FROM journal) ids) x
    WHERE m IS NOT NULL
    GROUP BY layer, m[1]
    ON CONFLICT (layer, prefix) DO UPDATE SET top = greatest(id_counters.top, excluded.top),
                                              width = greatest(id_counters.width, excluded.width);
$$;

SELECT rebuild_id_counters();
