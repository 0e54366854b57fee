-- The last good exchange rates (issue: quotes in the customer's currency),
-- so a restart without network still converts. One row per rate source.
-- Times are Unix microseconds, as in the SQLite store; rate_date is the
-- rates' reference day at 00:00 UTC.

-- +goose Up
CREATE TABLE fx_rates (
    name       TEXT   NOT NULL PRIMARY KEY,
    source     TEXT   NOT NULL,
    rate_date  BIGINT NOT NULL,
    rates      TEXT   NOT NULL, -- JSON object: ISO code → units per 1 EUR, as decimal text
    fetched_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE fx_rates;
