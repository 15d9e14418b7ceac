package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"liaison/app"
	"liaison/app/updater"
	"liaison/internal/every"
	"liaison/sync/update"
)

// DefaultUpdateKey is the public update key a station trusts; the station updates itself
// only when the file exists. LIAISON_UPDATE_KEY names another file, LIAISON_UPDATE_HOUR
// another quiet hour (0–23, station zone).
const DefaultUpdateKey = "/etc/liaison/update.pub"

// healthySince is how long the new version must have run with its health check passing
// before it keeps itself; the rollback timer fires after updater.DefaultHealthWithin.
const healthySince = 2 * time.Minute

// newUpdater returns the station's updater, or nil when updates are off: a development
// build, no hub, or no trusted key.
func newUpdater(cfg app.Config, hubURL string, log *slog.Logger, now func() time.Time) *updater.Updater {
	if app.Version == "dev" || hubURL == "" {
		return nil
	}
	keyFile := os.Getenv("LIAISON_UPDATE_KEY")
	if keyFile == "" {
		keyFile = DefaultUpdateKey
	}
	key, err := update.ReadPublicKey(keyFile)
	if errors.Is(err, os.ErrNotExist) {
		log.Info("station updates off: no trusted update key", "file", keyFile)
		return nil
	}
	if err != nil {
		log.Error("station updates off", "err", err)
		return nil
	}
	hour := updater.DefaultQuietHour
	if h := os.Getenv("LIAISON_UPDATE_HOUR"); h != "" {
		if n, err := strconv.Atoi(h); err == nil && n >= 0 && n <= 23 {
			hour = n
		} else {
			log.Warn("LIAISON_UPDATE_HOUR is not an hour 0–23; using the default", "value", h, "default", hour)
		}
	}
	zone, err := cfg.Location()
	if err != nil {
		zone = time.Local
	}
	return updater.New(updater.Config{Hub: hubURL, Arch: runtime.GOARCH, Current: app.Version, Trusted: key,
		Dir: filepath.Join(cfg.DataDir, "updates"), QuietHour: hour, Zone: zone, Spool: true}, updater.Exec{}, now)
}

// runUpdates decides every minute and checks the hub every updater.DefaultCheckEvery, on one
// goroutine (the updater's state is not shared); it declares this version healthy once its
// health check passes after healthySince.
func runUpdates(ctx context.Context, u *updater.Updater, busy func() bool, healthy func(context.Context) error,
	log *slog.Logger, now func() time.Time) {
	started := now()
	var checked time.Time
	every.Period(ctx, time.Minute, false, func() {
		if now().Sub(started) >= healthySince && healthy(ctx) == nil {
			if err := u.Healthy(); err != nil {
				log.Error("record a healthy update", "err", err)
			}
		}
		if checked.IsZero() || now().Sub(checked) >= updater.DefaultCheckEvery {
			checked = now()
			if v, err := u.Check(ctx); err != nil {
				log.Warn("update check", "err", err)
			} else if v != "" {
				log.Info("station update downloaded and verified", "version", v)
			}
		}
		a, err := u.Step(ctx, busy())
		switch {
		case err != nil:
			log.Error("station update", "action", a, "err", err)
		case a == updater.Installed || a == updater.RolledBack || a == updater.Failed:
			log.Warn("station update", "action", a)
		}
	})
}

// updateMain runs "liaison-station update apply --request FILE" as root: it verifies and
// installs the package the unprivileged station asked for (updater.Apply). No display.
func updateMain(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("liaison-station update", flag.ContinueOnError)
	fs.SetOutput(stderr)
	req := fs.String("request", "/var/lib/liaison-station/updates/"+updater.RequestFile, "install request written by the station")
	keyFile := fs.String("key", DefaultUpdateKey, "trusted update key")
	keep := fs.String("keep", "/var/cache/liaison-station-update", "root-owned directory the packages are verified and kept in")
	if len(args) == 0 || args[0] != "apply" {
		fmt.Fprintln(stderr, "usage: liaison-station update apply [--request FILE] [--key FILE] [--keep DIR]")
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil)).With("component", "update-apply")
	key, err := update.ReadPublicKey(*keyFile)
	if err != nil {
		log.Error("no trusted update key", "err", err)
		return 1
	}
	if err := updater.Apply(ctx, updater.ApplyConfig{Trusted: key, Current: app.Version, Keep: *keep}, *req, updater.Exec{}, log); err != nil {
		log.Error("update refused or failed", "request", *req, "err", err)
		return 1
	}
	return 0
}
