// Package pgtest gives tests empty PostgreSQL databases of their own on the server named by
// LIAISON_TEST_POSTGRES; without it they skip, saying so.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
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
	Skip(t)
	base := os.Getenv(Env)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "liaison_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
