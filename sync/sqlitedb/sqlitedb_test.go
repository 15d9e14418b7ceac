package sqlitedb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func twoSteps() fstest.MapFS {
	return fstest.MapFS{
		"001_init.sql":  {Data: []byte(`CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL);`)},
		"002_child.sql": {Data: []byte(`CREATE TABLE b (id INTEGER PRIMARY KEY, a INTEGER NOT NULL REFERENCES a(id)); CREATE INDEX b_a ON b(a);`)},
		"README.md":     {Data: []byte("ignored")},
	}
}

func TestOpenAppliesMigrationsAndPragmas(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "s p a c e.db")
	db, err := Open(path, twoSteps(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if v, err := Version(ctx, db); err != nil || v != 2 {
		t.Fatalf("version = %d, %v; want 2", v, err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM schema_version`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("schema_version rows = %d, %v", n, err)
	}
	checks := []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"},
		{"busy_timeout", "10000"},
		{"temp_store", "2"},
		{"cache_size", "-16384"},
	}
	for _, c := range checks {
		var got string
		if err := db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %q, want %q", c.pragma, got, c.want)
		}
	}
	// foreign keys are enforced on every pooled connection
	if _, err := db.Exec(`INSERT INTO b(id, a) VALUES (1, 99)`); err == nil {
		t.Fatal("insert violating a foreign key succeeded")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not at the given path: %v", err)
	}
}

func TestReopenIsIdempotentAndUpgrades(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db")
	first := fstest.MapFS{"001_init.sql": twoSteps()["001_init.sql"]}
	db, err := Open(path, first, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO a(v) VALUES ('kept')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for i := 0; i < 2; i++ {
		db, err = Open(path, twoSteps(), nil)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var v string
		if err := db.QueryRow(`SELECT v FROM a`).Scan(&v); err != nil || v != "kept" {
			t.Fatalf("data after upgrade = %q, %v", v, err)
		}
		if ver, _ := Version(context.Background(), db); ver != 2 {
			t.Fatalf("version = %d", ver)
		}
		db.Close()
	}
}

func TestFailedMigrationLeavesWholeVersion(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db")
	bad := twoSteps()
	bad["002_child.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE b (id INTEGER); CREATE TABLE oops (`)}
	if _, err := Open(path, bad, nil); err == nil {
		t.Fatal("broken migration accepted")
	}
	db, err := Open(path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _ := Version(context.Background(), db); v != 1 {
		t.Fatalf("version after failed step = %d, want 1", v)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'b'`).Scan(&n)
	if n != 0 {
		t.Fatal("half of the failed migration was kept")
	}
}

func TestLoadMigrationsRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		fs   fstest.MapFS
	}{
		{"gap", fstest.MapFS{"001_a.sql": {}, "003_c.sql": {}}},
		{"duplicate", fstest.MapFS{"001_a.sql": {}, "001_b.sql": {}}},
		{"not starting at one", fstest.MapFS{"002_a.sql": {}}},
		{"bad name", fstest.MapFS{"init.sql": {}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := LoadMigrations(c.fs); !errors.Is(err, ErrBadMigration) {
				t.Fatalf("err = %v, want ErrBadMigration", err)
			}
		})
	}
}

func TestSchemaTooNew(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := Open(path, twoSteps(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	older := fstest.MapFS{"001_init.sql": twoSteps()["001_init.sql"]}
	if _, err := Open(path, older, nil); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("err = %v, want ErrSchemaTooNew", err)
	}
}

func TestNotWritable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "plain")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		path string
	}{
		{"missing directory", filepath.Join(dir, "nope", "x.db")},
		{"parent is a file", filepath.Join(file, "x.db")},
	}
	if os.Geteuid() != 0 { // root writes through permission bits
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct{ name, path string }{"read-only directory", filepath.Join(ro, "x.db")})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(c.path, twoSteps(), nil)
			if !errors.Is(err, ErrNotWritable) {
				t.Fatalf("err = %v, want ErrNotWritable", err)
			}
			if !strings.Contains(err.Error(), filepath.Dir(c.path)) {
				t.Errorf("error %q does not name the directory", err)
			}
		})
	}
}

func TestConcurrentWritersQueue(t *testing.T) {
	t.Parallel()
	db, err := Open(filepath.Join(t.TempDir(), "x.db"), twoSteps(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				// read-then-write transactions would fail on lock upgrade without BEGIN IMMEDIATE
				tx, err := db.Begin()
				if err != nil {
					errs <- err
					return
				}
				var n int
				if err := tx.QueryRow(`SELECT count(*) FROM a`).Scan(&n); err != nil {
					tx.Rollback()
					errs <- err
					return
				}
				if _, err := tx.Exec(`INSERT INTO a(v) VALUES (?)`, n); err != nil {
					tx.Rollback()
					errs <- err
					return
				}
				if err := tx.Commit(); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM a`).Scan(&n)
	if n != writers*each {
		t.Fatalf("rows = %d, want %d", n, writers*each)
	}
}

func TestNewDatabaseOnlyForOwner(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "private.db")
	db, err := Open(path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v", p, st.Mode().Perm())
		}
	}
}
