package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"

	"liaison/app/store"
	"liaison/sync/domain"
)

// testStation is a station wired the way main wires one (wire.go), without a sync client:
// the services over a real store in a temporary directory, the devices the settings name,
// and a recorder in place of the window.
type testStation struct {
	Services
	cfg    Config
	store  *store.Store
	id     Identity
	log    *slog.Logger
	mon    *Monitor
	bg     *Background
	rec    *recorder
	hubPub *[32]byte
	hubKey *[32]byte

	closeOnce *sync.Once
}

// stationSetup says how a test station differs from a bare one.
type stationSetup struct {
	config func(*Config)     // settings, before anything opens
	meta   map[string]string // store meta, before the identity is read
	refs   []domain.Event    // reference data from the hub (hub seq 1…n)
	now    func() time.Time  // the clock of the store and the services
	start  bool              // start the devices
}

func wireTestStation(t testing.TB, dir string, s stationSetup) *testStation {
	t.Helper()
	ctx := context.Background()
	cfg := DefaultConfig(dir)
	if s.config != nil {
		s.config(&cfg)
	}
	if err := PrepareDataDir(&cfg, Launch{}); err != nil {
		t.Fatal(err)
	}
	now := s.now
	if now == nil {
		now = time.Now
	}
	log := slog.New(slog.DiscardHandler)
	st, err := store.Open(filepath.Join(dir, "station.db"), log, store.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range s.meta {
		if err := st.SetMeta(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	id, err := LoadIdentity(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ResetRemote(ctx, "epoch-test"); err != nil {
		t.Fatal(err)
	}
	if len(s.refs) > 0 {
		if err := st.ApplyRemote(ctx, "epoch-test", s.refs, int64(len(s.refs))); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recorder{ch: make(chan emitted, 64)}
	notify := NewNotifier(log)
	notify.SetEmitter(rec)
	dev := NewDeviceSet(OpenDevices(cfg, log))
	mon := &Monitor{Config: cfg, StoreOpen: true, Devices: dev, Store: st}
	ids := NewIdentityRef(id)
	settings := NewSettings(cfg)
	base := Base{Config: cfg, Store: st, Log: log, Now: now, ID: ids, Notify: notify}
	desk := NewDesk(time.Duration(cfg.IdleSeconds)*time.Second, now, notify)
	ts := &testStation{
		Services: Services{
			System:     NewSystem(settings, ids, mon, nil, log, now),
			Kiosk:      NewKiosk(base, desk, dev),
			Wall:       NewWall(base, mon),
			Rep:        NewRep(base, desk, dev),
			Activities: NewActivities(base, desk),
		},
		cfg: cfg, store: st, id: id, log: log, mon: mon, rec: rec, closeOnce: &sync.Once{},
	}
	ts.bg = &Background{Devices: dev, Kiosk: ts.Kiosk, Rep: ts.Rep, Wall: ts.Wall, Desk: desk,
		Status: mon, Notify: notify, Log: log}
	ts.Technician = NewTechnician(TechnicianDeps{Settings: settings, IDs: ids, Status: mon,
		Logs: NewLogRing(10), Log: log, Control: ts.bg, Desk: desk, Devices: dev})
	t.Cleanup(ts.Close)
	if s.start {
		ts.bg.Start(ctx)
	}
	return ts
}

// Stop stops the loops, as the window's shutdown does.
func (ts *testStation) Stop() { ts.bg.Stop() }

// Close stops everything and closes the store, as main does on exit.
func (ts *testStation) Close() {
	ts.closeOnce.Do(func() {
		ts.bg.Stop()
		_ = ts.store.Close()
	})
}

func (ts *testStation) today() string { return ts.Kiosk.today() }

// newTestStation starts a demo kiosk with the simulated reader, provisioned as if paired:
// station HX01, device K1, a hub box key the test holds the private half of, and a category.
func newTestStation(t *testing.T) *testStation {
	t.Helper()
	pub, priv, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestStationWith(t, func(*Config) {}, map[string]string{
		metaHubBoxKey: base64.StdEncoding.EncodeToString(pub[:]),
	})
	ts.hubPub, ts.hubKey = pub, priv
	return ts
}

// newTestStationWith is newTestStation with settings changed first (the scanner simulator)
// and more store meta.
func newTestStationWith(t *testing.T, change func(*Config), meta map[string]string) *testStation {
	t.Helper()
	m := map[string]string{store.MetaStation: "HX01", store.MetaDeviceCode: "K1", store.MetaStationName: "测试联络站"}
	for k, v := range meta {
		m[k] = v
	}
	return wireTestStation(t, t.TempDir(), stationSetup{
		config: func(c *Config) {
			c.Reader, c.Demo = "sim", true
			change(c)
		},
		meta: m,
		refs: []domain.Event{
			refEvent(t, 1, domain.KindStationUpserted, "HX01", domain.Station{Code: "HX01", Name: "测试联络站", Communities: []string{"朝阳社区", "和平社区"}}),
			refEvent(t, 2, domain.KindCategoryUpserted, "env", domain.Category{Code: "env", Name: "环境卫生", Icon: "trash"}),
		},
		start: true,
	})
}

// newWallStation is a provisioned wall station over a fresh store whose clock reads *now.
func newWallStation(t testing.TB, dir string, now *time.Time) *testStation {
	t.Helper()
	ts := wireTestStation(t, dir, stationSetup{
		config: func(c *Config) { c.Role = "wall" },
		meta: map[string]string{store.MetaStation: "HX01", store.MetaDeviceCode: "W1",
			store.MetaStationName: "测试联络站", store.MetaRole: "wall"},
		now: func() time.Time { return *now },
	})
	// the embedded dictionary takes seconds to load; the figures do not depend on it
	ts.Wall.hot.newTokenizer = func() (*tokenizer, error) { return newTokenizerFromDict(testDict) }
	return ts
}
