-- Distributor catalogs synced into the store, their full-text index and the
-- state of each account's sync (issue: catalog sync and product search).
-- Times are Unix microseconds; 0 means never.

-- +goose Up
CREATE TABLE catalog_items (
    id           INTEGER PRIMARY KEY,
    account      TEXT    NOT NULL,
    sku_upper    TEXT    NOT NULL,
    sku          TEXT    NOT NULL,
    sku_key      TEXT    NOT NULL,
    part_key     TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    category_key TEXT    NOT NULL,
    brand        TEXT    NOT NULL,
    discontinued INTEGER NOT NULL,
    data         BLOB    NOT NULL, -- the adapter's product record
    hash         TEXT    NOT NULL,
    generation   INTEGER NOT NULL, -- the full sync that last listed it
    updated_at   INTEGER NOT NULL,
    UNIQUE (account, sku_upper)
);
CREATE INDEX catalog_items_sku_key ON catalog_items (account, sku_key);
CREATE INDEX catalog_items_part_key ON catalog_items (account, part_key);
CREATE INDEX catalog_items_generation ON catalog_items (account, generation);

-- The words of each item, normalised by the service (internal/catalog), one
-- column per field group (the account is checked on catalog_items).
-- Contentless: the text lives only in the index, rows are deleted by rowid
-- (= catalog_items.id).
CREATE VIRTUAL TABLE catalog_fts USING fts5(
    codes, name, brand, category, body,
    content = '', contentless_delete = 1,
    tokenize = "unicode61 tokenchars '.'", prefix = '1 2 3'
);
-- SKU and part-number fragments ("447h" inside "e2447h"): trigrams.
CREATE VIRTUAL TABLE catalog_codes USING fts5(
    codes, content = '', contentless_delete = 1, tokenize = 'trigram'
);

CREATE TABLE catalog_sync (
    account          TEXT    PRIMARY KEY,
    distributor      TEXT    NOT NULL DEFAULT '',
    lease_owner      TEXT    NOT NULL DEFAULT '',
    lease_until      INTEGER NOT NULL DEFAULT 0,
    generation       INTEGER NOT NULL DEFAULT 0,
    full_running     INTEGER NOT NULL DEFAULT 0,
    cursors          TEXT    NOT NULL DEFAULT '{}',
    done             INTEGER NOT NULL DEFAULT 0,
    expected         INTEGER NOT NULL DEFAULT 0,
    full_started     INTEGER NOT NULL DEFAULT 0,
    last_full        INTEGER NOT NULL DEFAULT 0,
    last_incremental INTEGER NOT NULL DEFAULT 0,
    changed_since    INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT    NOT NULL DEFAULT '',
    last_error_at    INTEGER NOT NULL DEFAULT 0,
    updated_at       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- +goose Down
DROP TABLE catalog_sync;
DROP TABLE catalog_codes;
DROP TABLE catalog_fts;
DROP TABLE catalog_items;
