-- TimescaleDB when the extension is available: hypertables with 1-day chunks, compression segmented by
-- tag after ${compress_after_days} days, retention of raw readings ${readings_retention_days} days and of
-- aggregates ${aggregates_retention_days} days. On plain PostgreSQL the tables stay plain and a
-- time_bucket(interval, timestamptz) with TimescaleDB's semantics is provided, so dashboard SQL runs on both.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;

        PERFORM create_hypertable('telemetry.readings', 'ts', chunk_time_interval => interval '1 day', if_not_exists => true);
        PERFORM create_hypertable('telemetry.agg_1m', 'window_start', chunk_time_interval => interval '1 day', if_not_exists => true);
        PERFORM create_hypertable('telemetry.agg_1h', 'window_start', chunk_time_interval => interval '30 days', if_not_exists => true);
        PERFORM create_hypertable('alerts.events', 'ts', chunk_time_interval => interval '7 days', if_not_exists => true);

        EXECUTE 'ALTER TABLE telemetry.readings SET (timescaledb.compress, timescaledb.compress_segmentby = ''site, device, tag'', timescaledb.compress_orderby = ''ts DESC'')';
        EXECUTE 'ALTER TABLE telemetry.agg_1m SET (timescaledb.compress, timescaledb.compress_segmentby = ''site, device, tag'', timescaledb.compress_orderby = ''window_start DESC'')';
        PERFORM add_compression_policy('telemetry.readings', interval '${compress_after_days} days', if_not_exists => true);
        PERFORM add_compression_policy('telemetry.agg_1m', interval '${compress_after_days} days', if_not_exists => true);

        PERFORM add_retention_policy('telemetry.readings', interval '${readings_retention_days} days', if_not_exists => true);
        PERFORM add_retention_policy('telemetry.agg_1m', interval '${aggregates_retention_days} days', if_not_exists => true);
    ELSE
        -- Same result as TimescaleDB's time_bucket for fixed-width intervals: buckets aligned to its
        -- default origin, Monday 2000-01-03 UTC (for widths that divide a day this is epoch alignment).
        EXECUTE $fn$
            CREATE OR REPLACE FUNCTION public.time_bucket(bucket_width interval, ts timestamptz)
            RETURNS timestamptz
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $body$
            DECLARE
                width_s double precision := extract(epoch FROM bucket_width);
                origin timestamptz := timestamptz '2000-01-03 00:00:00+00';
            BEGIN
                IF extract(month FROM bucket_width) <> 0 OR extract(year FROM bucket_width) <> 0 THEN
                    RAISE EXCEPTION 'time_bucket: month and year widths are not supported without TimescaleDB (got %)', bucket_width;
                END IF;
                IF width_s <= 0 THEN
                    RAISE EXCEPTION 'time_bucket: bucket width must be positive (got %)', bucket_width;
                END IF;
                RETURN origin + floor(extract(epoch FROM ts - origin) / width_s) * bucket_width;
            END
            $body$
        $fn$;
    END IF;
END
$$;
