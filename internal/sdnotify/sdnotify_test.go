package sdnotify

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// listen opens a datagram socket like systemd's and returns its address and a function that
// reads the next message (failing the test after a deadline).
func listen(t *testing.T, addr string) func() string {
	t.Helper()
	name := addr
	if addr[0] == '@' {
		name = "\x00" + addr[1:]
	}
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return func() string {
		t.Helper()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 256)
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("no message: %v", err)
		}
		return string(buf[:n])
	}
}

func TestSendToPathAndAbstractSockets(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{
		filepath.Join(t.TempDir(), "notify"),
		"@liaison-sdnotify-test-" + strconv.Itoa(os.Getpid()),
	} {
		next := listen(t, addr)
		n := New(addr, 0)
		for _, msg := range []string{Ready, Watchdog, Stopping} {
			if err := n.Send(msg); err != nil {
				t.Fatal(err)
			}
			if got := next(); got != msg {
				t.Fatalf("%s: got %q, want %q", addr, got, msg)
			}
		}
	}
}

func TestWithoutSocketNothingHappens(t *testing.T) {
	n := New("", time.Second)
	if n.Enabled() {
		t.Fatal("enabled without a socket")
	}
	if err := n.Send(Ready); err != nil {
		t.Fatal(err)
	}
	if err := New(filepath.Join(t.TempDir(), "absent"), 0).Send(Ready); err == nil {
		t.Fatal("a missing socket was not reported")
	}
}

func TestFromEnv(t *testing.T) {
	cases := []struct {
		name, usec, pid string
		want            time.Duration
	}{
		{"watchdog for this process", "30000000", strconv.Itoa(os.Getpid()), 30 * time.Second},
		{"no pid named", "2000000", "", 2 * time.Second},
		{"for the parent (a kiosk compositor)", "30000000", strconv.Itoa(os.Getppid()), 30 * time.Second},
		{"another process", "30000000", "999999999", 0},
		{"no watchdog", "", "", 0},
		{"garbage", "soon", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("NOTIFY_SOCKET", "/run/systemd/notify")
			t.Setenv("WATCHDOG_USEC", tc.usec)
			t.Setenv("WATCHDOG_PID", tc.pid)
			n := FromEnv()
			if !n.Enabled() || n.WatchdogInterval() != tc.want {
				t.Fatalf("enabled %v, interval %v, want %v", n.Enabled(), n.WatchdogInterval(), tc.want)
			}
		})
	}
}

// TestBeatPingsOnlyWhenHealthy: a failing health check sends nothing; the next passing one
// pings again.
func TestBeatPingsOnlyWhenHealthy(t *testing.T) {
	t.Parallel()
	addr := filepath.Join(t.TempDir(), "notify")
	next := listen(t, addr)
	health := errors.New("store gone")
	k := keeper{n: New(addr, time.Second), log: slog.New(slog.DiscardHandler), timeout: time.Second,
		healthy: func(context.Context) error { return health }}
	k.beat(context.Background())
	k.beat(context.Background())
	health = nil
	k.beat(context.Background())
	// The first message to arrive is the ping after recovery: the failing beats sent none.
	if got := next(); got != Watchdog {
		t.Fatalf("got %q", got)
	}
	if k.failing {
		t.Fatal("still failing after a passing check")
	}
}

func TestKeepaliveSendsUntilCancelled(t *testing.T) {
	t.Parallel()
	addr := filepath.Join(t.TempDir(), "notify")
	next := listen(t, addr)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		New(addr, 20*time.Millisecond).Keepalive(ctx, func(context.Context) error { return nil }, slog.New(slog.DiscardHandler))
		close(done)
	}()
	for i := 0; i < 3; i++ {
		if got := next(); got != Watchdog {
			t.Fatalf("got %q", got)
		}
	}
	cancel()
	<-done
}
