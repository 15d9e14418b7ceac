package client

import (
	"testing"
	"time"

	"liaison/sync/protocol"
)

// The delay doubles from the minimum to the cap, and jitter picks a point in [d/2, d].
func TestBackoffGrowthCapAndJitter(t *testing.T) {
	t.Parallel()
	const lo, hi = 500 * time.Millisecond, 60 * time.Second
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 16 * time.Second, 32 * time.Second, 60 * time.Second, 60 * time.Second}
	cases := []struct {
		name   string
		jitter float64
		scale  func(d time.Duration) time.Duration // the delay drawn for a nominal d
	}{
		{"no jitter draws the half", 0, func(d time.Duration) time.Duration { return d / 2 }},
		{"mid jitter draws three quarters", 0.5, func(d time.Duration) time.Duration { return d/2 + d/4 }},
		{"top jitter draws almost all", 0.999, func(d time.Duration) time.Duration {
			return d/2 + time.Duration(0.999*float64(d/2))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := backoff{min: lo, max: hi, jitter: func() float64 { return tc.jitter }}
			for i, d := range want {
				if got := b.next(); got != tc.scale(d) {
					t.Fatalf("delay %d: got %v, want %v (nominal %v)", i, got, tc.scale(d), d)
				}
			}
			if got := b.capped(); got != tc.scale(hi) {
				t.Fatalf("capped: got %v, want %v", got, tc.scale(hi))
			}
			b.reset()
			if got := b.next(); got != tc.scale(lo) {
				t.Fatalf("after reset: got %v, want %v", got, tc.scale(lo))
			}
		})
	}
}

// Jitter spreads a district's stations: every draw stays inside [d/2, d].
func TestBackoffJitterStaysInRange(t *testing.T) {
	t.Parallel()
	draws := []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.9999}
	i := 0
	b := backoff{min: time.Second, max: 8 * time.Second, jitter: func() float64 {
		v := draws[i%len(draws)]
		i++
		return v
	}}
	nominal := time.Second
	for n := 0; n < 20; n++ {
		got := b.next()
		if got < nominal/2 || got > nominal {
			t.Fatalf("draw %d: %v outside [%v, %v]", n, got, nominal/2, nominal)
		}
		nominal = min(2*nominal, 8*time.Second)
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	c := Config{UploadBatch: 10_000, PageSize: -1}.withDefaults()
	if c.BackoffMin != DefaultBackoffMin || c.BackoffMax != DefaultBackoffMax || c.UploadBatch != 256 ||
		c.PageSize != protocol.MaxPageEvents || c.Now == nil || c.Jitter == nil || c.RequestTimeout != DefaultRequestTimeout {
		t.Fatalf("defaults %+v", c)
	}
	if j := c.Jitter(); j < 0 || j >= 1 {
		t.Fatalf("default jitter %v outside [0, 1)", j)
	}
}
