// Package every runs a background chore on a fixed period until its context ends.
package every

import (
	"context"
	"time"
)

// Period calls fn every d until ctx ends; with first, it also calls fn once before the first
// tick. fn runs on the caller's goroutine, so calls never overlap: ticks that come while fn is
// still running are dropped, not queued.
func Period(ctx context.Context, d time.Duration, first bool, fn func()) {
	if first {
		fn()
	}
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if ctx.Err() != nil {
			return
		}
		fn()
	}
}
