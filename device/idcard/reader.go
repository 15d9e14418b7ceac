package idcard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"liaison/device/serialport"
)

// DefaultPollInterval is how often the driver looks for a card; readers dislike being polled
// much faster.
const DefaultPollInterval = 300 * time.Millisecond

// Defaults of Config.
const (
	DefaultRemovalGrace = 2 // failed presence probes in a row before a card counts as removed
	DefaultMaxSilence   = 3 // unanswered commands in a row before the port is reopened
	DefaultEventBuffer  = 16
)

// Config tunes a Reader. Zero fields take the defaults.
type Config struct {
	Port         string        // shown in Status; the open func decides what is opened
	PollInterval time.Duration // between find attempts
	Timeouts     Timeouts      // per command
	RemovalGrace int
	MaxSilence   int
	BackoffMin   time.Duration
	BackoffMax   time.Duration
	EventBuffer  int
	Now          func() time.Time
}

func (c Config) withDefaults() Config {
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	c.Timeouts = c.Timeouts.withDefaults()
	if c.RemovalGrace <= 0 {
		c.RemovalGrace = DefaultRemovalGrace
	}
	if c.MaxSilence <= 0 {
		c.MaxSilence = DefaultMaxSilence
	}
	if c.EventBuffer <= 0 {
		c.EventBuffer = DefaultEventBuffer
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// CardEvent reports a card placed on the reader (Card set, Removed false) or the removal of
// the card last reported (Removed true, Card the removed card).
type CardEvent struct {
	Card    *Card
	Removed bool
	At      time.Time // when the event was emitted
	ReadAt  time.Time // when the last byte of the read response arrived (zero for removals)
}

// Status is the driver's health for the screen and the heartbeat.
type Status struct {
	State      serialport.State `json:"state"`
	Port       string           `json:"port"`
	LastError  string           `json:"last_error"` // plain Chinese, "" when none
	LastCardAt time.Time        `json:"last_card_at"`
	Reads      int64            `json:"reads"`
	Errors     int64            `json:"errors"`
}

// Reader polls a reader for cards and reconnects when the port fails.
type Reader struct {
	cfg    Config
	open   func() (serialport.Port, error)
	log    *slog.Logger
	events chan CardEvent
	health *serialport.Health[Status]
}

// NewReader builds a driver. open is called for every (re)connection attempt.
func NewReader(cfg Config, open func() (serialport.Port, error), log *slog.Logger) *Reader {
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reader{
		cfg:    cfg,
		open:   open,
		log:    log.With("component", "idcard"),
		events: make(chan CardEvent, cfg.EventBuffer),
		health: serialport.NewHealth(Status{State: serialport.StateConnecting, Port: cfg.Port}),
	}
}

// Events delivers one event per card placed and one per card removed.
func (r *Reader) Events() <-chan CardEvent { return r.events }

// StatusChanged receives a value (coalesced) whenever Status changed.
func (r *Reader) StatusChanged() <-chan struct{} { return r.health.Changed() }

// Status returns a snapshot of the driver's health.
func (r *Reader) Status() Status { return r.health.Get() }

func (r *Reader) update(f func(*Status)) { r.health.Update(f) }

func (r *Reader) setState(s serialport.State, err error) {
	r.update(func(st *Status) {
		st.State = s
		if err != nil {
			st.LastError = Describe(err)
			st.Errors++
		} else if s == serialport.StateOK {
			st.LastError = ""
		}
	})
}

// Run drives the reader until ctx ends, reconnecting with back-off; it returns ctx.Err().
func (r *Reader) Run(ctx context.Context) error {
	sv := serialport.Supervisor{
		Device:     "reader",
		Port:       r.cfg.Port,
		Open:       r.open,
		Backoff:    serialport.Backoff{Min: r.cfg.BackoffMin, Max: r.cfg.BackoffMax},
		Log:        r.log,
		Connecting: func() { r.setState(serialport.StateConnecting, nil) },
		OpenFailed: func(err error) { r.setState(serialport.StateDisconnected, err) },
		Session:    r.session,
	}
	return sv.Run(ctx)
}

// present is the card the driver last reported and believes is still on the reader.
type present struct {
	card       *Card
	sn         []byte
	findFailed bool // find has failed since the read (readers do that while a read card stays)
	misses     int  // failed presence probes in a row
}

// session polls one open port. It returns whether the port worked at all, so that a reader
// that fails straight away is retried with growing delays.
func (r *Reader) session(ctx context.Context, port serialport.Port) (healthy bool) {
	c := newConn(port, r.cfg.Now, r.log)
	defer c.stop()
	if err := c.checkSAM(ctx, r.cfg.Timeouts); err != nil {
		if ctx.Err() == nil {
			r.log.Warn("reader not ready", "err", err)
			r.setState(stateFor(err), err)
		}
		return false
	}
	r.setState(serialport.StateOK, nil)
	r.log.Info("reader connected", "port", r.cfg.Port)

	var cur *present
	silent := 0
	tick := time.NewTicker(r.cfg.PollInterval)
	defer tick.Stop()
	for {
		next, err := r.poll(ctx, c, cur)
		cur = next
		switch {
		case ctx.Err() != nil:
			return true
		case errors.Is(err, ErrPortClosed):
			r.log.Warn("reader port lost", "err", err)
			r.setState(serialport.StateDisconnected, err)
			return true
		case errors.Is(err, ErrTimeout):
			silent++
			if silent >= r.cfg.MaxSilence {
				r.log.Warn("reader stopped answering", "err", err)
				r.setState(serialport.StateError, err)
				return true
			}
		case errors.Is(err, ErrSAMSelfTest):
			r.setState(serialport.StateError, err)
			return true
		case err != nil:
			silent = 0
			r.log.Info("card read failed", "err", err)
			r.update(func(st *Status) { st.Errors++; st.LastError = Describe(err) })
		default:
			silent = 0
		}
		select {
		case <-ctx.Done():
			return true
		case <-tick.C:
		}
	}
}

func stateFor(err error) serialport.State {
	if errors.Is(err, ErrPortClosed) {
		return serialport.StateDisconnected
	}
	return serialport.StateError
}

// poll runs one polling step and returns the card now believed present. Only errors worth
// counting are returned: an empty field is not one.
func (r *Reader) poll(ctx context.Context, c *conn, cur *present) (*present, error) {
	t := r.cfg.Timeouts
	_, _, err := c.transact(ctx, CmdFind, t.Command)
	switch {
	case errors.Is(err, ErrNoCard):
		if cur == nil {
			return nil, nil
		}
		cur.findFailed = true
		return r.probe(ctx, c, cur)
	case err != nil:
		return cur, fmt.Errorf("find card: %w", err)
	}

	sn, err := c.selectCard(ctx, t)
	if err != nil {
		return cur, err
	}
	// A reader that keeps finding a card it has read: same serial, never lost, same card.
	if cur != nil && !cur.findFailed && bytes.Equal(sn, cur.sn) {
		cur.misses = 0
		return cur, nil
	}
	if cur != nil {
		r.emit(ctx, CardEvent{Card: cur.card, Removed: true, At: r.cfg.Now()})
	}
	card, readAt, err := c.readBase(ctx, t)
	if err != nil {
		return nil, err
	}
	r.update(func(st *Status) {
		st.Reads++
		st.LastCardAt = readAt
		st.LastError = ""
	})
	r.emit(ctx, CardEvent{Card: card, At: r.cfg.Now(), ReadAt: readAt})
	return &present{card: card, sn: sn}, nil
}

// probe asks for the newest address, which a reader answers (with an address or "no content")
// only while the card it has read stays in the field, unmoved.
func (r *Reader) probe(ctx context.Context, c *conn, cur *present) (*present, error) {
	// The emitted Card belongs to the consumer now, so the address itself is not stored.
	_, err := c.newestAddress(ctx, r.cfg.Timeouts)
	switch {
	case err == nil, errors.Is(err, ErrNoContent):
		cur.misses = 0
		return cur, nil
	case errors.Is(err, ErrPortClosed), ctx.Err() != nil:
		return cur, err
	}
	cur.misses++
	if cur.misses < r.cfg.RemovalGrace {
		return cur, nil
	}
	r.emit(ctx, CardEvent{Card: cur.card, Removed: true, At: r.cfg.Now()})
	return nil, nil
}

func (r *Reader) emit(ctx context.Context, ev CardEvent) {
	select {
	case r.events <- ev:
	case <-ctx.Done():
	}
}

// Describe turns a driver error into a short plain-Chinese sentence for the screen.
func Describe(err error) string {
	var se *StatusError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se):
		return se.Message()
	case errors.Is(err, ErrTimeout):
		return "读卡器无应答，请检查连接线和电源"
	case errors.Is(err, ErrChecksum), errors.Is(err, ErrLength), errors.Is(err, ErrShortData):
		return "读卡器数据校验失败，请重新放卡"
	case errors.Is(err, ErrPortClosed), errors.Is(err, serialport.ErrDisconnected):
		return "读卡器已断开连接"
	case errors.Is(err, context.DeadlineExceeded):
		return "等待放卡超时"
	default:
		return "无法打开读卡器串口，请检查设置"
	}
}
