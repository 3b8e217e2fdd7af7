-- Runs before every migrate. TimescaleDB belongs in public, where every role's search_path (Grafana's
-- viewer included) finds time_bucket and the job procedures: Flyway puts "telemetry" first in the
-- search_path while migrating, so V4's bare CREATE EXTENSION would install it there. Found when the
-- TimescaleDB branch was first run (TimescaleDB 2.28.3 on PostgreSQL 15, built from source).
-- A database set up on plain PostgreSQL stays plain when the extension appears later: turning its tables
-- into hypertables is a data migration for an operator, not something to do on a restart.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'timescaledb')
       AND NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'timescaledb') THEN
        IF to_regclass('telemetry.readings') IS NOT NULL THEN
            RAISE NOTICE 'timescaledb is available, but this database was set up without it: its tables stay plain';
        ELSIF current_setting('shared_preload_libraries') NOT LIKE '%timescaledb%' THEN
            RAISE EXCEPTION 'the timescaledb extension is installed but not loaded: add timescaledb to shared_preload_libraries '
                'in postgresql.conf and restart PostgreSQL (or remove the extension to run on plain PostgreSQL)';
        ELSE
            CREATE EXTENSION timescaledb WITH SCHEMA public;
        END IF;
    END IF;
END
$$;
