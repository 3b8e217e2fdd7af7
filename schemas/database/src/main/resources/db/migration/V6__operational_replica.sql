-- The operational tables as replicated into the telemetry database from the ops.* CDC topics
-- (connectors/config/sink-ops-replica.json), for dashboard joins. In a deployment the operational
-- database is a separate server; the local stack keeps both in one, hence a schema of their own.
-- No foreign keys: replication applies each table's changes independently. __op and __source_ts_ms
-- say which change last touched the row and when it happened in the operational database.

CREATE SCHEMA IF NOT EXISTS ops_replica;

CREATE TABLE ops_replica.sites (
    site        text PRIMARY KEY,
    name        text NOT NULL,
    time_zone   text NOT NULL,
    latitude    double precision,
    longitude   double precision,
    updated_at  timestamptz NOT NULL,
    __op           text,
    __source_ts_ms bigint
);

CREATE TABLE ops_replica.devices (
    site        text NOT NULL,
    device      text NOT NULL,
    line        text,
    factory     text,
    building    text,
    floor       text,
    area        text,
    description text,
    updated_at  timestamptz NOT NULL,
    __op           text,
    __source_ts_ms bigint,
    PRIMARY KEY (site, device)
);

CREATE TABLE ops_replica.tags (
    site          text NOT NULL,
    device        text NOT NULL,
    tag           text NOT NULL,
    protocol      text NOT NULL,
    conn          text NOT NULL,
    unit_id       integer NOT NULL,
    address       text NOT NULL,
    type          text NOT NULL,
    scale         double precision NOT NULL,
    "offset"      double precision NOT NULL,
    period_ms     integer NOT NULL,
    unit          text,
    hi            double precision,
    lo            double precision,
    word_order    text NOT NULL,
    deadband      double precision,
    deadband_mode text,
    updated_at    timestamptz NOT NULL,
    __op           text,
    __source_ts_ms bigint,
    PRIMARY KEY (site, device, tag)
);

CREATE TABLE ops_replica.thresholds (
    rule_id              text PRIMARY KEY,
    site                 text NOT NULL,
    device               text NOT NULL,
    tag                  text NOT NULL,
    warning_high         double precision,
    warning_low          double precision,
    critical_high        double precision,
    critical_low         double precision,
    hysteresis           double precision NOT NULL,
    on_delay_ms          bigint NOT NULL,
    clear_delay_ms       bigint NOT NULL,
    stale_after_ms       bigint,
    bad_quality_after_ms bigint,
    enabled              boolean NOT NULL,
    updated_at           timestamptz NOT NULL,
    __op           text,
    __source_ts_ms bigint
);
