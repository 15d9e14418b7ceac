package wsserver

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"liaison/sync/hub/lograte"
	"liaison/sync/protocol"
)

// Defaults of Config.
const (
	DefaultAuthTimeout  = 5 * time.Second
	DefaultPingInterval = 25 * time.Second
	DefaultPongWait     = 60 * time.Second
	DefaultWriteTimeout = 10 * time.Second
	// DefaultSendQueueBytes holds one frame of the largest size and the small frames
	// (acks, beats) behind it; the downloader reads the next page only once the last one
	// is written, so a device that reads never fills it.
	DefaultSendQueueBytes = protocol.MaxFrameBytes + 512<<10
	// DefaultMinSendRate is the slowest link the hub waits for: a frame of n bytes may take
	// WriteTimeout + n ÷ this rate to write (a 1 MiB page: 42 s).
	DefaultMinSendRate = 32 << 10
	// DefaultMaxPending bounds the connections that have not yet said a valid hello.
	DefaultMaxPending = 1024
	DefaultHeartbeat  = 20 * time.Second
)

// Config tunes the endpoint. The zero value is usable: zero fields take their defaults.
type Config struct {
	// AllowedOrigins lists browser origins (e.g. "https://hub.example") allowed to connect.
	// Devices send no Origin header; any other origin is refused with 403.
	AllowedOrigins []string
	AuthTimeout    time.Duration // from connect to a valid hello
	PingInterval   time.Duration // how often the hub pings
	PongWait       time.Duration // a session silent this long is dropped
	WriteTimeout   time.Duration // one frame's write, plus its size at MinSendRate
	SendQueueBytes int           // bytes queued per session before it counts as a slow consumer
	MinSendRate    int           // bytes per second: the slowest link a frame's write waits for
	MaxPending     int           // connections before their hello; beyond, 503 before the upgrade
	PageLimit      int           // largest page the hub sends (≤ protocol.MaxPageEvents)
	Heartbeat      time.Duration // heartbeat interval advertised to devices
	MaxSessions    int           // 0: unlimited; beyond it new sessions are closed with 4010
	Now            func() time.Time
	Metrics        *Metrics // optional
}

func (c Config) withDefaults() Config {
	if c.AuthTimeout <= 0 {
		c.AuthTimeout = DefaultAuthTimeout
	}
	if c.PingInterval <= 0 {
		c.PingInterval = DefaultPingInterval
	}
	if c.PongWait <= 0 {
		c.PongWait = DefaultPongWait
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.SendQueueBytes <= 0 {
		c.SendQueueBytes = DefaultSendQueueBytes
	}
	if c.MinSendRate <= 0 {
		c.MinSendRate = DefaultMinSendRate
	}
	if c.MaxPending <= 0 {
		c.MaxPending = DefaultMaxPending
	}
	if c.PageLimit <= 0 || c.PageLimit > protocol.MaxPageEvents {
		c.PageLimit = protocol.MaxPageEvents
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = DefaultHeartbeat
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Server is the hub's sync endpoint. It implements http.Handler; mount it at /sync.
type Server struct {
	store    Store
	cfg      Config
	log      *slog.Logger
	upgrader websocket.Upgrader
	ctx      context.Context
	cancel   context.CancelFunc

	mu       sync.Mutex
	sessions map[string]*session // by device id
	closed   bool
	wg       sync.WaitGroup

	pending    atomic.Int64  // connections before their hello
	gen        atomic.Uint64 // numbers connections in order of arrival
	limitedLog *lograte.Limiter
}

// New returns a Server over store.
func New(store Store, cfg Config, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		store:    store,
		cfg:      cfg,
		log:      log.With("component", "wsserver"),
		ctx:      ctx,
		cancel:   cancel,
		sessions: make(map[string]*session),
	}
	s.limitedLog = lograte.New(s.log, 0, 0, nil)
	allowed := make(map[string]bool, len(cfg.AllowedOrigins))
	for _, o := range cfg.AllowedOrigins {
		allowed[o] = true
	}
	s.upgrader = websocket.Upgrader{
		HandshakeTimeout: cfg.AuthTimeout,
		ReadBufferSize:   4 << 10,
		// Idle sessions hold no write buffer: a pool lends one only while a frame is written.
		WriteBufferPool: &sync.Pool{},
		Subprotocols:    []string{protocol.Subprotocol},
		CheckOrigin: func(r *http.Request) bool {
			o := r.Header.Get("Origin")
			return o == "" || allowed[o]
		},
	}
	return s
}

// ServeHTTP upgrades the request and runs one device session until it ends.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	// Strangers are counted until their hello is verified (run lowers the count): beyond the
	// bound the hub answers before it spends a connection's buffers and goroutines on them.
	if s.pending.Add(1) > int64(s.cfg.MaxPending) {
		s.pending.Add(-1)
		s.cfg.Metrics.pendingRefused()
		http.Error(w, "too many connections", http.StatusServiceUnavailable)
		return
	}
	gen := s.gen.Add(1)
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.pending.Add(-1)
		// The upgrader already answered with an HTTP error (bad origin, not a WebSocket).
		s.log.Debug("upgrade refused", "remote", r.RemoteAddr, "err", err)
		return
	}
	// Upgrade cleared the deadlines net/http set on the connection (its ReadTimeout and
	// WriteTimeout do not reach a session); from here the session sets its own.
	sess := newSession(s, conn, r.RemoteAddr, gen)
	sess.run()
}

// Revoke ends the live session of a device staff revoked, with close 4004: the station stops
// retrying and shows that it was disabled. It reports whether a session was open.
func (s *Server) Revoke(device string) bool {
	s.mu.Lock()
	sess := s.sessions[device]
	s.mu.Unlock()
	if sess == nil {
		return false
	}
	s.log.Warn("revoked device's session closed", "device", device, "station", sess.dev.Station)
	sess.closeWith(protocol.CloseRevoked, "device revoked")
	return true
}

// RevokeAll ends the sessions of every device in ids that has one; the hub calls it with the
// revoked devices it finds in its store, so a revocation made by another process (the
// command line) also ends the session.
func (s *Server) RevokeAll(ids []string) int {
	n := 0
	for _, id := range ids {
		if s.Revoke(id) {
			n++
		}
	}
	return n
}

// Notify tells the endpoint the hub log has grown to lastSeq; live sessions are sent what
// they have not seen of their scope. It never blocks on a session.
func (s *Server) Notify(lastSeq int64) {
	s.mu.Lock()
	list := make([]*session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		list = append(list, sess)
	}
	s.mu.Unlock()
	for _, sess := range list {
		sess.wake(lastSeq)
	}
}

// notifyStations wakes only sessions of the given stations; "" in stations wakes everyone,
// since global events belong to every scope.
func (s *Server) notifyStations(stations map[string]bool, lastSeq int64) {
	if stations[""] {
		s.Notify(lastSeq)
		return
	}
	s.mu.Lock()
	list := make([]*session, 0, 4)
	for _, sess := range s.sessions {
		if stations[sess.dev.Station] {
			list = append(list, sess)
		}
	}
	s.mu.Unlock()
	for _, sess := range list {
		sess.wake(lastSeq)
	}
}

// Connected returns the number of authenticated sessions.
func (s *Server) Connected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Close ends every session with "going away" (devices reconnect soon) and waits for them.
// Later requests are refused.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	list := make([]*session, 0, len(s.sessions))
	for _, sess := range s.sessions {
		list = append(list, sess)
	}
	s.mu.Unlock()
	s.cancel()
	for _, sess := range list {
		sess.closeWith(protocol.CloseGoingAway, closingReason)
	}
	s.wg.Wait()
}

// closingReason goes with the going-away close of a hub that shuts down.
const closingReason = "hub shutting down"

// register makes sess the device's session, closing an older one (newest wins: the old TCP
// connection may be half-open after a network change). It closes sess and returns false when
// the hub is shutting down (Close ran after the welcome went out, so it did not see sess) or
// full.
func (s *Server) register(sess *session) bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		sess.closeWith(protocol.CloseGoingAway, closingReason)
		return false
	}
	old := s.sessions[sess.dev.ID]
	if old != nil && old.gen > sess.gen {
		// A connection the device opened after this one is already open: this one is the
		// device's abandoned attempt that finished its hello late. It goes, never the newer.
		s.mu.Unlock()
		sess.closeWith(protocol.CloseReplaced, "a newer session is open")
		return false
	}
	if old == nil && s.cfg.MaxSessions > 0 && len(s.sessions) >= s.cfg.MaxSessions {
		s.mu.Unlock()
		sess.closeWith(protocol.CloseBusy, "hub full")
		return false
	}
	s.sessions[sess.dev.ID] = sess
	n := len(s.sessions)
	s.mu.Unlock()
	if old != nil {
		old.closeWith(protocol.CloseReplaced, "replaced by a newer session")
	}
	s.cfg.Metrics.setSessions(n)
	return true
}

func (s *Server) unregister(sess *session) {
	s.mu.Lock()
	if s.sessions[sess.dev.ID] == sess {
		delete(s.sessions, sess.dev.ID)
	}
	n := len(s.sessions)
	s.mu.Unlock()
	s.cfg.Metrics.setSessions(n)
}
