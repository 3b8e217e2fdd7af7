-- On plain PostgreSQL, time_bucket (V4) becomes a SQL function over date_bin: the same buckets (aligned to
-- TimescaleDB's default origin, Monday 2000-01-03 UTC), but inlined by the planner instead of a PL/pgSQL
-- call per row (about 6 us each: 4.5 s against 0.26 s for 720,000 rows in the dashboard benchmark).
-- date_bin refuses month and year widths and non-positive ones, as V4 did. With TimescaleDB, its own
-- time_bucket stays.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        EXECUTE $fn$
            CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamptz)
            RETURNS timestamptz
            LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
            AS $body$ SELECT date_bin(bucket_width, ts, timestamptz '2000-01-03 00:00:00+00') $body$
        $fn$;
    END IF;
END
$$;
