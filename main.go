// Command liaison-station is the station app: the touch kiosk or the wall screen of a
// representative liaison station. It only wires (wire.go): it opens the store, the devices,
// the sync client and the clock and hands them to the services of app/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"liaison/app"
	"liaison/device/cli"
	"liaison/internal/sdnotify"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if len(args) > 0 {
		switch args[0] {
		case "device":
			// Technician commands: no window, no GTK, work on a machine with no display.
			return cli.Main(ctx, args[1:], stdout, stderr)
		case "update":
			// The privileged install of a station update (liaison-station-update.service).
			return updateMain(ctx, args[1:], stderr)
		case "version":
			fmt.Fprintln(stdout, "liaison-station", app.Version)
			return 0
		}
	}
	if bindingsBuild {
		// A build with -tags bindings only writes the frontend's bindings (make bindings).
		if err := writeBindings(); err != nil {
			fmt.Fprintln(stderr, "liaison-station: write bindings:", err)
			return 1
		}
		return 0
	}
	cfg, launch, err := app.ParseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "liaison-station:", err)
		return 2
	}
	ring := app.NewLogRing(500)
	log, closeLog := newLogger(cfg.DataDir, ring, stderr)
	defer closeLog()

	st, err := build(ctx, cfg, launch, log, ring, time.Now)
	if err != nil {
		// The window still opens and says what is wrong, instead of a crash loop.
		log.Error("station cannot start", "err", err)
	}
	defer st.close()

	sd := sdnotify.FromEnv()
	keepalive, stopKeepalive := context.WithCancel(ctx)
	defer stopKeepalive()
	ready := func() {
		if err := sd.Send(sdnotify.Ready); err != nil {
			log.Warn("tell systemd the station is ready", "err", err)
		}
		go sd.Keepalive(keepalive, st.healthy, log)
	}
	if launch.Headless {
		st.start(ctx)
		ready()
		log.Info("running headless", "role", cfg.Role, "data", cfg.DataDir)
		<-ctx.Done()
		_ = sd.Send(sdnotify.Stopping)
		return 0
	}
	if err := runWindow(ctx, st, cfg, ready, log); err != nil {
		log.Error("window failed", "err", err)
		return 1
	}
	_ = sd.Send(sdnotify.Stopping)
	return 0
}

// newLogger logs JSON to station.log in the data directory (kept for the technician) and text
// to stderr, and keeps recent lines in ring for the technician screen.
func newLogger(dataDir string, ring *app.LogRing, stderr io.Writer) (*slog.Logger, func()) {
	level := new(slog.LevelVar)
	if os.Getenv("LIAISON_DEBUG") != "" {
		level.Set(slog.LevelDebug)
	}
	text := slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})
	var handler slog.Handler = text
	closeFn := func() {}
	if err := os.MkdirAll(dataDir, 0o700); err == nil {
		f, err := os.OpenFile(filepath.Join(dataDir, "station.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err == nil {
			handler = fanout{text, slog.NewJSONHandler(f, &slog.HandlerOptions{Level: level})}
			closeFn = func() { _ = f.Close() }
		}
	}
	return slog.New(ring.Handler(handler)), closeFn
}

// fanout sends each record to several handlers.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			errs = append(errs, h.Handle(ctx, r.Clone()))
		}
	}
	return errors.Join(errs...)
}

func (f fanout) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(attrs)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}
