package main

import (
	"context"
	"fmt"
	iofs "io/fs"
	"liaison/sync/update"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"liaison/frontend"
	"liaison/internal/every"
	"liaison/internal/sdnotify"
	"liaison/sync/hub/console"
	"liaison/sync/hub/notify"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/server"
	"liaison/sync/hub/store"
	"liaison/sync/hub/wsserver"
)

// Background work of the server.
const (
	watchEvery      = time.Second // picks up appends made by the command-line tools
	closeUnratedDue = time.Minute // how often replied cases past their rating window are closed
	// sessionSweepEvery is how often expired console sessions are removed
	sessionSweepEvery = 10 * time.Minute
)

func (e *env) serve(ctx context.Context, args []string) error {
	fs := e.flags("serve")
	listen := fs.String("listen", ":8440", "address to listen on")
	seedDemo := fs.Bool("seed-demo", false, "load the demo street on start (once)")
	publicURL := fs.String("public-url", "", "URL stations and phones use to reach this hub (default http://LISTEN)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := e.openLog(slog.LevelInfo); err != nil {
		return err
	}
	release, err := e.lockData()
	if err != nil {
		return err
	}
	defer release()
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// Listen before anything else so a port in use fails at once, in one line.
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *listen, err)
	}
	defer ln.Close()
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if *seedDemo {
		loaded, err := seed.Load(ctx, st, seed.DefaultSeed, time.Now())
		if err != nil {
			return err
		}
		// the district around the demo street: a neighbouring street and the levels above
		if _, err := seed.LoadLevels(ctx, st, seed.DefaultSeed, time.Now()); err != nil {
			return err
		}
		// The holders of the simulator's sample cards, with a case to follow and one to rate.
		if _, err := seed.LoadResidents(ctx, st, st.Keys(), time.Now()); err != nil {
			return err
		}
		e.log.Info("demo data", "loaded", loaded, "station", seed.StationCode)
	}
	if *publicURL == "" {
		*publicURL = defaultPublicURL(ln.Addr())
		e.log.Warn("no --public-url given; paired devices are told to use a guess", "public_url", *publicURL)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := server.NewMetrics(reg)
	if err != nil {
		return err
	}
	wsm, err := wsserver.NewMetrics(reg)
	if err != nil {
		return err
	}
	ws := wsserver.New(st, wsserver.Config{Metrics: wsm}, e.log.With("component", "sync"))
	assets, err := iofs.Sub(frontend.Dist, "dist")
	if err != nil {
		return fmt.Errorf("console assets: %w", err)
	}
	var updates server.Updates
	var updateRepoPtr *update.Repo
	if repo, err := updateRepo(e.data); err == nil {
		updates, updateRepoPtr = repo, &repo
	} else {
		e.log.Info("station updates not served", "reason", err)
	}
	// Notices are written after the facts they tell of are committed and sent by the
	// notifier's own worker: ingest, the sync endpoint and the desk never wait on a channel.
	notifier := notify.New(notify.Config{PublicURL: *publicURL}, st, e.log.With("component", "notify"))
	con := console.New(console.Config{Updates: updateRepoPtr, PublicURL: *publicURL, Assets: assets,
		MediaDir: e.mediaDir(), EndSession: ws.Revoke, Notify: notifier}, st, e.log.With("component", "console"))
	srv := server.New(server.Config{Version: version, PublicURL: *publicURL, Console: con,
		SignKey: st.Keys().SignPublicKey(), BoxKey: st.Keys().BoxPublicKey(),
		ResidentKey: st.Keys().ResidentKey(), Updates: updates},
		st, ws, metrics, e.log.With("component", "http"))

	bg, cancelBG := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { server.Forward(bg, st, ws, metrics, e.log) })
	wg.Go(func() { st.Watch(bg, watchEvery) })
	wg.Go(func() { closeUnrated(bg, st, e.log) })
	wg.Go(func() { expireSessions(bg, con, e.log) })
	wg.Go(func() { watchRevocations(bg, st, ws, e.log) })
	wg.Go(func() { notifier.Run(bg) })

	if n, err := st.CountUsers(ctx); err == nil && n == 0 {
		fmt.Fprintf(e.errOut, firstAdminHint, e.data, strings.TrimRight(*publicURL, "/"))
	}
	last, _ := st.LastSeq(ctx)
	e.log.Info("hub serving", "addr", ln.Addr().String(), "public_url", *publicURL, "data", e.data,
		"epoch", st.Epoch(), "last_seq", last, "version", version)
	// The listener is bound and the store open: connections queue until Serve accepts them.
	sd := sdnotify.FromEnv()
	if err := sd.Send(sdnotify.Ready); err != nil {
		e.log.Warn("tell systemd the hub is ready", "err", err)
	}
	wg.Go(func() { sd.Keepalive(bg, storeHealthy(st), e.log) })
	err = srv.Serve(ctx, ln)
	e.log.Info("shutting down")
	_ = sd.Send(sdnotify.Stopping)
	ws.Close()
	cancelBG()
	wg.Wait()
	if err != nil {
		return err
	}
	e.log.Info("stopped")
	return nil
}

// storeHealthy is the watchdog's health check: the store answers a read of the log. A hub
// whose database stopped answering stops pinging systemd, which restarts it.
func storeHealthy(st store.Store) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := st.LastSeq(ctx)
		return err
	}
}

// watchRevocations ends the live sessions of revoked devices, every watchEvery: the staff API
// ends a session at once, and this picks up revocations made by the command line (another
// process), so any revocation ends the session within two seconds.
func watchRevocations(ctx context.Context, st store.Enrolment, ws *wsserver.Server, log *slog.Logger) {
	every.Period(ctx, watchEvery, false, func() {
		ids, err := st.RevokedDevices(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("list revoked devices", "err", err)
			}
			return
		}
		ws.RevokeAll(ids)
	})
}

// closeUnrated closes replied cases whose rating window has passed, once a minute.
func closeUnrated(ctx context.Context, st store.Casework, log *slog.Logger) {
	every.Period(ctx, closeUnratedDue, true, func() {
		n, err := st.CloseUnrated(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("close unrated cases", "err", err)
		}
		if n > 0 {
			log.Info("closed unrated cases", "count", n)
		}
	})
}

// expireSessions removes expired console sessions every few minutes.
func expireSessions(ctx context.Context, con *console.Console, log *slog.Logger) {
	every.Period(ctx, sessionSweepEvery, false, func() {
		if n, err := con.ExpireSessions(ctx); err != nil && ctx.Err() == nil {
			log.Warn("expire sessions", "err", err)
		} else if n > 0 {
			log.Info("expired sessions removed", "count", n)
		}
	})
}

// defaultPublicURL guesses how devices reach the hub: this machine's name and the port.
func defaultPublicURL(addr net.Addr) string {
	_, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
