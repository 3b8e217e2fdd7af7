-- With TimescaleDB: the hourly aggregates get the policies V4 gave the 1-minute ones, compression
-- (segmented by site, device, tag, as V4 does for every compressed table; its header says "by tag") after
-- ${compress_after_days} days and retention of ${aggregates_retention_days} days. Alert history
-- (alerts.events) is kept without a retention policy: it is small and it is the audit trail.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_extension WHERE extname = 'timescaledb') THEN
        IF EXISTS (SELECT FROM timescaledb_information.hypertables
                   WHERE hypertable_schema = 'telemetry' AND hypertable_name = 'agg_1h') THEN
            EXECUTE 'ALTER TABLE telemetry.agg_1h SET (timescaledb.compress, timescaledb.compress_segmentby = ''site, device, tag'', timescaledb.compress_orderby = ''window_start DESC'')';
            PERFORM add_compression_policy('telemetry.agg_1h', interval '${compress_after_days} days', if_not_exists => true);
            PERFORM add_retention_policy('telemetry.agg_1h', interval '${aggregates_retention_days} days', if_not_exists => true);
        END IF;
    END IF;
END
$$;
