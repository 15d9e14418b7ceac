package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"liaison/app/store"
	"liaison/device/idcard"
	"liaison/device/scanner"
	"liaison/sync/client"
	"liaison/sync/domain"
)

// Version is set at build time (-ldflags "-X liaison/app.Version=…").
var Version = "dev"

// Meta keys of the station store that hold its identity.
const (
	metaDeviceID     = "device_id"
	metaDeviceCode   = "device_code"
	metaStation      = "station"
	metaStationName  = "station_name"
	metaHubSignKey   = "hub_sign_key"
	metaHubBoxKey    = "hub_box_key"
	metaResidentHash = "resident_hash_key"
	metaDeviceKey    = "device_key"
)

// StationDeps are what main hands the station.
type StationDeps struct {
	Log  *slog.Logger
	Ring *LogRing
	Now  func() time.Time
}

// Station is the station's core: store, devices, sync and the kiosk session. The bound
// services are thin views over it.
type Station struct {
	cfg    Config
	launch Launch
	log    *slog.Logger
	ring   *LogRing
	now    func() time.Time

	store    *store.Store
	storeErr error
	id       identity

	emitMu sync.RWMutex
	emit   Emitter

	sessions *sessions
	reps     *repSessions
	reader   *idcard.Reader
	cardSim  *idcard.Simulator
	scanner  *scanner.Scanner
	scanSim  *scanner.Simulator
	sync     *client.Client
	board    *debouncer

	techUnlocked atomic.Bool
	started      atomic.Bool
	stopOnce     sync.Once
	cancel       context.CancelFunc
	wg           sync.WaitGroup

	system *System
	kiosk  *Kiosk
	wall   *Wall
	tech   *Technician
	rep    *Rep
	acts   *Activities
}

// identity is who this device is to the hub.
type identity struct {
	deviceID    string
	deviceCode  string
	station     string
	stationName string
	key         ed25519.PrivateKey
	hubSign     ed25519.PublicKey
	hubBox      *[32]byte
	hashKey     []byte
}

func (id identity) paired() bool { return id.deviceID != "" && id.hubBox != nil }

// NewStation opens the store and, when asked, pairs the device with the hub. When the store
// cannot be opened it still returns a station (and the error): the window then shows what is
// wrong instead of the process crash-looping.
func NewStation(ctx context.Context, cfg Config, launch Launch, deps StationDeps) (*Station, error) {
	s := &Station{cfg: cfg, launch: launch, log: deps.Log, ring: deps.Ring, now: deps.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.ring == nil {
		s.ring = NewLogRing(100)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.emit = logEmitter{log: s.log}
	s.sessions = newSessions(time.Duration(cfg.IdleSeconds)*time.Second, s.now, func() {
		s.emitEvent(EventSessionChanged, nil)
	})
	s.reps = newRepSessions(DefaultRepIdle, s.now, func() { s.emitEvent(EventRepChanged, nil) })
	s.board = newDebouncer(time.Second, func() { s.emitEvent(EventBoardChanged, struct{}{}) })
	s.system, s.kiosk, s.wall, s.tech = &System{s: s}, &Kiosk{s: s}, &Wall{s: s}, &Technician{s: s}
	s.rep, s.acts = &Rep{s: s}, &Activities{s: s}

	if err := s.open(ctx); err != nil {
		s.storeErr = err
		return s, err
	}
	return s, nil
}

func (s *Station) open(ctx context.Context) error {
	if err := s.cfg.Save(); err != nil {
		return fmt.Errorf("data directory %s: %w", s.cfg.DataDir, err)
	}
	loc, err := s.cfg.Location()
	if err != nil {
		return err
	}
	rules := domain.DefaultRules()
	rules.Location = loc
	st, err := store.Open(filepath.Join(s.cfg.DataDir, "station.db"), s.log.With("component", "store"),
		store.WithRules(rules))
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	s.store = st
	if s.launch.TechPIN != "" {
		h, err := HashPIN(s.launch.TechPIN)
		if err != nil {
			return err
		}
		s.cfg.TechPINHash = h
		if err := s.cfg.Save(); err != nil {
			return err
		}
	}
	if err := s.loadIdentity(ctx); err != nil {
		return err
	}
	if s.launch.PairCode != "" {
		if err := s.pair(ctx, s.launch.PairCode); err != nil {
			return err
		}
	}
	return nil
}

// loadIdentity reads the device key and hub keys from the store, making the device key and
// the resident hash key on first start.
func (s *Station) loadIdentity(ctx context.Context) error {
	get := func(k string) string {
		v, _ := s.store.Meta(ctx, k)
		return v
	}
	keyHex := get(metaDeviceKey)
	if keyHex == "" {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		keyHex = hex.EncodeToString(priv.Seed())
		if err := s.store.SetMeta(ctx, metaDeviceKey, keyHex); err != nil {
			return fmt.Errorf("save device key: %w", err)
		}
	}
	seed, err := hex.DecodeString(keyHex)
	if err != nil || len(seed) != ed25519.SeedSize {
		return fmt.Errorf("device key in store is damaged")
	}
	hashHex := get(metaResidentHash)
	if hashHex == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		hashHex = hex.EncodeToString(b)
		if err := s.store.SetMeta(ctx, metaResidentHash, hashHex); err != nil {
			return fmt.Errorf("save resident hash key: %w", err)
		}
	}
	hashKey, _ := hex.DecodeString(hashHex)
	s.id = identity{
		deviceID:    get(metaDeviceID),
		deviceCode:  get(metaDeviceCode),
		station:     get(metaStation),
		stationName: get(metaStationName),
		key:         ed25519.NewKeyFromSeed(seed),
		hashKey:     hashKey,
	}
	if b, err := base64.StdEncoding.DecodeString(get(metaHubSignKey)); err == nil && len(b) == ed25519.PublicKeySize {
		s.id.hubSign = ed25519.PublicKey(b)
	}
	if b, err := base64.StdEncoding.DecodeString(get(metaHubBoxKey)); err == nil && len(b) == 32 {
		var k [32]byte
		copy(k[:], b)
		s.id.hubBox = &k
	}
	return nil
}

// pair trades a one-time code for this device's enrolment at the hub.
func (s *Station) pair(ctx context.Context, code string) error {
	if s.cfg.HubURL == "" {
		return errors.New("pairing needs --hub")
	}
	name, _ := os.Hostname()
	pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	en, err := client.Pair(pctx, s.cfg.HubURL, code, s.id.key.Public().(ed25519.PublicKey), name)
	if err != nil {
		return fmt.Errorf("pair with hub %s: %w", s.cfg.HubURL, err)
	}
	if en.Role != "" && en.Role != s.cfg.Role {
		s.log.Warn("pairing code was made for another role", "code_role", en.Role, "role", s.cfg.Role)
	}
	for k, v := range map[string]string{
		metaDeviceID: en.DeviceID, metaDeviceCode: en.DeviceCode, metaStation: en.Station,
		metaStationName: en.StationName,
		metaHubSignKey:  base64.StdEncoding.EncodeToString(en.HubSignKey),
		metaHubBoxKey:   base64.StdEncoding.EncodeToString(en.HubBoxKey[:]),
	} {
		if err := s.store.SetMeta(ctx, k, v); err != nil {
			return fmt.Errorf("save enrolment: %w", err)
		}
	}
	if len(en.ResidentKey) > 0 {
		// The district's key replaces the one made locally, so residents registered anywhere
		// in the district are recognised here.
		if err := s.store.SetMeta(ctx, metaResidentHash, hex.EncodeToString(en.ResidentKey)); err != nil {
			return fmt.Errorf("save enrolment: %w", err)
		}
	}
	s.log.Info("paired with hub", "hub", s.cfg.HubURL, "device", en.DeviceID, "station", en.Station)
	return s.loadIdentity(ctx)
}

// Services are the structs bound to the frontend.
func (s *Station) Services() []any {
	if s.system == nil {
		s.system, s.kiosk, s.wall, s.tech = &System{s: s}, &Kiosk{s: s}, &Wall{s: s}, &Technician{s: s}
		s.rep, s.acts = &Rep{s: s}, &Activities{s: s}
	}
	return []any{s.system, s.kiosk, s.wall, s.tech, s.rep, s.acts}
}

// SetEmitter chooses where events go (the window, or a recorder in tests).
func (s *Station) SetEmitter(e Emitter) {
	s.emitMu.Lock()
	s.emit = e
	s.emitMu.Unlock()
}

func (s *Station) emitEvent(name string, payload any) {
	s.emitMu.RLock()
	e := s.emit
	s.emitMu.RUnlock()
	e.Emit(name, payload)
}

// Start starts the devices and the sync client. It returns at once.
func (s *Station) Start(ctx context.Context) {
	if s.store == nil || !s.started.CompareAndSwap(false, true) {
		return
	}
	ctx, s.cancel = context.WithCancel(ctx)
	// Build everything first: the workers read these fields (status reports all of them).
	s.openDevices()
	s.openSync()
	s.runDevices(ctx)
	s.runSync(ctx)
}

// Stop stops what Start started and waits for it.
func (s *Station) Stop() {
	s.stopOnce.Do(func() {
		if s.cancel != nil {
			s.cancel()
		}
		s.wg.Wait()
		if s.wall != nil {
			s.wall.hot.stop()
		}
		s.board.stop()
		s.sessions.end()
		s.reps.end()
		if s.cardSim != nil {
			_ = s.cardSim.Close()
		}
		if s.scanSim != nil {
			_ = s.scanSim.Close()
		}
	})
}

// Close stops everything and closes the store.
func (s *Station) Close() {
	s.Stop()
	if s.store != nil {
		if err := s.store.Close(); err != nil {
			s.log.Warn("close store", "err", err)
		}
	}
}

func (s *Station) goRun(name string, f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
		s.log.Debug("stopped", "worker", name)
	}()
}

// logEmitter stands in for the window before it exists and in headless runs.
type logEmitter struct{ log *slog.Logger }

func (l logEmitter) Emit(name string, _ any) { l.log.Debug("event", "name", name) }
