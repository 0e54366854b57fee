package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/quoteconnector/quoteconnector/internal/store"
)

func (db *DB) PutRates(ctx context.Context, r store.RateRecord) (bool, error) {
	rates, err := json.Marshal(r.Rates)
	if err != nil {
		return false, err
	}
	fetched := r.FetchedAt.UnixMicro()
	if r.FetchedAt.IsZero() {
		fetched = db.Now()
	}
	// The WHERE keeps a later day that another replica stored first.
	res, err := db.Write.ExecContext(ctx, db.Q(`INSERT INTO fx_rates (name, source, rate_date, rates, fetched_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET source = excluded.source, rate_date = excluded.rate_date,
			rates = excluded.rates, fetched_at = excluded.fetched_at
		WHERE fx_rates.rate_date <= excluded.rate_date`),
		r.Name, r.Source, r.Date.UnixMicro(), string(rates), fetched)
	return affectedOne(res, err, "store rates")
}

func (db *DB) GetRates(ctx context.Context, name string) (store.RateRecord, error) {
	r := store.RateRecord{Name: name}
	var rates string
	var date, fetched int64
	err := db.Read.QueryRowContext(ctx, db.Q(`SELECT source, rate_date, rates, fetched_at FROM fx_rates WHERE name = ?`), name).
		Scan(&r.Source, &date, &rates, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, err
	}
	r.Date, r.FetchedAt = fromMicros(date), fromMicros(fetched)
	if err := json.Unmarshal([]byte(rates), &r.Rates); err != nil {
		return r, fmt.Errorf("stored rates %s: %w", name, err)
	}
	return r, nil
}
