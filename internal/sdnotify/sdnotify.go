// Package sdnotify tells systemd how a service is doing (sd_notify(3)): READY=1 once it
// serves, WATCHDOG=1 while it is healthy, STOPPING=1 as it shuts down. It writes one datagram
// per message to the unix socket systemd names in NOTIFY_SOCKET; without that variable (not
// run by systemd, or not Type=notify) every call does nothing.
//
// The protocol is one datagram on a unix socket. coreos/go-systemd's daemon package sends the
// same datagram, but its watchdog check (SdWatchdogEnabled) turns the watchdog off whenever
// WATCHDOG_PID names another process, and on a kiosk it names the compositor that runs the
// station (see FromEnv); so the few lines are written here, with the socket given explicitly
// so that tests can listen on their own.
package sdnotify

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"liaison/internal/every"
)

// Messages systemd understands.
const (
	Ready    = "READY=1"
	Stopping = "STOPPING=1"
	Watchdog = "WATCHDOG=1"
)

// Notifier sends messages to systemd's notification socket.
type Notifier struct {
	addr     string        // socket path; "@name" is an abstract socket
	watchdog time.Duration // WATCHDOG_USEC for this process, 0 when off
}

// FromEnv returns the notifier the environment describes; its methods do nothing when
// NOTIFY_SOCKET is not set. The watchdog interval counts only when WATCHDOG_PID is absent or
// names this process or its parent: systemd names the service's main process, and on a kiosk
// that is the compositor (cage) that runs the station as its only client, so the station
// pings for it (the unit says NotifyAccess=all).
func FromEnv() *Notifier {
	n := &Notifier{addr: os.Getenv("NOTIFY_SOCKET")}
	usec, err := strconv.ParseInt(os.Getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || usec <= 0 {
		return n
	}
	if pid := os.Getenv("WATCHDOG_PID"); pid != "" && pid != strconv.Itoa(os.Getpid()) && pid != strconv.Itoa(os.Getppid()) {
		return n
	}
	n.watchdog = time.Duration(usec) * time.Microsecond
	return n
}

// New returns a notifier for the socket addr with the watchdog interval wd (0: no watchdog).
func New(addr string, wd time.Duration) *Notifier { return &Notifier{addr: addr, watchdog: wd} }

// Enabled tells whether there is a socket to notify.
func (n *Notifier) Enabled() bool { return n != nil && n.addr != "" }

// WatchdogInterval is the interval systemd expects a WATCHDOG=1 within, 0 when it expects none.
func (n *Notifier) WatchdogInterval() time.Duration {
	if n == nil {
		return 0
	}
	return n.watchdog
}

// Send sends one message (e.g. Ready). It does nothing without a socket.
func (n *Notifier) Send(msg string) error {
	if !n.Enabled() {
		return nil
	}
	name := n.addr
	if name[0] == '@' {
		name = "\x00" + name[1:] // Linux abstract namespace
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("notify systemd: %w", err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(msg)); err != nil {
		return fmt.Errorf("notify systemd: %w", err)
	}
	return nil
}

// Keepalive sends WATCHDOG=1 at half the watchdog interval for as long as ctx lasts, but only
// after healthy returns nil: a process that answers signals but whose store no longer works
// stops pinging, and systemd restarts it. Each check is bounded by the interval. It returns
// at once when systemd expects no pings.
func (n *Notifier) Keepalive(ctx context.Context, healthy func(context.Context) error, log *slog.Logger) {
	wd := n.WatchdogInterval()
	if !n.Enabled() || wd <= 0 {
		return
	}
	k := keeper{n: n, healthy: healthy, log: log, timeout: wd / 2}
	every.Period(ctx, wd/2, true, func() { k.beat(ctx) })
}

// keeper is one watchdog beat: check, then ping or log why not.
type keeper struct {
	n       *Notifier
	healthy func(context.Context) error
	log     *slog.Logger
	timeout time.Duration
	failing bool // the last check failed: log only the change
}

func (k *keeper) beat(ctx context.Context) {
	cctx, cancel := context.WithTimeout(ctx, k.timeout)
	err := k.healthy(cctx)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		if !k.failing {
			k.log.Error("health check failed: watchdog pings stop, systemd will restart the service", "err", err)
		}
		k.failing = true
		return
	}
	if k.failing {
		k.log.Warn("health check passes again: watchdog pings resume")
	}
	k.failing = false
	if err := k.n.Send(Watchdog); err != nil {
		k.log.Warn("watchdog ping", "err", err)
	}
}
