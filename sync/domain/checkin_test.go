package domain

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

func TestCheckInWindows(t *testing.T) {
	t.Parallel()
	dev, other, keys := twoDevices(t)
	// shown at 10:00:05, in the window starting 10:00:00
	shown := time.Date(2026, 11, 23, 10, 0, 5, 0, time.UTC)
	code, err := SignCheckIn(CheckInCode{Activity: "act-3", Device: "dev-1", Window: WindowOf(shown)}, dev)
	if err != nil {
		t.Fatal(err)
	}
	wrongDevice, _ := SignCheckIn(CheckInCode{Activity: "act-3", Device: "dev-1", Window: WindowOf(shown)}, other)
	unknown, _ := SignCheckIn(CheckInCode{Activity: "act-3", Device: "dev-9", Window: WindowOf(shown)}, dev)
	raw, _ := base64.RawURLEncoding.DecodeString(code)
	raw[len(raw)-10] ^= 1 // inside the signature
	altered := base64.RawURLEncoding.EncodeToString(raw)

	tests := []struct {
		name string
		code string
		at   time.Time
		want error
	}{
		{"same window", code, shown.Add(20 * time.Second), nil},
		{"next window", code, shown.Add(40 * time.Second), nil},
		{"window before (phone clock ahead of hub)", code, shown.Add(-30 * time.Second), nil},
		{"two windows later", code, shown.Add(60 * time.Second), ErrCheckInStale},
		{"two windows before", code, shown.Add(-60 * time.Second), ErrCheckInStale},
		{"a day later", code, shown.Add(24 * time.Hour), ErrCheckInStale},
		{"signed by another device", wrongDevice, shown, ErrCheckInForged},
		{"unknown device", unknown, shown, ErrCheckInDevice},
		{"altered byte", altered, shown, ErrCheckInForged},
		{"truncated", code[:len(code)-10], shown, ErrCheckInMalformed},
		{"cut short", code[:20], shown, ErrCheckInMalformed},
		{"empty", "", shown, ErrCheckInMalformed},
		{"not base64", "%%%", shown, ErrCheckInMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := VerifyCheckIn(tc.code, keys, tc.at)
			if tc.want == nil {
				if err != nil || c.Activity != "act-3" || c.Device != "dev-1" || c.Window != WindowOf(shown) {
					t.Fatalf("verify: %+v %v", c, err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func TestWindowStart(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 10, 0, 47, 0, time.UTC)
	if got := WindowStart(WindowOf(at)); !got.Equal(time.Date(2026, 11, 23, 10, 0, 30, 0, time.UTC)) {
		t.Fatalf("window start %v", got)
	}
}

func FuzzParseCheckIn(f *testing.F) {
	c, _ := SignCheckIn(CheckInCode{Activity: "a", Device: "d", Window: 1}, testKey(f, 9))
	f.Add(c)
	f.Fuzz(func(t *testing.T, s string) { _, _, _, _ = ParseCheckIn(s) })
}
