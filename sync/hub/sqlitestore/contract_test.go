package sqlitestore

import (
	"context"
	"testing"
	"time"

	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

var _ store.Store = (*Store)(nil)

// The SQLite engine keeps the hub store's contract.
func TestContract(t *testing.T) {
	t.Parallel()
	openAt := func(t *testing.T, dir string, now func() time.Time) store.Store {
		t.Helper()
		s, err := Open(context.Background(), dir, Options{Now: now})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return s
	}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T, now func() time.Time) store.Store { return openAt(t, t.TempDir(), now) },
		Reopen: func(t *testing.T, s store.Store, now func() time.Time) store.Store {
			t.Helper()
			dir := s.(*Store).Dir()
			if err := s.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
			return openAt(t, dir, now)
		},
	})
}
