package updater

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"liaison/sync/update"
)

// spooled runs the unprivileged side up to the request: fetch at the quiet hour and step.
func spooled(t *testing.T, s *station, h *hub, u *Updater) string {
	t.Helper()
	if v, err := u.Check(context.Background()); err != nil || v == "" {
		t.Fatalf("check: %q %v", v, err)
	}
	step(t, u, false, Installed)
	if len(s.commands(t)) != 0 {
		t.Fatalf("the unprivileged side ran %v", s.commands(t))
	}
	return filepath.Join(s.dir, "updates", RequestFile)
}

func (s *station) apply(t *testing.T, req string, trusted []byte, current string) error {
	t.Helper()
	return Apply(context.Background(), ApplyConfig{Trusted: trusted, Current: current,
		Keep: filepath.Join(s.dir, "keep"), HealthWithin: 10 * time.Minute,
		Install: []string{"sh", "-c", `echo "install $1" >> "$0"`, s.log},
		Rollback: func(after time.Duration, marker, prev string) []string {
			return []string{"sh", "-c", `echo "rollback-timer $1 $2 $3" >> "$0"`, s.log, after.String(), filepath.Base(marker), filepath.Base(prev)}
		}}, req, Exec{}, slog.New(slog.DiscardHandler))
}

func spoolUpdater(s *station, h *hub, pub []byte, current string) *Updater {
	u := s.updater(h, pub, current)
	u.cfg.Spool = true
	return u
}

func TestApplyInstallsVerifiedRequestWithRollbackTimer(t *testing.T) {
	pub, priv := keyPair(t)
	s := newStation(t, time.Date(2026, 12, 3, 3, 5, 0, 0, cst))
	// A first update through the request, then the next one with the first kept as previous.
	h := newHub(t, priv, "1.5.0", "package 1.5.0")
	req := spooled(t, s, h, spoolUpdater(s, h, pub, "1.4.0"))
	if err := s.apply(t, req, pub, "1.4.0"); err != nil {
		t.Fatal(err)
	}
	if got := s.commands(t); !slices.Equal(got, []string{"install liaison-station_1.5.0_amd64.deb"}) {
		t.Fatalf("commands %v", got)
	}
	if _, err := os.Stat(req); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("request kept: %v", err)
	}
	if err := spoolUpdater(s, h, pub, "1.5.0").Healthy(); err != nil {
		t.Fatal(err)
	}
	os.Remove(s.log)
	h2 := newHub(t, priv, "1.6.0", "package 1.6.0")
	req = spooled(t, s, h2, spoolUpdater(s, h2, pub, "1.5.0"))
	if err := s.apply(t, req, pub, "1.5.0"); err != nil {
		t.Fatal(err)
	}
	want := []string{"rollback-timer 10m0s healthy-1.6.0 liaison-station_1.5.0_amd64.deb", "install liaison-station_1.6.0_amd64.deb"}
	if got := s.commands(t); !slices.Equal(got, want) {
		t.Fatalf("commands %v, want %v", got, want)
	}
	os.Remove(s.log)
	os.WriteFile(filepath.Join(s.dir, "keep", "liaison-station_1.3.0_amd64.deb"), nil, 0o600)
	h3 := newHub(t, priv, "1.7.0", "package 1.7.0")
	if err := spoolUpdater(s, h2, pub, "1.6.0").Healthy(); err != nil {
		t.Fatal(err)
	}
	req = spooled(t, s, h3, spoolUpdater(s, h3, pub, "1.6.0"))
	if err := s.apply(t, req, pub, "1.6.0"); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(s.dir, "keep"))
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, e := range entries {
		kept = append(kept, e.Name())
	}
	if !slices.Equal(kept, []string{"liaison-station_1.6.0_amd64.deb", "liaison-station_1.7.0_amd64.deb"}) {
		t.Fatalf("kept %v", kept)
	}
}

func TestApplyRefusesTamperedForeignOrOldPackage(t *testing.T) {
	pub, priv := keyPair(t)
	other, _ := keyPair(t)
	for _, tc := range []struct {
		name    string
		trusted []byte
		current string
		tamper  bool
		want    error
	}{
		{"tampered", pub, "1.4.0", true, update.ErrDigest},
		{"foreign key", other, "1.4.0", false, update.ErrSignature},
		{"not newer", pub, "1.5.0", false, ErrNotNew},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStation(t, time.Date(2026, 12, 3, 3, 5, 0, 0, cst))
			h := newHub(t, priv, "1.5.0", "package 1.5.0")
			req := spooled(t, s, h, spoolUpdater(s, h, pub, "1.4.0"))
			if tc.tamper {
				deb := filepath.Join(s.dir, "updates", "liaison-station_1.5.0_amd64.deb")
				if err := os.WriteFile(deb, []byte("package 1.5.1"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.apply(t, req, tc.trusted, tc.current); !errors.Is(err, tc.want) {
				t.Fatalf("apply: %v, want %v", err, tc.want)
			}
			if got := s.commands(t); len(got) != 0 {
				t.Fatalf("commands ran: %v", got)
			}
			if _, err := os.Stat(req); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("refused request kept: %v", err)
			}
		})
	}
}

func TestApplyRefusesNamesOutsideItsDirectory(t *testing.T) {
	pub, _ := keyPair(t)
	s := newStation(t, time.Now())
	dir := filepath.Join(s.dir, "updates")
	os.MkdirAll(dir, 0o700)
	if err := writeRequest(dir, Request{Package: "../../etc/x.deb", Signature: "x.sig"}); err != nil {
		t.Fatal(err)
	}
	if err := s.apply(t, filepath.Join(dir, RequestFile), pub, "1.0.0"); !errors.Is(err, ErrRequest) {
		t.Fatalf("apply: %v", err)
	}
}
