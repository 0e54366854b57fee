-- The operator console (issue 14): each replica's heartbeat, and who
-- checked or settled an uncertain order by hand. Numbered 00004: 00002 and
-- 00003 belong to the catalog and the exchange rates, which may land after
-- this one (the migrations run out of order).

-- +goose Up
CREATE TABLE replicas (
    instance   TEXT   NOT NULL PRIMARY KEY,
    version    TEXT   NOT NULL,
    commit_id  TEXT   NOT NULL,
    started_at BIGINT NOT NULL,
    seen_at    BIGINT NOT NULL
);
CREATE INDEX replicas_by_seen ON replicas (seen_at);

ALTER TABLE orders ADD COLUMN checked_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN resolved_by;
ALTER TABLE orders DROP COLUMN checked_at;
DROP TABLE replicas;
