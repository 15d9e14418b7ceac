// Package enginetest opens hub stores for the tests of the packages built on the store, on
// the engine the environment names: SQLite in a temporary data directory by default, or with
// LIAISON_TEST_ENGINE=postgres a database of the test's own on the server of
// LIAISON_TEST_POSTGRES (see sync/pgdb/pgtest). `make test-postgres` runs them so.
package enginetest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"liaison/sync/hub/hubtest"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/pgdb/pgtest"
)

// EngineEnv names the environment variable that picks the engine: "postgres" or unset.
const EngineEnv = "LIAISON_TEST_ENGINE"

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(EngineEnv) == "postgres" }

func init() {
	if Postgres() {
		hubtest.AfterRun(pgtest.DropTemplates)
	}
}

// Open opens an empty store for t (in dir on SQLite) and closes it when t ends.
func Open(t testing.TB, dir string, opt sqlitestore.Options) *sqlitestore.Store {
	t.Helper()
	if Postgres() {
		return openAt(t, pgtest.NewDB(t), opt)
	}
	return openAt(t, dir, opt)
}

// OpenSeeded opens a store holding the demo street of demoSeed as of now, and closes it when
// t ends: on SQLite a copy of the seeded data directory (hubtest.Main), on PostgreSQL a copy
// of a database seeded once per test binary.
func OpenSeeded(t testing.TB, seededDir string, demoSeed int64, now time.Time, opt sqlitestore.Options) *sqlitestore.Store {
	t.Helper()
	if !Postgres() {
		return openAt(t, hubtest.CopyOf(t, seededDir, sqlitestore.DBFile), opt)
	}
	dsn := pgtest.NewDBFrom(t, fmt.Sprintf("demo-%d-%d", demoSeed, now.Unix()), func(dsn string) error {
		ctx := context.Background()
		s, err := sqlitestore.OpenPostgres(ctx, dsn, sqlitestore.Options{Now: func() time.Time { return now }})
		if err != nil {
			return err
		}
		_, err = seed.Load(ctx, s, demoSeed, now)
		if cerr := s.Close(); err == nil {
			err = cerr
		}
		return err
	})
	return openAt(t, dsn, opt)
}

// Reopen opens again the data a store of this package was opened on, as a restart of the hub
// does: the caller closes the old store first.
func Reopen(t testing.TB, old *sqlitestore.Store, opt sqlitestore.Options) *sqlitestore.Store {
	t.Helper()
	loc, ok := where.Load(old)
	if !ok {
		t.Fatal("enginetest: Reopen of a store it did not open")
	}
	return openAt(t, loc.(string), opt)
}

// openAt opens the store at loc (a DSN on PostgreSQL, a data directory on SQLite), remembers
// loc for Reopen and closes the store when t ends.
func openAt(t testing.TB, loc string, opt sqlitestore.Options) *sqlitestore.Store {
	t.Helper()
	var st *sqlitestore.Store
	var err error
	if Postgres() {
		st, err = sqlitestore.OpenPostgres(context.Background(), loc, opt)
	} else {
		st, err = sqlitestore.Open(context.Background(), loc, opt)
	}
	if err != nil {
		t.Fatalf("open hub store: %v", err)
	}
	where.Store(st, loc)
	t.Cleanup(func() { st.Close() })
	return st
}

// where maps each store opened here to its DSN or data directory.
var where sync.Map
