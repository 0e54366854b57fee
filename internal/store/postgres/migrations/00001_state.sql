-- The remembered connection settings and the order ledger (issue: durable
-- state). Times are Unix microseconds, as in the SQLite store.

-- +goose Up
CREATE TABLE connections (
    tenant        TEXT   NOT NULL,
    connection_id BIGINT NOT NULL,
    settings      TEXT   NOT NULL, -- JSON object; Password-type values sealed
    fingerprint   TEXT   NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (tenant, connection_id)
);

CREATE TABLE orders (
    tenant         TEXT    NOT NULL,
    connection_id  BIGINT  NOT NULL,
    quote_id       BIGINT  NOT NULL,
    version_id     BIGINT  NOT NULL,
    alternative_id BIGINT  NOT NULL,
    distributor    TEXT    NOT NULL,
    content        TEXT    NOT NULL,
    content_hash   TEXT    NOT NULL,
    reference      TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('placing', 'placed', 'failed', 'uncertain')),
    order_id       TEXT    NOT NULL,
    message        TEXT    NOT NULL,
    attempt        INTEGER NOT NULL,
    owner          TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    PRIMARY KEY (tenant, connection_id, quote_id, version_id, alternative_id, distributor)
);
CREATE INDEX orders_by_update ON orders (updated_at);
CREATE INDEX orders_by_state ON orders (state, updated_at);

-- +goose Down
DROP TABLE orders;
DROP TABLE connections;
