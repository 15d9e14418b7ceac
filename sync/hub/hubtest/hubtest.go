// Package hubtest holds what the hub's test packages share: a data directory with the demo
// street, seeded once per test binary, and copies of it for the tests. Seeding takes seconds
// under the race detector, so each binary seeds once and every test works on its own copy.
//
// It imports no store engine, so that the engine's own tests can use it too.
package hubtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/sync/hub/seed"
)

// SeedStore is a store the demo can be loaded into and closed again.
type SeedStore interface {
	seed.Importer
	Close() error
}

// Opener opens a store on the data directory dir, reading the time from now.
type Opener func(ctx context.Context, dir string, now func() time.Time) (SeedStore, error)

// Main is a TestMain: it makes a directory named after pattern, loads the demo street of
// demoSeed at now into a store opened there, closes the store, points *dir at the directory,
// runs the tests and exits with their code, removing the directory first.
func Main(m *testing.M, dir *string, pattern string, open Opener, demoSeed int64, now time.Time) {
	os.Exit(run(m, dir, pattern, open, demoSeed, now))
}

func run(m *testing.M, dir *string, pattern string, open Opener, demoSeed int64, now time.Time) int {
	d, err := os.MkdirTemp("", pattern)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(d)
	if err := seedDir(d, open, demoSeed, now); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	*dir = d
	defer func() {
		for _, f := range afterRun {
			f()
		}
	}()
	return m.Run()
}

var afterRun []func()

// AfterRun has Main call f once the tests have run (before the binary exits), e.g. to drop
// the databases the tests shared.
func AfterRun(f func()) { afterRun = append(afterRun, f) }

func seedDir(dir string, open Opener, demoSeed int64, now time.Time) error {
	ctx := context.Background()
	st, err := open(ctx, dir, func() time.Time { return now })
	if err != nil {
		return fmt.Errorf("open seeded store: %w", err)
	}
	_, err = seed.Load(ctx, st, demoSeed, now)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("seed demo street: %w", err)
	}
	return nil
}

// CopyFile copies the file from to the file to, failing the test if that does not work.
func CopyFile(t testing.TB, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// CopyDir copies the regular files of the closed data directory from into to.
func CopyDir(t testing.TB, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			CopyFile(t, filepath.Join(from, e.Name()), filepath.Join(to, e.Name()))
		}
	}
}

// CopyOf copies the file name of the closed data directory from into a new temporary
// directory and returns that directory. The rest (such as keys) the store makes anew there.
func CopyOf(t testing.TB, from, name string) string {
	t.Helper()
	dir := t.TempDir()
	CopyFile(t, filepath.Join(from, name), filepath.Join(dir, name))
	return dir
}

// Do sends a request with body (when not nil) as JSON and the given headers through c, and
// returns the response with its body read and closed, failing the test if any of that fails.
func Do(t testing.TB, c *http.Client, method, url string, body any, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	r, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	resp, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, out
}
