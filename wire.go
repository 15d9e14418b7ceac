package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"liaison/app"
	"liaison/app/store"
	"liaison/app/updater"
	"liaison/sync/client"
	"liaison/sync/domain"
)

// station is what main builds: the services bound to the window, the loops behind them, and
// the store they share.
type station struct {
	services app.Services
	notify   *app.Notifier
	bg       *app.Background
	store    *store.Store // nil when it could not be opened
	watch    *app.FrontendWatch
	mon      *app.Monitor
	log      *slog.Logger
	desk     *app.Desk
	updates  *updater.Updater // nil when the station does not update itself
	now      func() time.Time
}

// build opens the store, the devices and the sync client with the clock now and hands them
// to one service per audience. When the station cannot be opened as asked it still returns
// one (and the error): the window then shows what is wrong instead of the process
// crash-looping, and its services answer store_failed.
func build(ctx context.Context, cfg app.Config, launch app.Launch, log *slog.Logger, ring *app.LogRing,
	now func() time.Time) (*station, error) {
	st, id, openErr := openStore(ctx, &cfg, launch, log, now)
	id.HubURL = cfg.HubURL
	ids := app.NewIdentityRef(id)
	settings := app.NewSettings(cfg)
	notify := app.NewNotifier(log)
	devs := app.NewDeviceSet(nil)
	mon := &app.Monitor{Config: cfg, StoreOpen: st != nil, StoreErr: openErr, Devices: devs, Store: st}
	base := app.Base{Config: cfg, Store: st, Log: log, Now: now, ID: ids, Notify: notify}
	desk := app.NewDesk(time.Duration(cfg.IdleSeconds)*time.Second, now, notify)
	watch := app.NewFrontendWatch(now, log.With("component", "window"))

	// newSync makes the sync client of an enrolment, at start-up or after pairing on the
	// technician screen.
	newSync := func(id app.Identity) *client.Client {
		c := client.New(client.Config{
			HubURL: app.SyncURL(id.HubURL), DeviceID: id.DeviceID, AppVersion: app.Version,
			Role: cfg.Role, Health: mon.Health, OnApplied: notify.Applied, Now: now,
		}, st, id.Key, log)
		mon.SetSync(c, id.HubURL)
		notify.SetSync(c)
		return c
	}
	var syncc *client.Client
	if st != nil {
		devs = app.NewDeviceSet(app.OpenDevices(cfg, log))
		mon.Devices = devs
		if id.Paired() && cfg.HubURL != "" {
			syncc = newSync(id)
		} else {
			log.Warn("not paired with a hub: working offline only")
		}
	}

	s := &station{
		services: app.Services{
			System:     app.NewSystem(settings, ids, mon, watch, log, now),
			Kiosk:      app.NewKiosk(base, desk, devs),
			Wall:       app.NewWall(base, mon),
			Rep:        app.NewRep(base, desk, devs),
			Activities: app.NewActivities(base, desk),
		},
		notify: notify,
		store:  st,
		watch:  watch,
		mon:    mon,
		log:    log,
		desk:   desk,
		now:    now,
	}
	if st != nil && id.Paired() {
		s.updates = newUpdater(cfg, cfg.HubURL, log.With("component", "updates"), now)
	}
	s.bg = &app.Background{Devices: devs, Sync: syncc, Kiosk: s.services.Kiosk, Rep: s.services.Rep,
		Wall: s.services.Wall, Desk: desk, Status: mon, Notify: notify, Log: log}
	tech := app.TechnicianDeps{Settings: settings, IDs: ids, Status: mon, Logs: ring, Log: log,
		Desk: desk, Devices: devs}
	if st != nil {
		s.bg.NewSync = newSync
		tech.Control = s.bg
		tech.Pair = func(ctx context.Context, c app.Config, code string) (app.Identity, error) {
			return app.Pair(ctx, st, c, code, log)
		}
	}
	s.services.Technician = app.NewTechnician(tech)
	return s, openErr
}

// openStore prepares the data directory, opens the store on the given clock and reads (or,
// with --pair, obtains) the device's identity. The store is returned open whenever it could
// be opened, even if a later step failed.
func openStore(ctx context.Context, cfg *app.Config, launch app.Launch, log *slog.Logger,
	now func() time.Time) (*store.Store, app.Identity, error) {
	if err := app.PrepareDataDir(cfg, launch); err != nil {
		return nil, app.Identity{}, err
	}
	loc, err := cfg.Location()
	if err != nil {
		return nil, app.Identity{}, err
	}
	rules := domain.DefaultRules()
	rules.Location = loc // deadlines and "today" in the station's zone, not the machine's
	st, err := store.Open(filepath.Join(cfg.DataDir, "station.db"), log.With("component", "store"),
		store.WithClock(now), store.WithRules(rules))
	if err != nil {
		return nil, app.Identity{}, fmt.Errorf("open store: %w", err)
	}
	id, err := app.LoadIdentity(ctx, st)
	if err != nil {
		return st, id, err
	}
	if launch.PairCode != "" {
		paired, err := app.Pair(ctx, st, *cfg, launch.PairCode, log)
		if err != nil {
			return st, id, err
		}
		id = paired
	}
	return st, id, nil
}

// start starts the devices and the sync client; a station without a store starts nothing.
func (s *station) start(ctx context.Context) {
	if s.store != nil {
		s.bg.Start(ctx)
		go s.mon.WatchStore(ctx, func(st app.DeviceStatus) { s.notify.Emit(app.EventStatusChanged, st) })
	}
	if s.updates != nil {
		go runUpdates(ctx, s.updates, s.desk.Busy, s.healthy, s.log.With("component", "updates"), s.now)
	}
}

// healthy is the systemd watchdog's check: the store, if it opened, still answers a read,
// and the window, if there is one, answers heartbeats or came back after a reload. A store
// that never opened does not count: the window explains that, and a restart would not help.
func (s *station) healthy(ctx context.Context) error {
	if s.store != nil {
		if _, err := s.store.LastLocalSeq(ctx); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	return s.watch.Healthy()
}

// close stops everything and closes the store.
func (s *station) close() {
	s.bg.Stop()
	if s.store != nil {
		if err := s.store.Close(); err != nil {
			s.log.Warn("close store", "err", err)
		}
	}
}
