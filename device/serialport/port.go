// Package serialport is the one small port abstraction the device drivers use, with an
// implementation over github.com/tarm/serial, a background reader that turns any Port into a
// channel of chunks, and the reconnect loop and back-off both drivers share.
package serialport

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/tarm/serial"
)

// Port is what a driver needs from a serial line. Implementations must let Close unblock (or
// soon end) a Read in progress; Open guarantees that by always setting a read timeout.
//
// Read may return (0, ErrTimeout) when no byte arrived within the port's read timeout: that
// means "no data yet", not end of stream. Any other error ends the port's useful life.
type Port interface {
	io.ReadWriteCloser
}

// Sentinel errors of this package.
var (
	// ErrTimeout is returned by Read when the read timeout passed without data.
	ErrTimeout = errors.New("serial read timeout")
	// ErrDisconnected is returned by Read when the device behind the port went away
	// (unplugged USB adapter, closed pty master).
	ErrDisconnected = errors.New("serial device disconnected")
)

// DefaultReadTimeout is the read timeout used when Open is given zero. Short, so that Close
// and context cancellation take effect quickly; the line discipline rounds it up to 100 ms.
const DefaultReadTimeout = 100 * time.Millisecond

// earlyZeroReads is how many zero-byte reads in a row, each returning well before the read
// timeout, mean the device has hung up. A hung-up tty returns 0 bytes at once, forever, which
// would otherwise look like an endless string of timeouts.
const earlyZeroReads = 3

// Open opens path at baud, 8N1, with a read timeout (DefaultReadTimeout when zero). Without a
// timeout a blocked Read would never return and Close would hang behind it.
func Open(path string, baud int, readTimeout time.Duration) (Port, error) {
	if readTimeout <= 0 {
		readTimeout = DefaultReadTimeout
	}
	p, err := serial.OpenPort(&serial.Config{Name: path, Baud: baud, ReadTimeout: readTimeout})
	if err != nil {
		return nil, fmt.Errorf("open port %s: %w", path, err)
	}
	// VTIME has a resolution of 100 ms, with 100 ms as the floor.
	eff := readTimeout.Truncate(100 * time.Millisecond)
	if eff < 100*time.Millisecond {
		eff = 100 * time.Millisecond
	}
	return &ttyPort{path: path, port: p, timeout: eff}, nil
}

type ttyPort struct {
	path    string
	port    *serial.Port
	timeout time.Duration

	mu     sync.Mutex // guards early and closed
	early  int
	closed bool
}

func (t *ttyPort) Read(b []byte) (int, error) {
	start := time.Now()
	n, err := t.port.Read(b)
	if n > 0 {
		t.mu.Lock()
		t.early = 0
		t.mu.Unlock()
		return n, nil
	}
	t.mu.Lock()
	closed := t.closed
	t.mu.Unlock()
	if closed {
		return 0, os.ErrClosed
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("read port %s: %w", t.path, err)
	}
	// tarm/serial reports a VTIME expiry as (0, io.EOF).
	if time.Since(start) >= t.timeout/2 {
		t.mu.Lock()
		t.early = 0
		t.mu.Unlock()
		return 0, ErrTimeout
	}
	if _, serr := os.Stat(t.path); serr != nil {
		return 0, fmt.Errorf("read port %s: %w", t.path, ErrDisconnected)
	}
	t.mu.Lock()
	t.early++
	gone := t.early >= earlyZeroReads
	t.mu.Unlock()
	if gone {
		return 0, fmt.Errorf("read port %s: %w", t.path, ErrDisconnected)
	}
	return 0, ErrTimeout
}

func (t *ttyPort) Write(b []byte) (int, error) {
	n, err := t.port.Write(b)
	if err != nil {
		return n, fmt.Errorf("write port %s: %w", t.path, err)
	}
	return n, nil
}

func (t *ttyPort) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	t.mu.Unlock()
	if err := t.port.Close(); err != nil {
		return fmt.Errorf("close port %s: %w", t.path, err)
	}
	return nil
}
