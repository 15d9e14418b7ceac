// Package pgtest gives tests empty PostgreSQL databases of their own on the server named by
// LIAISON_TEST_POSTGRES; without it they skip, saying so.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// Env names the environment variable holding the DSN of a PostgreSQL server on which the
// tests may create and drop databases (postgres://user@host:port/postgres).
const Env = "LIAISON_TEST_POSTGRES"

// Available reports whether a test server is configured.
func Available() bool { return os.Getenv(Env) != "" }

// Skip skips t when no test server is configured.
func Skip(t testing.TB) {
	t.Helper()
	if !Available() {
		t.Skipf("PostgreSQL tests skipped: %s is not set", Env)
	}
}

// NewDB creates an empty database for t and returns its DSN; it is dropped when t ends,
// whoever is still connected.
func NewDB(t testing.TB) string {
	t.Helper()
	return create(t, "")
}

var (
	tmplMu    sync.Mutex
	templates = map[string]string{} // key → template database name
)

// NewDBFrom creates a database for t as a copy of the template database that fill fills
// once per test binary and key (fill gets the template's DSN and must close every connection
// it opened), and returns its DSN; it is dropped when t ends. DropTemplates drops the
// templates when the binary's tests are done.
func NewDBFrom(t testing.TB, key string, fill func(dsn string) error) string {
	t.Helper()
	Skip(t)
	base := os.Getenv(Env)
	// a template must have no other connection while it is copied: copies queue here
	tmplMu.Lock()
	defer tmplMu.Unlock()
	tmpl, ok := templates[key]
	if !ok {
		tmpl = "liaison_tmpl_" + randomName()
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatalf("postgres: %v", err)
		}
		defer admin.Close()
		if _, err := admin.Exec(`CREATE DATABASE ` + tmpl); err != nil {
			t.Fatalf("create template database: %v", err)
		}
		if err := fill(withDB(t, base, tmpl)); err != nil {
			admin.Exec(`DROP DATABASE ` + tmpl + ` WITH (FORCE)`)
			t.Fatalf("fill template database %s: %v", key, err)
		}
		templates[key] = tmpl
	}
	return create(t, tmpl)
}

// create makes a database for t, a copy of template unless that is "", drops it when t ends
// and returns its DSN.
func create(t testing.TB, template string) string {
	t.Helper()
	Skip(t)
	base := os.Getenv(Env)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	name := "liaison_test_" + randomName()
	q := `CREATE DATABASE ` + name
	if template != "" {
		q += ` TEMPLATE ` + template
	}
	if _, err := admin.Exec(q); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return withDB(t, base, name)
}

// DropTemplates drops the template databases NewDBFrom made.
func DropTemplates() {
	tmplMu.Lock()
	defer tmplMu.Unlock()
	if len(templates) == 0 {
		return
	}
	admin, err := sql.Open("pgx", os.Getenv(Env))
	if err != nil {
		return
	}
	defer admin.Close()
	for key, name := range templates {
		admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`)
		delete(templates, key)
	}
}

func randomName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func withDB(t testing.TB, base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}
