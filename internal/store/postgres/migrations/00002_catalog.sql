-- Distributor catalogs synced into the store, their full-text index and the
-- state of each account's sync (issue: catalog sync and product search).
-- Times are Unix microseconds; 0 means never.

-- +goose Up
-- pg_trgm finds SKU and part-number fragments ("447h" inside "e2447h"). It
-- goes into public, once per database, so every schema's index can name its
-- operator class there.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE catalog_items (
    id           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account      TEXT    NOT NULL,
    sku_upper    TEXT    NOT NULL,
    sku          TEXT    NOT NULL,
    sku_key      TEXT    NOT NULL,
    part_key     TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    category_key TEXT    NOT NULL,
    brand        TEXT    NOT NULL,
    discontinued BOOLEAN NOT NULL,
    data         BYTEA   NOT NULL, -- the adapter's product record
    hash         TEXT    NOT NULL,
    generation   BIGINT  NOT NULL, -- the full sync that last listed it
    updated_at   BIGINT  NOT NULL,
    -- The words of the item, normalised by the service (internal/catalog):
    -- weight A codes, B name, C brand and category, D the rest.
    doc          TSVECTOR NOT NULL,
    codes        TEXT    NOT NULL, -- folded SKU and part number, for trigrams
    UNIQUE (account, sku_upper)
);
CREATE INDEX catalog_items_sku_key ON catalog_items (account, sku_key);
CREATE INDEX catalog_items_part_key ON catalog_items (account, part_key);
CREATE INDEX catalog_items_generation ON catalog_items (account, generation);
CREATE INDEX catalog_items_doc ON catalog_items USING gin (doc);
CREATE INDEX catalog_items_codes ON catalog_items USING gin (codes public.gin_trgm_ops);

CREATE TABLE catalog_sync (
    account          TEXT    PRIMARY KEY,
    distributor      TEXT    NOT NULL DEFAULT '',
    lease_owner      TEXT    NOT NULL DEFAULT '',
    lease_until      BIGINT  NOT NULL DEFAULT 0,
    generation       BIGINT  NOT NULL DEFAULT 0,
    full_running     BOOLEAN NOT NULL DEFAULT false,
    cursors          TEXT    NOT NULL DEFAULT '{}',
    done             BIGINT  NOT NULL DEFAULT 0,
    expected         BIGINT  NOT NULL DEFAULT 0,
    full_started     BIGINT  NOT NULL DEFAULT 0,
    last_full        BIGINT  NOT NULL DEFAULT 0,
    last_incremental BIGINT  NOT NULL DEFAULT 0,
    changed_since    BIGINT  NOT NULL DEFAULT 0,
    last_error       TEXT    NOT NULL DEFAULT '',
    last_error_at    BIGINT  NOT NULL DEFAULT 0,
    updated_at       BIGINT  NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE catalog_sync;
DROP TABLE catalog_items;
