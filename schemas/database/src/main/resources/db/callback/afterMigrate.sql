-- Runs after every migrate, so new tables get their grants and role passwords follow the deployment's
-- secrets (placeholders; never stored in the repository).
ALTER ROLE ingest PASSWORD '${ingest_password}';
ALTER ROLE viewer PASSWORD '${viewer_password}';
ALTER ROLE replicator PASSWORD '${replicator_password}';

GRANT CONNECT ON DATABASE "${database}" TO ingest, viewer, replicator;
GRANT USAGE ON SCHEMA telemetry, alerts TO ingest, viewer;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA telemetry, alerts TO ingest;
GRANT SELECT ON ALL TABLES IN SCHEMA telemetry, alerts TO viewer;

GRANT USAGE ON SCHEMA ops TO viewer, replicator;
GRANT SELECT ON ALL TABLES IN SCHEMA ops TO viewer, replicator;

-- the replica follows the operational database, deletes included
GRANT USAGE ON SCHEMA ops_replica TO ingest, viewer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ops_replica TO ingest;
GRANT SELECT ON ALL TABLES IN SCHEMA ops_replica TO viewer;
