package updater

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"liaison/sync/update"
)

// RequestFile is the name of the install request in the updater's directory. The station
// runs unprivileged: it only writes the request, and a root service (liaison-station
// update apply) verifies and installs.
const RequestFile = "request.json"

// Request asks the privileged side to install a package. Names are file names in the
// request's directory.
type Request struct {
	Package           string `json:"package"`
	Signature         string `json:"signature"`
	Previous          string `json:"previous,omitempty"`
	PreviousSignature string `json:"previous_signature,omitempty"`
}

func sigName(deb string) string { return deb + ".sig" }

// writeRequest writes the request atomically (temp file and rename), so the path unit never
// sees half a request.
func writeRequest(dir string, r Request) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	p := filepath.Join(dir, RequestFile)
	if err := os.WriteFile(p+".part", b, 0o600); err != nil {
		return err
	}
	return os.Rename(p+".part", p)
}

// ApplyConfig is what the privileged install needs.
type ApplyConfig struct {
	Trusted ed25519.PublicKey
	Current string // the installed version; only newer packages are installed
	// Keep is a root-owned directory the packages are copied into before they are verified,
	// so the unprivileged side cannot change them between the check and the install.
	Keep         string
	HealthWithin time.Duration
	Install      []string
	Rollback     func(after time.Duration, marker, prev string) []string
}

// Errors of Apply.
var (
	ErrRequest = errors.New("update request: bad request")
	ErrNotNew  = errors.New("update request: package is not newer than the installed version")
)

func plainName(n string) bool {
	return n != "" && n != "." && n != ".." && filepath.Base(n) == n
}

// Apply carries out the install request at path: it removes the request, copies the named
// packages into cfg.Keep, verifies them against the trusted key, schedules the rollback timer
// for the previous package and runs the installer. It trusts nothing the request's writer
// says that the signatures do not cover.
func Apply(ctx context.Context, cfg ApplyConfig, path string, run Runner, log *slog.Logger) error {
	if cfg.HealthWithin == 0 {
		cfg.HealthWithin = DefaultHealthWithin
	}
	if cfg.Install == nil {
		cfg.Install = DefaultInstall
	}
	if cfg.Rollback == nil {
		cfg.Rollback = DefaultRollback
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	f.Close()
	// Removed whatever follows: a refused request is not retried by the path unit.
	if rerr := os.Remove(path); err == nil {
		err = rerr
	}
	if err != nil {
		return err
	}
	var r Request
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return fmt.Errorf("%w: %v", ErrRequest, err)
	}
	if !plainName(r.Package) || !plainName(r.Signature) ||
		(r.Previous != "") != (r.PreviousSignature != "") ||
		(r.Previous != "" && (!plainName(r.Previous) || !plainName(r.PreviousSignature))) {
		return ErrRequest
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(cfg.Keep, 0o700); err != nil {
		return err
	}
	m, pkg, err := cfg.keep(dir, r.Package, r.Signature)
	if err != nil {
		return err
	}
	if update.CompareVersions(m.Version, cfg.Current) <= 0 {
		return fmt.Errorf("%w: %s, installed %s", ErrNotNew, m.Version, cfg.Current)
	}
	keepNames := []string{r.Package}
	if r.Previous != "" {
		keepNames = append(keepNames, r.Previous)
		_, prev, err := cfg.keep(dir, r.Previous, r.PreviousSignature)
		if err != nil {
			return fmt.Errorf("previous package: %w", err)
		}
		marker := filepath.Join(dir, "healthy-"+m.Version)
		if err := run.Run(ctx, cfg.Rollback(cfg.HealthWithin, marker, prev)); err != nil {
			// Without a rollback timer the install does not go ahead.
			return fmt.Errorf("schedule rollback: %w", err)
		}
		log.Info("rollback scheduled", "previous", r.Previous, "after", cfg.HealthWithin, "unless", marker)
	}
	log.Info("installing", "version", m.Version, "package", pkg)
	if err := run.Run(ctx, append(slices.Clone(cfg.Install), pkg)); err != nil {
		return err
	}
	log.Info("installed", "version", m.Version)
	// Older copies are no longer needed: only the new package and the rollback's are kept.
	entries, err := os.ReadDir(cfg.Keep)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !slices.Contains(keepNames, e.Name()) {
			os.Remove(filepath.Join(cfg.Keep, e.Name()))
		}
	}
	return nil
}

// keep copies the package and its signature from dir into cfg.Keep and verifies the copy.
func (cfg ApplyConfig) keep(dir, deb, sig string) (update.Manifest, string, error) {
	sigFile, err := os.ReadFile(filepath.Join(dir, sig))
	if err != nil {
		return update.Manifest{}, "", err
	}
	dst := filepath.Join(cfg.Keep, deb)
	if err := copyFile(filepath.Join(dir, deb), dst); err != nil {
		return update.Manifest{}, "", err
	}
	m, err := update.Verify(cfg.Trusted, dst, sigFile)
	if err == nil && m.FileName() != deb {
		err = fmt.Errorf("%w: signed as %s, named %s", ErrRequest, m.FileName(), deb)
	}
	if err != nil {
		os.Remove(dst)
		return update.Manifest{}, "", err
	}
	return m, dst, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst+".part", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst + ".part")
		return err
	}
	return os.Rename(dst+".part", dst)
}
