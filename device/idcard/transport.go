package idcard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"liaison/device/serialport"
)

// Transport errors.
var (
	// ErrTimeout means the reader did not answer a command in time.
	ErrTimeout = errors.New("reader did not answer in time")
	// ErrPortClosed means the port stopped delivering bytes (closed, unplugged, hung up).
	ErrPortClosed = errors.New("reader port closed")
)

// Default per-command timeouts. Card access dominates: the 1295-byte base read itself takes
// about 112 ms on the wire at 115200 baud.
const (
	DefaultCommandTimeout = 500 * time.Millisecond // status, find, select, newest address
	DefaultReadTimeout    = 3 * time.Second        // base read, fingerprint read
)

// conn owns the byte stream of one open port and pairs each command with its response.
type conn struct {
	port serialport.Port
	pump *serialport.Pump
	dec  *Decoder
	log  *slog.Logger
}

func newConn(p serialport.Port, now func() time.Time, log *slog.Logger) *conn {
	return &conn{port: p, pump: serialport.StartPump(p, now), dec: NewResponseDecoder(), log: log}
}

// stop ends the background read; the owner of the port closes it.
func (c *conn) stop() { c.pump.Stop() }

// drain drops bytes that arrived unasked, such as a late answer to a command that timed out,
// so they cannot be taken for the answer to the next one.
func (c *conn) drain() error {
	for {
		select {
		case ch, ok := <-c.pump.C():
			if !ok {
				return c.portErr()
			}
			c.log.Debug("drop stale bytes", "n", len(ch.Data))
		default:
			c.dec.Reset()
			return nil
		}
	}
}

func (c *conn) portErr() error {
	if err := c.pump.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrPortClosed, err)
	}
	return ErrPortClosed
}

// transact sends cmd and waits up to timeout for one response. It returns the response and
// the instant its last byte arrived. A reader error status is returned as the error too.
func (c *conn) transact(ctx context.Context, cmd Command, timeout time.Duration) (Response, time.Time, error) {
	if err := c.drain(); err != nil {
		return Response{}, time.Time{}, err
	}
	frame := EncodeCommand(cmd)
	c.log.Debug("send", "frame", fmt.Sprintf("% X", frame))
	if _, err := c.port.Write(frame); err != nil {
		return Response{}, time.Time{}, fmt.Errorf("%w: %w", ErrPortClosed, err)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return Response{}, time.Time{}, ctx.Err()
		case <-timer.C:
			return Response{}, time.Time{}, fmt.Errorf("command %02X %02X: %w", cmd.Cmd, cmd.Para, ErrTimeout)
		case ch, ok := <-c.pump.C():
			if !ok {
				return Response{}, time.Time{}, c.portErr()
			}
			c.dec.Feed(ch.Data)
			raw, err := c.dec.Next()
			if err != nil {
				return Response{}, time.Time{}, fmt.Errorf("command %02X %02X: %w", cmd.Cmd, cmd.Para, err)
			}
			if raw == nil {
				continue
			}
			if len(raw) <= 64 {
				c.log.Debug("recv", "frame", fmt.Sprintf("% X", raw))
			} else {
				c.log.Debug("recv", "len", len(raw))
			}
			resp, err := DecodeResponse(raw)
			if err != nil {
				return Response{}, time.Time{}, err
			}
			return resp, ch.At, resp.Err()
		}
	}
}

// Timeouts groups the per-command timeouts.
type Timeouts struct {
	Command time.Duration // status, find, select, newest address
	Read    time.Duration // base or fingerprint read
}

func (t Timeouts) withDefaults() Timeouts {
	if t.Command <= 0 {
		t.Command = DefaultCommandTimeout
	}
	if t.Read <= 0 {
		t.Read = DefaultReadTimeout
	}
	return t
}

// checkSAM asks for the SAM status; a reader whose self-test failed answers 0x60.
func (c *conn) checkSAM(ctx context.Context, t Timeouts) error {
	_, _, err := c.transact(ctx, CmdSAMStatus, t.Command)
	if err != nil {
		return fmt.Errorf("check SAM status: %w", err)
	}
	return nil
}

// selectCard selects the card found in the field and returns its serial number.
func (c *conn) selectCard(ctx context.Context, t Timeouts) ([]byte, error) {
	resp, _, err := c.transact(ctx, CmdSelect, t.Command)
	if err != nil {
		return nil, fmt.Errorf("select card: %w", err)
	}
	return resp.Data, nil
}

// readBase reads the text and photo of the selected card.
func (c *conn) readBase(ctx context.Context, t Timeouts) (*Card, time.Time, error) {
	resp, at, err := c.transact(ctx, CmdReadBase, t.Read)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("read card: %w", err)
	}
	card, err := ParseBaseRead(resp.Data)
	if err != nil {
		return nil, time.Time{}, err
	}
	return card, at, nil
}

// newestAddress reads the appended address; ErrNoContent when the card has none.
func (c *conn) newestAddress(ctx context.Context, t Timeouts) (string, error) {
	resp, _, err := c.transact(ctx, CmdReadNewestAddr, t.Command)
	if err != nil {
		return "", fmt.Errorf("read newest address: %w", err)
	}
	return ParseNewestAddress(resp.Data)
}

// ReadOnce waits for a card on port and reads it: SAM status, then find every
// DefaultPollInterval until a card answers, select, read. It returns when a card was read,
// the SAM reports a fault, the port fails or ctx ends. The caller owns and closes port.
func ReadOnce(ctx context.Context, port serialport.Port) (*Card, error) {
	c := newConn(port, nil, slog.New(slog.DiscardHandler))
	defer c.stop()
	t := Timeouts{}.withDefaults()
	if err := c.checkSAM(ctx, t); err != nil {
		return nil, err
	}
	tick := time.NewTicker(DefaultPollInterval)
	defer tick.Stop()
	for {
		card, _, err := c.tryRead(ctx, t)
		switch {
		case err == nil:
			// Same session, card not moved: the appended address needs no new authentication.
			if addr, aerr := c.newestAddress(ctx, t); aerr == nil {
				card.NewestAddress = addr
			}
			return card, nil
		case errors.Is(err, ErrPortClosed), errors.Is(err, ErrSAMSelfTest), ctx.Err() != nil:
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for card: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

// tryRead runs find → select → read once; ErrNoCard when the field is empty.
func (c *conn) tryRead(ctx context.Context, t Timeouts) (*Card, time.Time, error) {
	if _, _, err := c.transact(ctx, CmdFind, t.Command); err != nil {
		return nil, time.Time{}, fmt.Errorf("find card: %w", err)
	}
	if _, err := c.selectCard(ctx, t); err != nil {
		return nil, time.Time{}, err
	}
	return c.readBase(ctx, t)
}
