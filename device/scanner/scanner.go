// Package scanner drives serial QR/barcode scanners: payloads end at CR, LF or CRLF, or at an
// idle gap for scanners configured with no suffix; text is UTF-8 or GBK.
package scanner

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"liaison/device/serialport"
)

// Defaults of Config.
const (
	DefaultIdleGap    = 80 * time.Millisecond
	DefaultMaxPayload = 8 << 10
	DefaultScanBuffer = 16
	DefaultBaud       = 9600
)

// DefaultFailureMarkers are payloads scanners send when they could not decode a code
// (ZKTeco sends "%%NoRead"). Matched whole and case-insensitively.
var DefaultFailureMarkers = []string{"%%NoRead", "NoRead"}

// Config tunes a Scanner. Zero fields take the defaults.
type Config struct {
	Port           string        // shown in Status
	IdleGap        time.Duration // end a payload after this much silence; negative disables
	FailureMarkers []string      // nil means DefaultFailureMarkers; empty non-nil means none
	MaxPayload     int
	ScanBuffer     int
	BackoffMin     time.Duration
	BackoffMax     time.Duration
	Now            func() time.Time
}

func (c Config) withDefaults() Config {
	if c.IdleGap == 0 {
		c.IdleGap = DefaultIdleGap
	}
	if c.FailureMarkers == nil {
		c.FailureMarkers = DefaultFailureMarkers
	}
	if c.MaxPayload <= 0 {
		c.MaxPayload = DefaultMaxPayload
	}
	if c.ScanBuffer <= 0 {
		c.ScanBuffer = DefaultScanBuffer
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Scan is one decoded payload.
type Scan struct {
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Status is the driver's health for the screen and the heartbeat.
type Status struct {
	State      serialport.State `json:"state"`
	Port       string           `json:"port"`
	LastError  string           `json:"last_error"` // plain Chinese, "" when none
	LastScanAt time.Time        `json:"last_scan_at"`
	Scans      int64            `json:"scans"`
	Errors     int64            `json:"errors"` // failed opens, lost ports, no-read markers
}

// Scanner reads payloads from a serial scanner and reconnects when the port fails.
type Scanner struct {
	cfg    Config
	open   func() (serialport.Port, error)
	log    *slog.Logger
	scans  chan Scan
	health *serialport.Health[Status]
}

// NewScanner builds a driver; open is called for every (re)connection attempt.
func NewScanner(cfg Config, open func() (serialport.Port, error), log *slog.Logger) *Scanner {
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scanner{
		cfg:    cfg,
		open:   open,
		log:    log.With("component", "scanner"),
		scans:  make(chan Scan, cfg.ScanBuffer),
		health: serialport.NewHealth(Status{State: serialport.StateConnecting, Port: cfg.Port}),
	}
}

// Scans delivers payloads in the order they were scanned.
func (s *Scanner) Scans() <-chan Scan { return s.scans }

// StatusChanged receives a value (coalesced) whenever Status changed.
func (s *Scanner) StatusChanged() <-chan struct{} { return s.health.Changed() }

// Status returns a snapshot of the driver's health.
func (s *Scanner) Status() Status { return s.health.Get() }

func (s *Scanner) update(f func(*Status)) { s.health.Update(f) }

// Run reads the scanner until ctx ends, reconnecting with back-off; it returns ctx.Err().
func (s *Scanner) Run(ctx context.Context) error {
	sv := serialport.Supervisor{
		Device:     "scanner",
		Port:       s.cfg.Port,
		Open:       s.open,
		Backoff:    serialport.Backoff{Min: s.cfg.BackoffMin, Max: s.cfg.BackoffMax},
		Log:        s.log,
		Connecting: func() { s.update(func(st *Status) { st.State = serialport.StateConnecting }) },
		OpenFailed: func(error) {
			s.update(func(st *Status) {
				st.State, st.LastError = serialport.StateDisconnected, "无法打开扫码器串口，请检查设置"
				st.Errors++
			})
		},
		Session: s.connected,
	}
	return sv.Run(ctx)
}

// connected reads an opened port until it is lost. A scanner sends nothing until a code is
// shown to it, so any port that opened counts as healthy.
func (s *Scanner) connected(ctx context.Context, port serialport.Port) bool {
	s.update(func(st *Status) { st.State, st.LastError = serialport.StateOK, "" })
	err := s.session(ctx, port)
	if ctx.Err() == nil {
		s.log.Warn("scanner port lost", "err", err)
		s.update(func(st *Status) {
			st.State, st.LastError = serialport.StateDisconnected, "扫码器已断开连接"
			st.Errors++
		})
	}
	return true
}

var errPortEnded = errors.New("scanner port ended")

// session reads one open port until it fails or ctx ends.
func (s *Scanner) session(ctx context.Context, port serialport.Port) error {
	pump := serialport.StartPump(port, s.cfg.Now)
	defer pump.Stop()
	sp := &splitter{max: s.cfg.MaxPayload}
	idle := time.NewTimer(time.Hour)
	idle.Stop()
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-idle.C:
			s.deliver(ctx, sp.flush())
		case ch, ok := <-pump.C():
			if !ok {
				if err := pump.Err(); err != nil {
					return err
				}
				return errPortEnded
			}
			for _, p := range sp.feed(ch.Data) {
				s.deliver(ctx, p)
			}
			if s.cfg.IdleGap > 0 && sp.pending() {
				idle.Reset(s.cfg.IdleGap)
			}
		}
	}
}

func (s *Scanner) deliver(ctx context.Context, raw []byte) {
	text := decode(raw)
	if text == "" {
		return
	}
	if isFailure(text, s.cfg.FailureMarkers) {
		s.log.Info("scanner could not decode a code", "marker", text)
		s.update(func(st *Status) { st.Errors++ })
		return
	}
	sc := Scan{Text: text, At: s.cfg.Now()}
	s.update(func(st *Status) {
		st.Scans++
		st.LastScanAt = sc.At
	})
	select {
	case s.scans <- sc:
	case <-ctx.Done():
	}
}
