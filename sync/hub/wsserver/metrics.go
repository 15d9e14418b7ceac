package wsserver

import (
	"fmt"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"liaison/sync/domain"
	"liaison/sync/protocol"
)

// Metrics are the endpoint's Prometheus collectors. A nil *Metrics records nothing.
type Metrics struct {
	sessions    prometheus.Gauge
	applied     prometheus.Counter
	duplicates  prometheus.Counter
	refused     *prometheus.CounterVec
	quarantined prometheus.Counter
	slow        prometheus.Counter
	pending     prometheus.Counter
	sent        prometheus.Counter
	closes      *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		sessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "liaison_sync_sessions", Help: "Authenticated device sessions."}),
		applied: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "liaison_sync_facts_applied_total", Help: "Facts uploaded by devices and newly applied."}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "liaison_sync_facts_duplicate_total", Help: "Uploaded facts skipped as already applied."}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liaison_sync_facts_refused_total", Help: "Uploaded facts refused as invalid, by refusal code."},
			[]string{"code"}),
		quarantined: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "liaison_sync_facts_quarantined_total", Help: "Refused facts newly kept in the quarantine."}),
		slow: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "liaison_sync_disconnected_slow_total", Help: "Sessions closed because the device did not read (4008)."}),
		pending: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "liaison_sync_pending_refused_total", Help: "Connections refused with 503 because too many had not said hello yet."}),
		sent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "liaison_sync_events_sent_total", Help: "Events sent to devices in pages and pushes."}),
		closes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liaison_sync_closes_total", Help: "Sessions closed by the hub, by close code."}, []string{"code"}),
	}
	for _, c := range []prometheus.Collector{m.sessions, m.applied, m.duplicates, m.refused, m.quarantined,
		m.slow, m.pending, m.sent, m.closes} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register sync metrics: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) setSessions(n int) {
	if m != nil {
		m.sessions.Set(float64(n))
	}
}

func (m *Metrics) factsApplied(applied, dup int) {
	if m != nil {
		m.applied.Add(float64(applied))
		m.duplicates.Add(float64(dup))
	}
}

func (m *Metrics) factRefused(code domain.FactCode) {
	if m != nil {
		m.refused.WithLabelValues(string(code)).Inc()
	}
}

func (m *Metrics) factQuarantined() {
	if m != nil {
		m.quarantined.Inc()
	}
}

func (m *Metrics) slowConsumer() {
	if m != nil {
		m.slow.Inc()
	}
}

func (m *Metrics) pendingRefused() {
	if m != nil {
		m.pending.Inc()
	}
}

func (m *Metrics) eventsSent(n int) {
	if m != nil {
		m.sent.Add(float64(n))
	}
}

func (m *Metrics) closed(code protocol.CloseCode) {
	if m != nil {
		m.closes.WithLabelValues(strconv.Itoa(int(code))).Inc()
	}
}
