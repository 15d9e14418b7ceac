package wsserver

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"liaison/sync/protocol"
)

// Defaults of Config.
const (
	DefaultAuthTimeout  = 10 * time.Second
	DefaultPingInterval = 25 * time.Second
	DefaultPongWait     = 60 * time.Second
	DefaultWriteTimeout = 10 * time.Second
	DefaultSendQueue    = 64
	DefaultHeartbeat    = 20 * time.Second
)

// Config tunes the endpoint. The zero value is usable: zero fields take their defaults.
type Config struct {
	// AllowedOrigins lists browser origins (e.g. "https://hub.example") allowed to connect.
	// Devices send no Origin header; any other origin is refused with 403.
	AllowedOrigins []string
	AuthTimeout    time.Duration // from connect to a valid hello
	PingInterval   time.Duration // how often the hub pings
	PongWait       time.Duration // a session silent this long is dropped
	WriteTimeout   time.Duration // one frame's write
	SendQueue      int           // frames queued per session before it counts as a slow consumer
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
	if c.SendQueue <= 0 {
		c.SendQueue = DefaultSendQueue
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

	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		// The upgrader already answered with an HTTP error (bad origin, not a WebSocket).
		s.log.Debug("upgrade refused", "remote", r.RemoteAddr, "err", err)
		return
	}
	sess := newSession(s, conn, r.RemoteAddr)
	sess.run()
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
