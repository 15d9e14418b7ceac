package serialport

import (
	"math/rand/v2"
	"time"
)

// Default reconnect delays: quick enough that a re-plugged reader is back within a second or
// two, slow enough not to spin on a port that is gone for good.
const (
	DefaultBackoffMin = 500 * time.Millisecond
	DefaultBackoffMax = 10 * time.Second
)

// Backoff yields doubling, jittered delays between Min and Max. The zero value uses the
// defaults. It is not safe for concurrent use; each driver loop owns one.
type Backoff struct {
	Min, Max time.Duration
	next     time.Duration
}

// Next returns the delay to wait before the next attempt.
func (b *Backoff) Next() time.Duration {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = DefaultBackoffMin
	}
	if hi < lo {
		hi = max(lo, DefaultBackoffMax)
	}
	if b.next < lo {
		b.next = lo
	}
	d := b.next
	b.next = min(b.next*2, hi)
	// ±20 % jitter so that two devices on one hub do not retry in lockstep.
	jitter := time.Duration(rand.Int64N(int64(d)/5+1)) - d/10
	return max(d+jitter, time.Millisecond)
}

// Reset starts the sequence again after a success.
func (b *Backoff) Reset() { b.next = 0 }
