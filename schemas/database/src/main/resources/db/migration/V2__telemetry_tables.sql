-- Readings and aggregates. The natural key (site, device, tag, time) is a unique index with time
-- descending: it is the upsert target of the sink (a redelivered record updates, never duplicates)
-- and serves "latest values of a tag" without a sort.

CREATE TABLE telemetry.readings (
    site        text             NOT NULL,
    device      text             NOT NULL,
    tag         text             NOT NULL,
    ts          timestamptz      NOT NULL,
    line        text,
    value       double precision,
    unit        text,
    quality     text             NOT NULL CHECK (quality IN ('GOOD', 'UNCERTAIN', 'BAD')),
    origin      text             NOT NULL DEFAULT 'MEASURED' CHECK (origin IN ('MEASURED', 'IMPUTED')),
    imputation  text             CHECK (imputation IN ('LOCF', 'LINEAR')),
    source      text             NOT NULL,
    ingested_at timestamptz      NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX readings_natural_key ON telemetry.readings (site, device, tag, ts DESC);

CREATE TABLE telemetry.agg_1m (
    site          text             NOT NULL,
    device        text             NOT NULL,
    tag           text             NOT NULL,
    window_start  timestamptz      NOT NULL,
    window_end    timestamptz      NOT NULL,
    line          text,
    count         bigint           NOT NULL,
    imputed_count bigint           NOT NULL,
    bad_count     bigint           NOT NULL DEFAULT 0,
    min           double precision,
    max           double precision,
    sum           double precision NOT NULL,
    avg           double precision,
    first         double precision,
    last          double precision,
    stddev        double precision,
    twa           double precision,
    unit          text,
    ingested_at   timestamptz      NOT NULL DEFAULT now(),
    CHECK (window_end > window_start)
);
CREATE UNIQUE INDEX agg_1m_natural_key ON telemetry.agg_1m (site, device, tag, window_start DESC);

CREATE TABLE telemetry.agg_1h (LIKE telemetry.agg_1m INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE UNIQUE INDEX agg_1h_natural_key ON telemetry.agg_1h (site, device, tag, window_start DESC);
