package every

import (
	"context"
	"testing"
	"time"
)

func TestPeriodCallsUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		Period(ctx, time.Millisecond, false, func() {
			n++
			if n == 3 {
				cancel()
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Period did not return after its context ended")
	}
	if n != 3 {
		t.Fatalf("%d calls, want 3: none after the context ended", n)
	}
}

func TestPeriodFirstCallsAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	called := false
	// A period no test waits for: only the first call can happen before cancel.
	Period(ctx, time.Hour, true, func() { called = true; cancel() })
	if !called {
		t.Fatal("first call not made before the first tick")
	}
}
