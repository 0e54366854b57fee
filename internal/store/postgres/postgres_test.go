package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/store/postgres"
	"github.com/quoteconnector/quoteconnector/internal/store/storetest"
)

// Replicas starting together must not trip over each other's migrations:
// the advisory lock lets one migrate while the others wait, and then they
// find nothing left to do.
func TestReplicasMigrateAtOnce(t *testing.T) {
	url := storetest.PostgresURL(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := postgres.Open(context.Background(), url)
			if err == nil {
				err = s.Ping(context.Background())
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
}

func TestBadURLNamesNoPassword(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://user:hunter2@[::1")
	require.Error(t, err)
	require.NotContains(t, err.Error(), "hunter2")
}
