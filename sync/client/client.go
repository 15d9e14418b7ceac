package client

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"liaison/sync/domain"
	"liaison/sync/protocol"
)

// Defaults of Config.
const (
	DefaultBackoffMin     = 500 * time.Millisecond
	DefaultBackoffMax     = 10 * time.Second // a station catches up within seconds of the hub's return
	DefaultStableAfter    = 30 * time.Second
	DefaultRequestTimeout = 10 * time.Second
	DefaultReadTimeout    = 60 * time.Second
	DefaultHeartbeat      = 20 * time.Second
)

// ErrRejected is returned by Run when the hub refused the device for a reason that retrying
// cannot fix (not enrolled, revoked, unsupported version): a person must re-pair or upgrade.
var ErrRejected = errors.New("hub rejected the device")

// ErrRevoked is returned by Run (wrapping ErrRejected too) when staff revoked the device.
var ErrRevoked = errors.New("device revoked at the hub")

// Config of a Client. Zero fields take their defaults.
type Config struct {
	HubURL     string // ws:// or wss:// URL of the hub's /sync endpoint
	DeviceID   string
	AppVersion string
	Role       string // kiosk | wall, reported in heartbeats
	// Health reports the device layer's state (Reader, Scanner); the client fills in the
	// outbox, skew and version. Nil reports nothing about devices.
	Health func() protocol.Health
	// OnApplied is called after a page of hub events was committed, from the sync goroutine.
	OnApplied func(evs []domain.Event)
	// NetDial replaces the TCP dialer (tests put a faulty link here).
	NetDial   func(ctx context.Context, network, addr string) (net.Conn, error)
	TLSConfig *tls.Config

	BackoffMin     time.Duration
	BackoffMax     time.Duration
	StableAfter    time.Duration // a session up this long resets the back-off
	RequestTimeout time.Duration // dial, handshake, and waiting for an ack or a page
	ReadTimeout    time.Duration // silence from the hub this long drops the session
	Heartbeat      time.Duration // 0: what the hub's welcome says
	UploadBatch    int
	PageSize       int
	Now            func() time.Time
	Jitter         func() float64 // uniform in [0,1); nil uses math/rand/v2
	// NoNetWatch turns off waking on the host's network changes (a link or an address coming
	// up ends a back-off wait at once).
	NoNetWatch bool
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.BackoffMin, DefaultBackoffMin)
	def(&c.BackoffMax, DefaultBackoffMax)
	def(&c.StableAfter, DefaultStableAfter)
	def(&c.RequestTimeout, DefaultRequestTimeout)
	def(&c.ReadTimeout, DefaultReadTimeout)
	if c.UploadBatch <= 0 || c.UploadBatch > protocol.MaxBatchFacts {
		c.UploadBatch = protocol.MaxBatchFacts
	}
	if c.PageSize <= 0 || c.PageSize > protocol.MaxPageEvents {
		// the largest page: a station far behind catches up in as few transactions as it can
		c.PageSize = protocol.MaxPageEvents
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Jitter == nil {
		c.Jitter = rand.Float64
	}
	return c
}

// State of the link to the hub.
type State string

const (
	StateOffline    State = "offline"    // waiting to retry
	StateConnecting State = "connecting" // dialling or authenticating
	StateConnected  State = "connected"  // session open
	StateError      State = "error"      // stopped: needs a person (re-pair, upgrade)
	// StateRevoked: staff revoked this device at the hub. The client has stopped and does not
	// retry; the screen tells the technician the device was disabled (此设备已被停用).
	StateRevoked State = "revoked"
)

// Status is what the technician screen and the wall's banner show.
type Status struct {
	State    State
	Since    time.Time // when State last changed
	LastSync time.Time // last time the station was fully caught up with the hub
	Outbox   int64     // local facts the hub has not acknowledged
	Lag      int64     // hub log positions not yet downloaded
	Epoch    string
	Cursor   int64
	SkewMS   int64 // device clock − hub clock, estimated
	// ErrorCode is the registered status code (domain.CodeSync…) of the last problem, for
	// the screen to word; empty when healthy.
	ErrorCode string
	NextRetry time.Time
	// Refused counts this device's facts the hub set aside as invalid since the client
	// started (the hub keeps them for the technician); LastRefused says which was the newest
	// (domain.CodeSyncFactRefused with its parameters). Later facts still flow.
	Refused     int64
	LastRefused *domain.Error
}

// uploadedReader is optionally implemented by a LocalStore that remembers MarkUploaded, so the
// outbox depth is right before the first session.
type uploadedReader interface {
	Uploaded(ctx context.Context) (int64, error)
}

// Client keeps a station in sync with the hub.
type Client struct {
	cfg   Config
	store LocalStore
	key   ed25519.PrivateKey
	log   *slog.Logger

	kick    chan struct{}
	changed chan struct{}
	wake    chan struct{} // ends a back-off wait early

	mu       sync.Mutex
	status   Status
	uploaded int64 // highest DevSeq the hub acknowledged, -1 while unknown
}

// New returns a Client; Run starts it.
func New(cfg Config, store LocalStore, key ed25519.PrivateKey, log *slog.Logger) *Client {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	return &Client{
		cfg: cfg, store: store, key: key, log: log.With("component", "sync"),
		kick: make(chan struct{}, 1), changed: make(chan struct{}, 1), wake: make(chan struct{}, 1),
		status:   Status{State: StateOffline, Since: cfg.Now()},
		uploaded: -1,
	}
}

// Kick asks for an upload soon, after a local write. It never blocks.
func (c *Client) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Status returns a snapshot of the sync state.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// Changed delivers a signal (coalesced) whenever Status changes.
func (c *Client) Changed() <-chan struct{} { return c.changed }

func (c *Client) update(f func(s *Status)) {
	c.mu.Lock()
	prev := c.status
	f(&c.status)
	if c.status.State != prev.State {
		c.status.Since = c.cfg.Now()
	}
	changed := c.status != prev
	c.mu.Unlock()
	if changed {
		select {
		case c.changed <- struct{}{}:
		default:
		}
	}
}

// refreshOutbox recomputes the outbox depth from the store and the last acknowledged seq.
func (c *Client) refreshOutbox(ctx context.Context) {
	last, err := c.store.LastLocalSeq(ctx)
	if err != nil {
		return
	}
	c.mu.Lock()
	up := c.uploaded
	c.mu.Unlock()
	if up < 0 {
		if ur, ok := c.store.(uploadedReader); ok {
			if v, err := ur.Uploaded(ctx); err == nil {
				up = v
			}
		}
	}
	c.update(func(s *Status) { s.Outbox = max(last-max(up, 0), 0) })
}

func (c *Client) setUploaded(seq int64) {
	c.mu.Lock()
	c.uploaded = seq
	c.mu.Unlock()
}

// Run syncs until ctx ends (returning nil) or the hub rejects the device for good (returning
// an error wrapping ErrRejected). Failed sessions are retried with jittered exponential
// back-off.
func (c *Client) Run(ctx context.Context) error {
	if epoch, seq, err := c.store.Cursor(ctx); err == nil {
		c.update(func(s *Status) { s.Epoch, s.Cursor = epoch, seq })
	}
	c.refreshOutbox(ctx)
	if !c.cfg.NoNetWatch {
		go func() {
			if err := watchNetwork(ctx, c.Wake); err != nil {
				c.log.Warn("network changes not watched; retries wait for their back-off", "err", err)
			}
		}()
	}
	bo := backoff{min: c.cfg.BackoffMin, max: c.cfg.BackoffMax, jitter: c.cfg.Jitter}
	for {
		select { // a wake from before this session is spent: only changes during the wait count
		case <-c.wake:
		default:
		}
		c.update(func(s *Status) { s.State, s.NextRetry = StateConnecting, time.Time{} })
		started := time.Now()
		res := c.session(ctx)
		if ctx.Err() != nil {
			c.update(func(s *Status) { s.State = StateOffline })
			return nil
		}
		if res.welcomed && time.Since(started) >= c.cfg.StableAfter {
			bo.reset()
		}
		var delay time.Duration
		switch res.reconnect {
		case protocol.ReconnectNever:
			if res.code == protocol.CloseRevoked {
				c.log.Error("the hub revoked this device; sync stopped")
				c.update(func(s *Status) { s.State, s.ErrorCode, s.NextRetry = StateRevoked, res.problem, time.Time{} })
				return fmt.Errorf("sync session: %w: %w: %v", ErrRejected, ErrRevoked, res.err)
			}
			c.update(func(s *Status) { s.State, s.ErrorCode = StateError, res.problem })
			return fmt.Errorf("sync session: %w: %v", ErrRejected, res.err)
		case protocol.ReconnectSoon:
			bo.reset()
			delay = bo.next()
		case protocol.ReconnectLater:
			delay = bo.capped()
		default:
			delay = bo.next()
		}
		c.log.Info("sync session ended", "err", res.err, "retry_in", delay.Round(100*time.Millisecond).String())
		retry := c.cfg.Now().Add(delay)
		c.update(func(s *Status) { s.State, s.ErrorCode, s.NextRetry = StateOffline, res.problem, retry })
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		case <-c.wake:
			t.Stop()
			c.log.Info("retrying sync now", "reason", "woken")
		}
	}
}

// Wake ends a back-off wait at once, so the next session starts now: the network came back, or
// a technician asked for it. A wake while a session is up is dropped.
func (c *Client) Wake() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// backoff is a jittered exponential delay: each delay is uniform in [d/2, d], d doubling from
// min to max.
type backoff struct {
	min, max, cur time.Duration
	jitter        func() float64
}

func (b *backoff) next() time.Duration {
	d := b.cur
	if d < b.min {
		d = b.min
	}
	b.cur = min(2*d, b.max)
	return d/2 + time.Duration(b.jitter()*float64(d/2))
}

func (b *backoff) capped() time.Duration {
	b.cur = b.max
	return b.max/2 + time.Duration(b.jitter()*float64(b.max/2))
}

func (b *backoff) reset() { b.cur = 0 }
