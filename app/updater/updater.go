// Package updater keeps a station up to date from its hub: it downloads the latest signed
// package in the background, verifies it against the update key the station trusts, installs
// it at a quiet hour when no kiosk session is open, and puts the previous package back when
// the new version does not report healthy in time.
//
// Rollback does not depend on the new version's code: before installing, the updater asks
// systemd for a timer that reinstalls the previous package unless the new version has written
// its health marker by then. A new version that never starts is rolled back all the same.
package updater

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"liaison/sync/update"
)

// Runner runs a command to completion.
type Runner interface {
	Run(ctx context.Context, argv []string) error
}

// Exec runs commands as child processes.
type Exec struct{}

// Run runs argv and reports its output when it fails.
func (Exec) Run(ctx context.Context, argv []string) error {
	if len(argv) == 0 {
		return errors.New("no command")
	}
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// Config is what the updater needs.
type Config struct {
	Hub     string // the hub's base URL
	Arch    string // Debian architecture of this station
	Current string // the running version
	Trusted ed25519.PublicKey
	Dir     string // where packages and the state are kept, e.g. DATA/updates
	// QuietHour is the hour (0–23, in Zone) during which an update may be installed.
	QuietHour int
	Zone      *time.Location
	// HealthWithin is how long a new version has to report healthy before it is rolled back.
	HealthWithin time.Duration
	// Install is the command that installs a package; the package's path is appended.
	Install []string
	// Rollback is the command scheduled before an install: it reinstalls prev after the
	// delay unless marker exists.
	Rollback func(after time.Duration, marker, prev string) []string
	Client   *http.Client
	// Spool, when set, makes Step write an install request (RequestFile in Dir) for the
	// privileged update service instead of running Rollback and Install itself.
	Spool bool
}

// Defaults of Config.
const (
	DefaultQuietHour    = 3
	DefaultHealthWithin = 10 * time.Minute
	DefaultCheckEvery   = 6 * time.Hour
)

// DefaultInstall runs dpkg outside the station's own service, which dpkg restarts.
var DefaultInstall = []string{"systemd-run", "--unit", "liaison-update", "--collect", "--wait", "dpkg", "-i"}

// RollbackScript reinstalls the package $2 unless the health marker $1 exists.
const RollbackScript = `test -e "$1" || dpkg -i "$2"`

// DefaultRollback asks systemd for a one-shot timer that runs RollbackScript.
func DefaultRollback(after time.Duration, marker, prev string) []string {
	return []string{"systemd-run", "--unit", "liaison-update-rollback", "--collect",
		"--on-active=" + strconv.Itoa(int(after.Seconds())) + "s",
		"/bin/sh", "-c", RollbackScript, "rollback", marker, prev}
}

// State is what the updater remembers between runs, in Dir/state.json.
type State struct {
	// Pending is a downloaded and verified package waiting for the quiet hour.
	Pending *update.Manifest `json:"pending,omitempty"`
	// Installing is set from the install until the new version reports healthy.
	Installing *Installing `json:"installing,omitempty"`
	// Installed is the package file of the running version, kept for the next rollback.
	Installed string `json:"installed,omitempty"`
	// Refused are versions rolled back or failed: they are not tried again.
	Refused []string `json:"refused,omitempty"`
}

// Installing records an install in progress.
type Installing struct {
	Version  string    `json:"version"`
	From     string    `json:"from"`
	File     string    `json:"file"`
	Previous string    `json:"previous,omitempty"` // package put back on failure; none on a first update
	Started  time.Time `json:"started"`
}

// Action is what one Step did.
type Action string

// The actions of Step.
const (
	Idle       Action = "idle"
	Waiting    Action = "waiting"     // an update is pending outside the quiet hour or during a session
	Installed  Action = "installed"   // the installer ran
	RolledBack Action = "rolled_back" // the previous package was reinstalled
	Failed     Action = "failed"      // the install did not take; the version is refused
)

// Updater decides and acts; it is used from one goroutine.
type Updater struct {
	cfg Config
	run Runner
	now func() time.Time
}

// New returns an updater; zero fields of cfg take their defaults.
func New(cfg Config, run Runner, now func() time.Time) *Updater {
	if cfg.Zone == nil {
		cfg.Zone = time.Local
	}
	if cfg.HealthWithin == 0 {
		cfg.HealthWithin = DefaultHealthWithin
	}
	if cfg.Install == nil {
		cfg.Install = DefaultInstall
	}
	if cfg.Rollback == nil {
		cfg.Rollback = DefaultRollback
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 30 * time.Minute}
	}
	return &Updater{cfg: cfg, run: run, now: now}
}

func (u *Updater) marker(version string) string {
	return filepath.Join(u.cfg.Dir, "healthy-"+version)
}

// LoadState reads the state; a missing file is an empty state.
func (u *Updater) LoadState() (State, error) {
	var s State
	b, err := os.ReadFile(filepath.Join(u.cfg.Dir, "state.json"))
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(b, &s)
}

func (u *Updater) saveState(s State) error {
	if err := os.MkdirAll(u.cfg.Dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(u.cfg.Dir, "state.json")
	if err := os.WriteFile(p+".part", b, 0o600); err != nil {
		return err
	}
	return os.Rename(p+".part", p)
}

// Check asks the hub for the latest package and downloads and verifies it when it is newer
// than the running version and not refused. It returns the pending version, if any.
func (u *Updater) Check(ctx context.Context) (string, error) {
	s, err := u.LoadState()
	if err != nil {
		return "", err
	}
	if s.Installing != nil {
		return "", nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		strings.TrimRight(u.cfg.Hub, "/")+"/api/v1/updates/latest?arch="+url.QueryEscape(u.cfg.Arch), nil)
	if err != nil {
		return "", err
	}
	resp, err := u.cfg.Client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return pendingVersion(s), nil
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("update check: hub answered %s", resp.Status)
	}
	var latest struct {
		Signature json.RawMessage `json:"signature"`
		URL       string          `json:"url"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&latest); err != nil {
		return "", fmt.Errorf("update check: %w", err)
	}
	// Trust nothing the hub says about the package but what the signature covers.
	m, err := update.VerifySignature(u.cfg.Trusted, latest.Signature)
	if err != nil {
		return "", err
	}
	if m.Arch != u.cfg.Arch || update.CompareVersions(m.Version, u.cfg.Current) <= 0 ||
		slices.Contains(s.Refused, m.Version) || (s.Pending != nil && s.Pending.Version == m.Version) {
		return pendingVersion(s), nil
	}
	if s.Installed == "" && update.ValidVersion(u.cfg.Current) {
		// A first update: the package this version came from was installed by hand and is not
		// here. The hub keeps what it published, so the station fetches its own version to
		// roll back to. Without it the update waits for the next check, unless the hub never
		// published this version (then there is nothing to fetch).
		name, err := u.fetchRunning(ctx)
		if err != nil {
			return "", fmt.Errorf("rollback package %s: %w", u.cfg.Current, err)
		}
		if name != "" {
			s.Installed = name
			if err := u.saveState(s); err != nil {
				return "", err
			}
		}
	}
	path := filepath.Join(u.cfg.Dir, m.FileName())
	if err := u.download(ctx, latest.URL, path, m.Size); err != nil {
		return "", err
	}
	if _, err := update.Verify(u.cfg.Trusted, path, latest.Signature); err != nil {
		os.Remove(path)
		return "", err
	}
	// Kept beside the package: the privileged install verifies it again.
	if err := os.WriteFile(filepath.Join(u.cfg.Dir, sigName(m.FileName())), latest.Signature, 0o600); err != nil {
		return "", err
	}
	if s.Pending != nil && s.Pending.FileName() != s.Installed {
		os.Remove(filepath.Join(u.cfg.Dir, s.Pending.FileName()))
		os.Remove(filepath.Join(u.cfg.Dir, sigName(s.Pending.FileName())))
	}
	s.Pending = &m
	return m.Version, u.saveState(s)
}

// updateInfo is the hub's answer about one package: its signature file and where it lies.
type updateInfo struct {
	Signature json.RawMessage `json:"signature"`
	URL       string          `json:"url"`
}

// getUpdateInfo asks the hub about a package; found is false when the hub has none.
func (u *Updater) getUpdateInfo(ctx context.Context, path string) (info updateInfo, found bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(u.cfg.Hub, "/")+path, nil)
	if err != nil {
		return info, false, err
	}
	resp, err := u.cfg.Client.Do(req)
	if err != nil {
		return info, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return info, false, nil
	}
	if resp.StatusCode != http.StatusOK {
		return info, false, fmt.Errorf("hub answered %s", resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil {
		return info, false, err
	}
	return info, true, nil
}

// fetchRunning downloads and verifies the package of the running version from the hub and
// keeps it with its signature, as Healthy keeps an installed update's. It returns the file
// name, or "" when the hub never published this version.
func (u *Updater) fetchRunning(ctx context.Context) (string, error) {
	info, found, err := u.getUpdateInfo(ctx, "/api/v1/updates/release?arch="+url.QueryEscape(u.cfg.Arch)+"&version="+url.QueryEscape(u.cfg.Current))
	if err != nil || !found {
		return "", err
	}
	m, err := update.VerifySignature(u.cfg.Trusted, info.Signature)
	if err != nil {
		return "", err
	}
	if m.Version != u.cfg.Current || m.Arch != u.cfg.Arch {
		return "", fmt.Errorf("%w: asked for %s %s, signed for %s %s", update.ErrManifest, u.cfg.Current, u.cfg.Arch, m.Version, m.Arch)
	}
	path := filepath.Join(u.cfg.Dir, m.FileName())
	if err := u.download(ctx, info.URL, path, m.Size); err != nil {
		return "", err
	}
	if _, err := update.Verify(u.cfg.Trusted, path, info.Signature); err != nil {
		os.Remove(path)
		return "", err
	}
	if err := os.WriteFile(filepath.Join(u.cfg.Dir, sigName(m.FileName())), info.Signature, 0o600); err != nil {
		return "", err
	}
	return m.FileName(), nil
}

func pendingVersion(s State) string {
	if s.Pending == nil {
		return ""
	}
	return s.Pending.Version
}

func (u *Updater) download(ctx context.Context, ref, path string, size int64) error {
	base, err := url.Parse(u.cfg.Hub)
	if err != nil {
		return err
	}
	rel, err := url.Parse(ref)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.ResolveReference(rel).String(), nil)
	if err != nil {
		return err
	}
	resp, err := u.cfg.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("update download: hub answered %s", resp.Status)
	}
	if err := os.MkdirAll(u.cfg.Dir, 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path+".part", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	// One byte more than signed is read so an oversized body fails verification.
	_, err = io.Copy(f, io.LimitReader(resp.Body, size+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path + ".part")
		return err
	}
	return os.Rename(path+".part", path)
}

// Step decides at the current time: finish or roll back an install in progress, or install a
// pending package when the hour is quiet and no kiosk session is open.
func (u *Updater) Step(ctx context.Context, sessionOpen bool) (Action, error) {
	s, err := u.LoadState()
	if err != nil {
		return Idle, err
	}
	now := u.now()
	if in := s.Installing; in != nil {
		if now.Sub(in.Started) < u.cfg.HealthWithin {
			return Waiting, nil
		}
		// Past the deadline and not healthy (Healthy clears Installing).
		s.Installing = nil
		s.Refused = append(s.Refused, in.Version)
		if u.cfg.Current == in.From {
			// The install did not take: the old version still runs.
			os.Remove(filepath.Join(u.cfg.Dir, in.File))
			return Failed, u.saveState(s)
		}
		if in.Previous == "" {
			return Failed, errors.Join(fmt.Errorf("version %s is not healthy and no previous package is kept", in.Version), u.saveState(s))
		}
		if u.cfg.Spool {
			// The root rollback timer scheduled with the install puts the previous package back.
			return Failed, errors.Join(fmt.Errorf("version %s is not healthy; the rollback timer reinstalls %s", in.Version, in.Previous), u.saveState(s))
		}
		if err := u.saveState(s); err != nil {
			return Idle, err
		}
		if err := u.run.Run(ctx, append(slices.Clone(u.cfg.Install), filepath.Join(u.cfg.Dir, in.Previous))); err != nil {
			return Failed, err
		}
		return RolledBack, nil
	}
	if s.Pending == nil {
		return Idle, nil
	}
	if now.In(u.cfg.Zone).Hour() != u.cfg.QuietHour || sessionOpen {
		return Waiting, nil
	}
	m := *s.Pending
	file := filepath.Join(u.cfg.Dir, m.FileName())
	// Checked again right before installing: the file lay on disk since it was fetched.
	size, sum, err := update.Digest(file)
	if err != nil || size != m.Size || sum != m.SHA256 {
		s.Pending = nil
		os.Remove(file)
		return Failed, errors.Join(update.ErrDigest, u.saveState(s))
	}
	in := &Installing{Version: m.Version, From: u.cfg.Current, File: m.FileName(), Started: now}
	if s.Installed != "" {
		if _, err := os.Stat(filepath.Join(u.cfg.Dir, s.Installed)); err == nil {
			in.Previous = s.Installed
		}
	}
	s.Pending, s.Installing = nil, in
	if err := u.saveState(s); err != nil {
		return Idle, err
	}
	if u.cfg.Spool {
		r := Request{Package: m.FileName(), Signature: sigName(m.FileName())}
		if _, err := os.Stat(filepath.Join(u.cfg.Dir, sigName(in.Previous))); in.Previous != "" && err == nil {
			r.Previous, r.PreviousSignature = in.Previous, sigName(in.Previous)
		}
		if err := writeRequest(u.cfg.Dir, r); err != nil {
			s.Installing, s.Pending = nil, &m
			return Failed, errors.Join(err, u.saveState(s))
		}
		return Installed, nil
	}
	if in.Previous != "" {
		if err := u.run.Run(ctx, u.cfg.Rollback(u.cfg.HealthWithin, u.marker(in.Version), filepath.Join(u.cfg.Dir, in.Previous))); err != nil {
			// Without a rollback timer the install does not go ahead.
			s.Installing, s.Pending = nil, &m
			return Failed, errors.Join(err, u.saveState(s))
		}
	}
	if err := u.run.Run(ctx, append(slices.Clone(u.cfg.Install), file)); err != nil {
		return Failed, err
	}
	return Installed, nil
}

// Healthy is called by the running version once it is healthy. After an install of this
// version it writes the marker the rollback timer looks for and keeps the package for the
// next rollback; older packages are removed.
func (u *Updater) Healthy() error {
	s, err := u.LoadState()
	if err != nil {
		return err
	}
	in := s.Installing
	if in == nil || in.Version != u.cfg.Current {
		return nil
	}
	if err := os.WriteFile(u.marker(in.Version), nil, 0o600); err != nil {
		return err
	}
	s.Installing, s.Installed = nil, in.File
	if err := u.saveState(s); err != nil {
		return err
	}
	entries, err := os.ReadDir(u.cfg.Dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if (strings.HasSuffix(n, ".deb") && n != in.File) || (strings.HasSuffix(n, ".deb.sig") && n != sigName(in.File)) || (strings.HasPrefix(n, "healthy-") && n != "healthy-"+in.Version) {
			os.Remove(filepath.Join(u.cfg.Dir, n))
		}
	}
	return nil
}
