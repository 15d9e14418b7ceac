package app

import (
	"errors"
	"testing"
	"time"

	"liaison/internal/clocktest"
)

func TestFrontendWatchReloadsASilentWindow(t *testing.T) {
	t.Parallel()
	clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	w := NewFrontendWatch(clk.Now, nil)
	reloads := 0
	if w.Check() {
		t.Fatal("reloaded before there was a window")
	}
	w.Attach(func() { reloads++ })

	// A window that keeps beating is left alone, however long it runs.
	for i := 0; i < 100; i++ {
		clk.Advance(HeartbeatEvery)
		w.Beat()
		if w.Check() {
			t.Fatalf("reloaded a window that beats, after %d beats", i)
		}
	}
	// Silent for just under the timeout: nothing; at the timeout: one reload.
	clk.Advance(FrontendTimeout - time.Second)
	if w.Check() {
		t.Fatal("reloaded before the timeout")
	}
	clk.Advance(time.Second)
	if !w.Check() || reloads != 1 {
		t.Fatalf("no reload after %v of silence (%d)", FrontendTimeout, reloads)
	}
	// The reloaded page gets a full timeout before the next reload.
	clk.Advance(FrontendTimeout / 2)
	if w.Check() || reloads != 1 {
		t.Fatal("reloaded again at once")
	}
	if err := w.Healthy(); err != nil {
		t.Fatalf("one reload already unhealthy: %v", err)
	}
	// The page comes back: the count starts over.
	w.Beat()
	clk.Advance(FrontendTimeout)
	if !w.Check() || reloads != 2 {
		t.Fatalf("reloads %d", reloads)
	}
	w.Beat()

	// Reloads that bring no heartbeat back make the station unhealthy, so systemd restarts it.
	for i := 1; i <= MaxSilentReloads; i++ {
		clk.Advance(FrontendTimeout)
		if !w.Check() {
			t.Fatalf("silent reload %d not done", i)
		}
		err := w.Healthy()
		if i < MaxSilentReloads && err != nil {
			t.Fatalf("unhealthy after %d reloads: %v", i, err)
		}
		if i == MaxSilentReloads && !errors.Is(err, ErrFrontendFrozen) {
			t.Fatalf("healthy after %d silent reloads: %v", i, err)
		}
	}
	w.Beat()
	if err := w.Healthy(); err != nil {
		t.Fatalf("a heartbeat did not clear it: %v", err)
	}
}

func TestHeartbeatReachesTheWatch(t *testing.T) {
	t.Parallel()
	clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	w := NewFrontendWatch(clk.Now, nil)
	w.Attach(func() { t.Error("reloaded a beating window") })
	y := NewSystem(NewSettings(Config{DataDir: t.TempDir()}), NewIdentityRef(Identity{}), nil, w, nil, clk.Now)
	clk.Advance(FrontendTimeout - time.Second)
	y.Heartbeat()
	clk.Advance(FrontendTimeout - time.Second)
	if w.Check() {
		t.Fatal("the heartbeat through System did not count")
	}
	NewSystem(NewSettings(Config{}), NewIdentityRef(Identity{}), nil, nil, nil, nil).Heartbeat()
}
