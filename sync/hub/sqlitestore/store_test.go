package sqlitestore

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 10:00 in the stations' zone

func open(t testing.TB, dir string, clk *clocktest.Clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, Options{Now: clk.Now})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

// newStore opens a store on empty data of its own: SQLite in a temporary directory, or with
// LIAISON_TEST_ENGINE=postgres a new database on the server of LIAISON_TEST_POSTGRES, so the
// package's tests of everything but files run on either engine.
func newStore(t testing.TB) (*Store, *clocktest.Clock) {
	t.Helper()
	clk := clocktest.New(t0)
	var s *Store
	if os.Getenv("LIAISON_TEST_ENGINE") == "postgres" {
		var err error
		if s, err = OpenPostgres(context.Background(), newPostgresDB(t), Options{Now: clk.Now}); err != nil {
			t.Fatalf("open: %v", err)
		}
	} else {
		s = open(t, t.TempDir(), clk)
	}
	t.Cleanup(func() { s.Close() })
	return s, clk
}

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// addStation records a station so devices can be paired to it.
func addStation(t testing.TB, s *Store, code string) {
	t.Helper()
	storetest.AddStation(t, s, code)
}

// pairDevice enrols a device of the station and returns it.
func pairDevice(t testing.TB, s *Store, station, role string) store.DeviceInfo {
	t.Helper()
	return storetest.Pair(t, s, station, role, "测试设备")
}

// The tests build device facts as the contract suite does, valid as a kiosk records them.
type factMaker = storetest.Facts

// res1 is the resident of the tests' submissions.
const res1 = storetest.Resident

var (
	cid = storetest.CaseID     // the case id (a UUID) of a case named by a label
	num = storetest.CaseNumber // a device's case number for a label
)

func TestOpenKeepsKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clk := clocktest.New(t0)
	s := open(t, dir, clk)
	sign, boxKey := s.Keys().SignPublicKey(), s.Keys().BoxPublicKey()
	addStation(t, s, "HX01")
	s.Close()
	for _, f := range []string{SignKeyFile, BoxKeyFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, st.Mode().Perm())
		}
	}
	s = open(t, dir, clk)
	defer s.Close()
	if !s.Keys().SignPublicKey().Equal(sign) || s.Keys().BoxPublicKey() != boxKey {
		t.Error("keys changed on reopen")
	}
}

func TestOpenRefusesMissingDir(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing"), Options{})
	if err == nil {
		t.Fatal("opened a store in a missing directory")
	}
}

func TestSealedRoundTrip(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	pub := s.Keys().BoxPublicKey()
	sealed, err := sealAnonymous([]byte("11010519491231002X"), &pub)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Keys().OpenSealed(sealed)
	if err != nil || string(got) != "11010519491231002X" {
		t.Fatalf("open sealed: %q, %v", got, err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Keys().OpenSealed(sealed); !errors.Is(err, ErrSealed) {
		t.Fatalf("tampered box: %v, want ErrSealed", err)
	}
	msg := []byte("badge")
	if !ed25519.Verify(s.Keys().SignPublicKey(), msg, s.Keys().Sign(msg)) {
		t.Fatal("signature does not verify with the published key")
	}
}
