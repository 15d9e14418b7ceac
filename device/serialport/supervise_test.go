package serialport

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"testing"
	"time"
)

// closePort records whether the supervisor closed it.
type closePort struct {
	io.ReadWriter
	mu     sync.Mutex
	closed bool
}

func (p *closePort) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	return nil
}

// The supervisor retries a failing open, closes every port it opened once its session ends,
// and returns when the context ends, whichever hook is running.
func TestSupervisorReconnectsAndStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		calls []string
		ports []*closePort
		opens int
	)
	done := make(chan struct{})
	s := &Supervisor{
		Device:  "test",
		Backoff: Backoff{Min: time.Millisecond, Max: 2 * time.Millisecond},
		Open: func() (Port, error) {
			opens++
			if opens == 1 {
				return nil, errors.New("no such device")
			}
			p := &closePort{}
			ports = append(ports, p)
			return p, nil
		},
		Connecting: func() { calls = append(calls, "connecting") },
		OpenFailed: func(error) { calls = append(calls, "open failed") },
		Session: func(ctx context.Context, p Port) bool {
			calls = append(calls, "session")
			if len(ports) == 2 {
				close(done)
				<-ctx.Done() // the second session lasts until the driver stops
			}
			return true
		},
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the supervisor did not reconnect")
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	want := []string{"connecting", "open failed", "connecting", "session", "connecting", "session"}
	if !slices.Equal(calls, want) {
		t.Fatalf("hooks called %q, want %q", calls, want)
	}
	for i, p := range ports {
		if !p.closed {
			t.Errorf("port %d left open", i)
		}
	}
}
