// Package server is the hub's HTTP server: health and metrics, device pairing, the staff
// endpoints for devices and badges, the residents' public status page, and the mount points of
// the console (sync/hub/console) and of the WebSocket sync endpoint.
package server

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/lograte"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// Store is what the server needs from the hub store; the methods' contracts are those of
// store.Store, which has them all, as it has QRStore's, RepStore's and Subscriber's.
type Store interface {
	Epoch() string
	LastSeq(ctx context.Context) (int64, error)
	Ping(ctx context.Context) error
	Pair(ctx context.Context, code string, pub ed25519.PublicKey, name string) (store.DeviceInfo, error)
	Station(ctx context.Context, code string) (domain.Station, error)
	Department(ctx context.Context, code string) (domain.Department, error)
	Category(ctx context.Context, code string) (domain.Category, error)
	Cases(ctx context.Context, f store.CaseFilter) ([]domain.Case, error)
	Case(ctx context.Context, id string) (domain.Case, error)
	CaseByNumber(ctx context.Context, number string) (domain.Case, error)
	StreamEvents(ctx context.Context, stream string) ([]domain.Event, error)
	Act(ctx context.Context, caseID string, kind domain.Kind, actor domain.Actor, payload any) (domain.Event, error)
	CreatePairingCode(ctx context.Context, station, role, name string) (store.PairingCode, error)
	Devices(ctx context.Context) ([]store.DeviceInfo, error)
	RevokeDeviceBy(ctx context.Context, id string, actor domain.Actor) error
}

var (
	_ Store      = store.Store(nil)
	_ QRStore    = store.Store(nil)
	_ RepStore   = store.Store(nil)
	_ Subscriber = store.Store(nil)
)

// Config configures the server.
type Config struct {
	Version   string
	PublicURL string // how stations and phones reach the hub, e.g. https://hub.example.org
	// Console serves the case desk, the accounts and the console app, and guards the other
	// staff endpoints; nil leaves them closed.
	Console     Console
	SignKey     ed25519.PublicKey
	BoxKey      [32]byte
	ResidentKey []byte // the district's key for residents' keyed hashes; handed out at pairing
	Now         func() time.Time
	// Updates holds the station packages served at /api/v1/updates; nil serves none.
	Updates Updates
	Rules   domain.Rules // the lifecycle's deadlines; domain.DefaultRules() when zero
	// ShutdownTimeout bounds how long Serve waits for requests in flight after its context
	// ends; DefaultShutdownTimeout when zero.
	ShutdownTimeout time.Duration
	// ReadTimeout and WriteTimeout of ordinary requests; the defaults when zero.
	ReadTimeout, WriteTimeout time.Duration
}

// Server serves the hub's HTTP endpoints.
type Server struct {
	cfg     Config
	store   Store
	sync    http.Handler
	metrics *Metrics
	log     *slog.Logger
	handler http.Handler
	pairing *failureLimiter
	signUps *failureLimiter // posts to the mobile sign-up page
	// limitedLog writes what strangers can cause (failed pairings) at a bounded rate.
	limitedLog *lograte.Limiter
}

// New builds the server. sync, when not nil, is mounted at /sync (the WebSocket endpoint,
// wsserver.Server); metrics, when not nil, is served at /metrics and counts requests.
func New(cfg Config, store Store, sync http.Handler, metrics *Metrics, log *slog.Logger) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rules.IsZero() {
		cfg.Rules = domain.DefaultRules()
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, store: store, sync: sync, metrics: metrics, log: log,
		pairing: newFailureLimiter(DefaultPairFailures, DefaultPairTracked, DefaultPairGlobalFailures,
			DefaultPairWindow, cfg.Now),
		signUps:    newFailureLimiter(SignUpPosts, DefaultPairTracked, SignUpGlobalPosts, SignUpWindow, cfg.Now),
		limitedLog: lograte.New(log, 0, 0, cfg.Now)}
	s.handler = s.routes()
	return s
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics.handler())
	}
	mux.HandleFunc("POST /api/v1/pair", s.pair)
	mux.HandleFunc("GET /api/v1/updates/latest", s.latestUpdate)
	mux.HandleFunc("GET /api/v1/updates/release", s.releaseUpdate)
	mux.HandleFunc("GET /api/v1/updates/{arch}/{file}", s.updatePackage)
	if s.cfg.Console != nil {
		s.cfg.Console.Mount(mux)
	}
	mux.Handle("POST /api/v1/pairing-codes", s.staff(s.createPairingCode))
	mux.Handle("GET /api/v1/devices", s.staff(s.listDevices))
	mux.Handle("POST /api/v1/devices/{id}/revoke", s.staff(s.revokeDevice))
	mux.HandleFunc("GET /c/{number}", s.statusPage)
	s.qrRoutes(mux)
	s.signUpRoutes(mux)
	s.repRoutes(mux)
	s.rankingRoutes(mux)
	if s.sync != nil {
		mux.Handle("/sync", s.sync)
	}
	var h http.Handler = harden(mux, "/sync")
	if s.metrics != nil {
		h = s.metrics.count(h)
	}
	return h
}

// Handler returns the server's routes, for tests and for embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves on ln until ctx ends, then shuts down gracefully: it stops accepting, lets
// requests in flight finish within ShutdownTimeout and returns nil. Hijacked connections
// (the sync endpoint's sessions) are not waited for here; close the sync endpoint as well.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       DefaultIdleTimeout,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// APIError is the body of every API error: a registered code (sync/domain) and its
// parameters, which a client words from its catalogue, and the English message as a
// fallback for logs and scripts. For a refused case action Reason is the registered code
// of why (Code says which check failed). It never carries internals; those go to the log.
type APIError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Params  map[string]string `json:"params,omitempty"`
	Reason  string            `json:"reason,omitempty"`
}

func writeError(w http.ResponseWriter, status int, e *domain.Error) {
	httpjson.Write(w, status, APIError{Code: e.Code, Message: text.Message(text.En, e.Code, e.Params), Params: e.Params})
}

// writeTransitionError answers a refused case action: the check that failed as the code,
// the registered reason and its parameters.
func writeTransitionError(w http.ResponseWriter, te *domain.TransitionError) {
	body := APIError{Code: "transition_" + string(te.Code)}
	body.Message = text.Message(text.En, body.Code, nil)
	if te.Reason != nil {
		body.Reason, body.Params = te.Reason.Code, te.Reason.Params
		body.Message = text.Message(text.En, te.Reason.Code, te.Reason.Params)
	}
	httpjson.Write(w, http.StatusConflict, body)
}

// internal logs err and answers 500 without details.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, domain.NewError(domain.CodeInternal))
}

// decodeBody reads a request's JSON body, at most httpjson.DefaultMaxBody bytes of it.
func decodeBody(r *http.Request, v any) error { return httpjson.Decode(r, v, httpjson.DefaultMaxBody) }

type health struct {
	Version string `json:"version"`
	Epoch   string `json:"epoch"`
	Store   string `json:"store"` // ok | unavailable
	LastSeq int64  `json:"last_seq"`
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	h := health{Version: s.cfg.Version, Epoch: s.store.Epoch(), Store: "ok"}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	err := s.store.Ping(ctx)
	if err == nil {
		h.LastSeq, err = s.store.LastSeq(ctx)
	}
	if err != nil {
		s.log.Warn("health check failed", "err", err)
		h.Store = "unavailable"
		httpjson.Write(w, http.StatusServiceUnavailable, h)
		return
	}
	httpjson.Write(w, http.StatusOK, h)
}
