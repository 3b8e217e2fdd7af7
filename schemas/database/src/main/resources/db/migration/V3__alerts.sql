-- Alert history: every transition of alerts.events, once. The current state of each alert is the
-- latest transition, served by views so it can never disagree with the history.

CREATE TABLE alerts.events (
    alert_id    text             NOT NULL,
    ts          timestamptz      NOT NULL,
    state       text             NOT NULL CHECK (state IN ('RAISED', 'ESCALATED', 'DEESCALATED', 'CLEARED')),
    site        text             NOT NULL,
    line        text,
    device      text             NOT NULL,
    tag         text             NOT NULL,
    rule_id     text             NOT NULL,
    kind        text             NOT NULL CHECK (kind IN ('HIGH', 'LOW', 'STALE', 'BAD_QUALITY')),
    severity    text             NOT NULL CHECK (severity IN ('WARNING', 'CRITICAL')),
    value       double precision,
    threshold   double precision,
    raised_at   timestamptz      NOT NULL,
    message     text             NOT NULL,
    ingested_at timestamptz      NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX events_natural_key ON alerts.events (alert_id, ts DESC, state);
CREATE INDEX events_by_tag ON alerts.events (site, device, tag, ts DESC);

CREATE VIEW alerts.current AS
SELECT DISTINCT ON (alert_id) *
FROM alerts.events
ORDER BY alert_id, ts DESC,
         -- two transitions in the same millisecond: the later state in the episode wins
         CASE state WHEN 'CLEARED' THEN 3 WHEN 'DEESCALATED' THEN 2 WHEN 'ESCALATED' THEN 1 ELSE 0 END DESC;

CREATE VIEW alerts.active AS
SELECT * FROM alerts.current WHERE state <> 'CLEARED';
