-- The operational database: sites, devices (with their location), tags (the address map) and alert
-- thresholds. Operators change these with plain SQL or the address-map import; Debezium captures them
-- (publication tagstream_ops) into the compacted ops.* topics, from which the apps take effect at runtime.

CREATE SCHEMA IF NOT EXISTS ops;

CREATE TABLE ops.sites (
    site        text PRIMARY KEY CHECK (site <> '' AND site !~ '[/*]'),
    name        text NOT NULL,
    time_zone   text NOT NULL DEFAULT 'UTC',
    latitude    double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude   double precision CHECK (longitude BETWEEN -180 AND 180),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ops.devices (
    site        text NOT NULL REFERENCES ops.sites ON DELETE CASCADE,
    device      text NOT NULL CHECK (device <> '' AND device !~ '[/*]'),
    line        text,
    factory     text,
    building    text,
    floor       text,
    area        text,
    description text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, device)
);

-- One row of the address map per tag (ARCHITECTURE.md section 4).
CREATE TABLE ops.tags (
    site          text NOT NULL,
    device        text NOT NULL,
    tag           text NOT NULL CHECK (tag <> '' AND tag !~ '[/*]'),
    protocol      text NOT NULL,
    conn          text NOT NULL,
    unit_id       integer NOT NULL CHECK (unit_id BETWEEN 0 AND 255),
    address       text NOT NULL,
    type          text NOT NULL CHECK (type IN ('BOOL', 'INT16', 'UINT16', 'INT32', 'UINT32', 'INT64', 'UINT64', 'FLOAT32', 'FLOAT64')),
    scale         double precision NOT NULL CHECK (scale <> 0),
    "offset"      double precision NOT NULL,
    period_ms     integer NOT NULL CHECK (period_ms >= 200),
    unit          text,
    hi            double precision,
    lo            double precision,
    word_order    text NOT NULL DEFAULT 'ABCD' CHECK (word_order IN ('ABCD', 'CDAB', 'BADC', 'DCBA')),
    deadband      double precision CHECK (deadband >= 0),
    deadband_mode text CHECK (deadband_mode IN ('ABSOLUTE', 'PERCENT_SPAN', 'PERCENT_VALUE')),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site, device, tag),
    FOREIGN KEY (site, device) REFERENCES ops.devices ON DELETE CASCADE,
    CHECK (hi IS NULL OR lo IS NULL OR hi > lo)
);

-- Alert rules. The scope is site/device/tag where '*' matches anything; the most specific rule wins
-- (a named tag beats a named device beats a named site). Limits left NULL are not checked.
CREATE TABLE ops.thresholds (
    rule_id              text PRIMARY KEY,
    site                 text NOT NULL DEFAULT '*',
    device               text NOT NULL DEFAULT '*',
    tag                  text NOT NULL DEFAULT '*',
    warning_high         double precision,
    warning_low          double precision,
    critical_high        double precision,
    critical_low         double precision,
    hysteresis           double precision NOT NULL DEFAULT 0 CHECK (hysteresis >= 0),
    on_delay_ms          bigint NOT NULL DEFAULT 0 CHECK (on_delay_ms >= 0),
    clear_delay_ms       bigint NOT NULL DEFAULT 0 CHECK (clear_delay_ms >= 0),
    stale_after_ms       bigint CHECK (stale_after_ms > 0),
    bad_quality_after_ms bigint CHECK (bad_quality_after_ms >= 0),
    enabled              boolean NOT NULL DEFAULT true,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site, device, tag),
    CHECK (critical_high IS NULL OR warning_high IS NULL OR critical_high >= warning_high),
    CHECK (critical_low IS NULL OR warning_low IS NULL OR critical_low <= warning_low),
    CHECK (warning_high IS NULL OR warning_low IS NULL OR warning_high > warning_low)
);

-- updated_at follows every change, so consumers of the CDC topics can tell which version is newer.
CREATE FUNCTION ops.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER sites_touch BEFORE UPDATE ON ops.sites FOR EACH ROW EXECUTE FUNCTION ops.touch_updated_at();
CREATE TRIGGER devices_touch BEFORE UPDATE ON ops.devices FOR EACH ROW EXECUTE FUNCTION ops.touch_updated_at();
CREATE TRIGGER tags_touch BEFORE UPDATE ON ops.tags FOR EACH ROW EXECUTE FUNCTION ops.touch_updated_at();
CREATE TRIGGER thresholds_touch BEFORE UPDATE ON ops.thresholds FOR EACH ROW EXECUTE FUNCTION ops.touch_updated_at();

-- What Debezium captures. Created here, by the owner, so the replicator role needs no ownership.
CREATE PUBLICATION tagstream_ops FOR TABLE ops.sites, ops.devices, ops.tags, ops.thresholds;
