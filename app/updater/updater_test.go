package updater

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/update"
)

var cst = time.FixedZone("CST", 8*3600)

// hub serves one signed package the way the hub does; body, when set, replaces the bytes
// served as the package.
type hub struct {
	srv  *httptest.Server
	sig  []byte
	file string
	pkg  []byte
	body []byte
	// releases are earlier versions served by version (GET /api/v1/updates/release).
	releases map[string]release
}

type release struct {
	sig  []byte
	file string
	pkg  []byte
}

// publishEarlier makes the hub serve version as an earlier release signed with key.
func (h *hub) publishEarlier(t *testing.T, key ed25519.PrivateKey, version, content string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "station.deb")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sig, err := update.Sign(key, p, "liaison-station", version, "amd64", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	h.releases[version] = release{sig: sig, file: "liaison-station_" + version + "_amd64.deb", pkg: []byte(content)}
}

func newHub(t *testing.T, key ed25519.PrivateKey, version, content string) *hub {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "station.deb")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sig, err := update.Sign(key, p, "liaison-station", version, "amd64", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	h := &hub{sig: sig, pkg: []byte(content), file: "liaison-station_" + version + "_amd64.deb", releases: map[string]release{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/updates/latest":
			json.NewEncoder(w).Encode(map[string]any{"signature": json.RawMessage(h.sig), "url": "/api/v1/updates/amd64/" + h.file})
		case "/api/v1/updates/amd64/" + h.file:
			if h.body != nil {
				w.Write(h.body)
				return
			}
			w.Write(h.pkg)
		case "/api/v1/updates/release":
			rel, ok := h.releases[r.URL.Query().Get("version")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"signature": json.RawMessage(rel.sig), "url": "/api/v1/updates/amd64/" + rel.file})
		default:
			for _, rel := range h.releases {
				if r.URL.Path == "/api/v1/updates/amd64/"+rel.file {
					w.Write(rel.pkg)
					return
				}
			}
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func keyPair(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

// station is an updater whose install and rollback commands are real shell commands that
// append what they were asked to do to a log file.
type station struct {
	dir, log string
	clk      *clocktest.Clock
}

func newStation(t *testing.T, at time.Time) *station {
	dir := t.TempDir()
	return &station{dir: dir, log: filepath.Join(dir, "commands.log"), clk: clocktest.New(at)}
}

func (s *station) updater(h *hub, trusted ed25519.PublicKey, current string) *Updater {
	return New(Config{Hub: h.srv.URL, Arch: "amd64", Current: current, Trusted: trusted,
		Dir: filepath.Join(s.dir, "updates"), QuietHour: 3, Zone: cst, HealthWithin: 10 * time.Minute,
		Install: []string{"sh", "-c", `echo "install $1" >> "$0"`, s.log},
		Rollback: func(after time.Duration, marker, prev string) []string {
			return []string{"sh", "-c", `echo "rollback-timer $1 $2 $3" >> "$0"`, s.log, after.String(), filepath.Base(marker), filepath.Base(prev)}
		},
		Client: h.srv.Client()}, Exec{}, s.clk.Now)
}

func (s *station) commands(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(s.log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(l)
		for i, w := range f {
			f[i] = filepath.Base(w)
		}
		out = append(out, strings.Join(f, " "))
	}
	return out
}

func step(t *testing.T, u *Updater, session bool, want Action) {
	t.Helper()
	got, err := u.Step(context.Background(), session)
	if got != want {
		t.Fatalf("step: %s (%v), want %s", got, err, want)
	}
}

func TestCheckRefusesForeignKeyAndTamperedPackage(t *testing.T) {
	pub, priv := keyPair(t)
	_, stranger := keyPair(t)
	st := newStation(t, time.Date(2026, 12, 5, 12, 0, 0, 0, cst))

	h := newHub(t, stranger, "1.5.0", "package 1.5.0")
	if _, err := st.updater(h, pub, "1.4.0").Check(context.Background()); !errors.Is(err, update.ErrSignature) {
		t.Fatalf("foreign key: %v", err)
	}
	h = newHub(t, priv, "1.5.0", "package 1.5.0")
	h.body = []byte("package 1.5.1")
	if _, err := st.updater(h, pub, "1.4.0").Check(context.Background()); !errors.Is(err, update.ErrDigest) {
		t.Fatalf("tampered package: %v", err)
	}
	if _, err := os.Stat(filepath.Join(st.dir, "updates", h.file)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused package was kept: %v", err)
	}
	h.body = nil
	if v, err := st.updater(h, pub, "1.5.0").Check(context.Background()); err != nil || v != "" {
		t.Fatalf("same version as running: %q %v", v, err)
	}
	if v, err := st.updater(h, pub, "1.4.0").Check(context.Background()); err != nil || v != "1.5.0" {
		t.Fatalf("good package: %q %v", v, err)
	}
}

func TestInstallsAtQuietHourWithoutSessionThenKeepsHealthyVersion(t *testing.T) {
	pub, priv := keyPair(t)
	st := newStation(t, time.Date(2026, 12, 5, 14, 0, 0, 0, cst))
	h := newHub(t, priv, "1.5.0", "package 1.5.0")
	u := st.updater(h, pub, "1.4.0")
	step(t, u, false, Idle)
	if _, err := u.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	step(t, u, false, Waiting) // 14:00 is not the quiet hour
	st.clk.Set(time.Date(2026, 12, 6, 3, 20, 0, 0, cst))
	step(t, u, true, Waiting) // a resident is at the kiosk
	if c := st.commands(t); c != nil {
		t.Fatalf("ran %v before the quiet hour without a session", c)
	}
	step(t, u, false, Installed)
	// No previous package is kept on a first update: no rollback timer.
	if c := st.commands(t); !slices.Equal(c, []string{"install liaison-station_1.5.0_amd64.deb"}) {
		t.Fatalf("commands %v", c)
	}
	step(t, u, false, Waiting) // within the health window nothing more happens

	// The new version starts and reports healthy.
	st.clk.Advance(2 * time.Minute)
	nu := st.updater(h, pub, "1.5.0")
	if err := nu.Healthy(); err != nil {
		t.Fatal(err)
	}
	s, err := nu.LoadState()
	if err != nil || s.Installing != nil || s.Installed != "liaison-station_1.5.0_amd64.deb" {
		t.Fatalf("state after healthy %+v %v", s, err)
	}
	st.clk.Advance(time.Hour)
	step(t, nu, false, Idle)
	if _, err := os.Stat(filepath.Join(st.dir, "updates", "healthy-1.5.0")); err != nil {
		t.Fatal(err)
	}

	// The next update schedules the rollback to 1.5.0 before installing.
	h2 := newHub(t, priv, "1.6.0", "package 1.6.0")
	nu = st.updater(h2, pub, "1.5.0")
	if _, err := nu.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.clk.Set(time.Date(2026, 12, 7, 3, 0, 0, 0, cst))
	step(t, nu, false, Installed)
	want := []string{"install liaison-station_1.5.0_amd64.deb",
		"rollback-timer 10m0s healthy-1.6.0 liaison-station_1.5.0_amd64.deb",
		"install liaison-station_1.6.0_amd64.deb"}
	if c := st.commands(t); !slices.Equal(c, want) {
		t.Fatalf("commands %v, want %v", c, want)
	}
}

func TestUnhealthyVersionIsRolledBackAndNotRetried(t *testing.T) {
	pub, priv := keyPair(t)
	st := newStation(t, time.Date(2026, 12, 6, 3, 5, 0, 0, cst))
	dir := filepath.Join(st.dir, "updates")
	// 1.5.0 runs and its package is kept from its own update.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "liaison-station_1.5.0_amd64.deb"), []byte("package 1.5.0"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte(`{"installed":"liaison-station_1.5.0_amd64.deb"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHub(t, priv, "1.6.0", "package 1.6.0")
	u := st.updater(h, pub, "1.5.0")
	if _, err := u.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	step(t, u, false, Installed)

	// 1.6.0 comes up but never reports healthy.
	nu := st.updater(h, pub, "1.6.0")
	st.clk.Advance(9 * time.Minute)
	step(t, nu, false, Waiting)
	st.clk.Advance(2 * time.Minute)
	step(t, nu, false, RolledBack)
	c := st.commands(t)
	if len(c) != 3 || c[2] != "install liaison-station_1.5.0_amd64.deb" {
		t.Fatalf("commands %v", c)
	}
	// Back on 1.5.0 the hub still offers 1.6.0: it is not fetched again.
	back := st.updater(h, pub, "1.5.0")
	if v, err := back.Check(context.Background()); err != nil || v != "" {
		t.Fatalf("refused version offered again: %q %v", v, err)
	}
	st.clk.Set(time.Date(2026, 12, 7, 3, 0, 0, 0, cst))
	step(t, back, false, Idle)
}

func TestInstallThatDidNotTakeIsRefused(t *testing.T) {
	pub, priv := keyPair(t)
	st := newStation(t, time.Date(2026, 12, 6, 3, 5, 0, 0, cst))
	h := newHub(t, priv, "1.6.0", "package 1.6.0")
	u := st.updater(h, pub, "1.5.0")
	if _, err := u.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	step(t, u, false, Installed)
	st.clk.Advance(11 * time.Minute)
	// Still 1.5.0 running after the window: dpkg failed.
	step(t, u, false, Failed)
	s, err := u.LoadState()
	if err != nil || s.Installing != nil || !slices.Contains(s.Refused, "1.6.0") {
		t.Fatalf("state %+v %v", s, err)
	}
}

func TestPendingPackageChangedOnDiskIsNotInstalled(t *testing.T) {
	pub, priv := keyPair(t)
	st := newStation(t, time.Date(2026, 12, 6, 3, 5, 0, 0, cst))
	h := newHub(t, priv, "1.6.0", "package 1.6.0")
	u := st.updater(h, pub, "1.5.0")
	if _, err := u.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(st.dir, "updates", h.file), []byte("package 1.6.X"), 0o600); err != nil {
		t.Fatal(err)
	}
	if a, err := u.Step(context.Background(), false); a != Failed || !errors.Is(err, update.ErrDigest) {
		t.Fatalf("step %s %v", a, err)
	}
	if c := st.commands(t); c != nil {
		t.Fatalf("ran %v", c)
	}
}

func TestExecRunsRealCommands(t *testing.T) {
	if err := (Exec{}).Run(context.Background(), []string{"true"}); err != nil {
		t.Fatal(err)
	}
	err := (Exec{}).Run(context.Background(), []string{"sh", "-c", "echo dpkg refused >&2; exit 2"})
	if err == nil || !strings.Contains(err.Error(), "dpkg refused") {
		t.Fatalf("failing command: %v", err)
	}
	if err := (Exec{}).Run(context.Background(), []string{"false"}); err == nil {
		t.Fatal("false succeeded")
	}
}

// TestRollbackScript runs the script the rollback timer runs, with a dpkg on PATH that only
// records its arguments.
func TestRollbackScript(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "dpkg.log")
	dpkg := "#!/bin/sh\necho \"$@\" >> " + log + "\n"
	if err := os.WriteFile(filepath.Join(dir, "dpkg"), []byte(dpkg), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	marker, prev := filepath.Join(dir, "healthy-1.6.0"), filepath.Join(dir, "liaison-station_1.5.0_amd64.deb")
	argv := DefaultRollback(10*time.Minute, marker, prev)
	i := slices.Index(argv, "/bin/sh")
	if i < 0 || !slices.Contains(argv, "--on-active=600s") {
		t.Fatalf("rollback command %v", argv)
	}
	if err := (Exec{}).Run(context.Background(), argv[i:]); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(log); err != nil || string(b) != "-i "+prev+"\n" {
		t.Fatalf("unhealthy: dpkg ran with %q (%v)", b, err)
	}
	os.Remove(log)
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := (Exec{}).Run(context.Background(), argv[i:]); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(log); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("healthy: dpkg ran (%v)", err)
	}
}

func TestFirstUpdateFetchesTheRunningVersionToRollBackTo(t *testing.T) {
	pub, priv := keyPair(t)
	_, stranger := keyPair(t)
	st := newStation(t, time.Date(2026, 12, 5, 14, 0, 0, 0, cst))
	h := newHub(t, priv, "1.5.0", "package 1.5.0")

	// The hub offers 1.4.0 signed with another key: nothing is kept and the update waits.
	h.publishEarlier(t, stranger, "1.4.0", "package 1.4.0")
	u := st.updater(h, pub, "1.4.0")
	if v, err := u.Check(context.Background()); !errors.Is(err, update.ErrSignature) || v != "" {
		t.Fatalf("foreign rollback package: %q %v", v, err)
	}
	// It answers another version than asked: refused as well.
	h.publishEarlier(t, priv, "1.3.0", "package 1.3.0")
	h.releases["1.4.0"] = h.releases["1.3.0"]
	if v, err := u.Check(context.Background()); !errors.Is(err, update.ErrManifest) || v != "" {
		t.Fatalf("rollback package of another version: %q %v", v, err)
	}
	if s, err := u.LoadState(); err != nil || s.Pending != nil || s.Installed != "" {
		t.Fatalf("state after refusals %+v %v", s, err)
	}

	h.publishEarlier(t, priv, "1.4.0", "package 1.4.0")
	if v, err := u.Check(context.Background()); err != nil || v != "1.5.0" {
		t.Fatalf("check: %q %v", v, err)
	}
	s, err := u.LoadState()
	if err != nil || s.Installed != "liaison-station_1.4.0_amd64.deb" {
		t.Fatalf("state %+v %v", s, err)
	}
	if b, err := os.ReadFile(filepath.Join(st.dir, "updates", s.Installed)); err != nil || string(b) != "package 1.4.0" {
		t.Fatalf("rollback package %q %v", b, err)
	}
	st.clk.Set(time.Date(2026, 12, 6, 3, 0, 0, 0, cst))
	step(t, u, false, Installed)
	want := []string{"rollback-timer 10m0s healthy-1.5.0 liaison-station_1.4.0_amd64.deb", "install liaison-station_1.5.0_amd64.deb"}
	if c := st.commands(t); !slices.Equal(c, want) {
		t.Fatalf("commands %v, want %v", c, want)
	}
}

func TestFirstUpdateOfAVersionNeverPublishedHasNoRollbackPackage(t *testing.T) {
	pub, priv := keyPair(t)
	st := newStation(t, time.Date(2026, 12, 6, 3, 0, 0, 0, cst))
	h := newHub(t, priv, "1.5.0", "package 1.5.0")
	u := st.updater(h, pub, "1.4.0")
	if v, err := u.Check(context.Background()); err != nil || v != "1.5.0" {
		t.Fatalf("check: %q %v", v, err)
	}
	step(t, u, false, Installed)
	if c := st.commands(t); !slices.Equal(c, []string{"install liaison-station_1.5.0_amd64.deb"}) {
		t.Fatalf("commands %v", c)
	}
}
