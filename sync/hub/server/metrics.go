package server

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the hub's own Prometheus metrics, registered on a registry main creates. The
// sync endpoint registers its metrics (sessions, facts applied and duplicate, events sent) on
// the same registry through wsserver.NewMetrics.
type Metrics struct {
	reg            *prometheus.Registry
	eventsAppended prometheus.Counter
	lastSeq        prometheus.Gauge
	httpRequests   *prometheus.CounterVec
	lockedOut      prometheus.Counter
}

// NewMetrics creates the hub's metrics and registers them on reg.
func NewMetrics(reg *prometheus.Registry) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		eventsAppended: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "liaison_hub",
			Name: "events_appended_total", Help: "Events appended to the hub log by this process."}),
		lastSeq: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "liaison_hub",
			Name: "log_last_seq", Help: "Last sequence of the hub log."}),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "liaison_hub",
			Name: "http_requests_total", Help: "HTTP requests by route and status code."},
			[]string{"route", "code"}),
		lockedOut: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "liaison_hub",
			Name: "pairing_locked_out_total", Help: "Pairing attempts refused (429) after too many unknown codes."}),
	}
	for _, c := range []prometheus.Collector{m.eventsAppended, m.lastSeq, m.httpRequests, m.lockedOut} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ObserveLastSeq records the log's new last seq; the counter grows by the difference, so it
// counts appends made by this process and, via the store's watch, by the command-line tools.
func (m *Metrics) ObserveLastSeq(prev, seq int64) {
	if seq > prev {
		m.eventsAppended.Add(float64(seq - prev))
	}
	m.lastSeq.Set(float64(seq))
}

func (m *Metrics) pairingLockedOut() {
	if m != nil {
		m.lockedOut.Inc()
	}
}

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

var errNoHijack = errors.New("connection cannot be taken over")

// statusRecorder remembers the status code for the request counter.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Hijack passes the connection on: the WebSocket upgrade asserts http.Hijacker directly.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errNoHijack
	}
	r.code = http.StatusSwitchingProtocols
	return h.Hijack()
}

func (m *Metrics) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.httpRequests.WithLabelValues(route, strconv.Itoa(rec.code)).Inc()
	})
}
