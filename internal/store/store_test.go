package store_test

import (
	"testing"

	"github.com/quoteconnector/quoteconnector/internal/store"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

func TestSQLiteContract(t *testing.T) {
	storetest.Contract(t, func(t *testing.T) store.Store {
		s, _ := storetest.SQLite(t)
		return s
	})
}

func TestPostgresContract(t *testing.T) {
	storetest.Contract(t, func(t *testing.T) store.Store { return storetest.Postgres(t) })
}
