package sqlitestore

import (
	"context"
	"sync"
	"testing"
	"time"

	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
	"liaison/sync/pgdb/pgtest"
)

// newPostgresDB is an empty PostgreSQL database of t's own (pgtest.NewDB).
func newPostgresDB(t testing.TB) string { return pgtest.NewDB(t) }

// The PostgreSQL engine keeps the hub store's contract.
func TestContractPostgres(t *testing.T) {
	t.Parallel()
	pgtest.Skip(t)
	var dsns sync.Map // *Store → its DSN
	openAt := func(t *testing.T, dsn string, now func() time.Time) store.Store {
		t.Helper()
		s, err := OpenPostgres(context.Background(), dsn, Options{Now: now})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		dsns.Store(s, dsn)
		return s
	}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T, now func() time.Time) store.Store { return openAt(t, newPostgresDB(t), now) },
		Reopen: func(t *testing.T, s store.Store, now func() time.Time) store.Store {
			t.Helper()
			dsn, _ := dsns.Load(s)
			if err := s.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
			return openAt(t, dsn.(string), now)
		},
	})
}
