-- Roles of ARCHITECTURE.md section 6. Roles are cluster-wide, so they are created only when missing;
-- passwords are set by the afterMigrate callback from placeholders, never written here.
--   ingest      writes telemetry and alerts (connectors, apps); cannot change the schema
--   viewer      reads everything (Grafana); cannot write
--   replicator  logical replication for Debezium
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ingest') THEN
        CREATE ROLE ingest LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'viewer') THEN
        CREATE ROLE viewer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') THEN
        CREATE ROLE replicator LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

-- The schemas telemetry and alerts are created by Flyway (createSchemas) before this runs.

-- Nobody but the owner creates objects in public (PostgreSQL < 15 allowed everyone).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
