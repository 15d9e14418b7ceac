package domain

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// twoDevices gives the keys of devices dev-1 and dev-2 and the lookup of their public keys
// (nil for any other id).
func twoDevices(t testing.TB) (dev, other ed25519.PrivateKey, keys func(string) ed25519.PublicKey) {
	dev, other = testKey(t, 7), testKey(t, 8)
	keys = func(id string) ed25519.PublicKey {
		switch id {
		case "dev-1":
			return dev.Public().(ed25519.PublicKey)
		case "dev-2":
			return other.Public().(ed25519.PublicKey)
		}
		return nil
	}
	return dev, other, keys
}

func testKey(t testing.TB, b byte) ed25519.PrivateKey {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = b
	}
	return ed25519.NewKeyFromSeed(seed)
}

// alter flips one bit of the decoded payload at index i and re-encodes it.
func alter(t testing.TB, payload string, i int) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(payload, BadgePrefix))
	if err != nil || i >= len(raw) {
		t.Fatalf("alter %d: %v", i, err)
	}
	raw[i] ^= 0x01
	return BadgePrefix + base64.RawURLEncoding.EncodeToString(raw)
}

func TestBadgeSignVerify(t *testing.T) {
	t.Parallel()
	hub, other := testKey(t, 1), testKey(t, 2)
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	good := Badge{Rep: "rep-01", Serial: "B0001", ValidUntil: now.AddDate(1, 0, 0)}
	payload, err := SignBadge(good, hub)
	if err != nil {
		t.Fatal(err)
	}
	expired, _ := SignBadge(Badge{Rep: "rep-01", Serial: "B0002", ValidUntil: now.Add(-time.Second)}, hub)
	atExpiry, _ := SignBadge(Badge{Rep: "rep-01", Serial: "B0003", ValidUntil: now}, hub)
	forged, _ := SignBadge(good, other)
	revoked := func(s string) bool { return s == "B0009" }
	revokedBadge, _ := SignBadge(Badge{Rep: "rep-02", Serial: "B0009", ValidUntil: now.AddDate(1, 0, 0)}, hub)

	tests := []struct {
		name    string
		payload string
		key     ed25519.PublicKey
		want    error
	}{
		{"valid", payload, hub.Public().(ed25519.PublicKey), nil},
		{"valid with whitespace and newline", " " + payload + "\r\n", hub.Public().(ed25519.PublicKey), nil},
		{"expired", expired, hub.Public().(ed25519.PublicKey), ErrBadgeExpired},
		{"expires exactly now", atExpiry, hub.Public().(ed25519.PublicKey), ErrBadgeExpired},
		{"revoked", revokedBadge, hub.Public().(ed25519.PublicKey), ErrBadgeRevoked},
		{"signed by another key", forged, hub.Public().(ed25519.PublicKey), ErrBadgeForged},
		{"verified with the wrong key", payload, other.Public().(ed25519.PublicKey), ErrBadgeForged},
		{"no hub key", payload, nil, ErrBadgeForged},
		{"truncated signature", payload[:len(payload)-4], hub.Public().(ed25519.PublicKey), ErrBadgeMalformed},
		{"truncated to the body", payload[:len(BadgePrefix)+10], hub.Public().(ed25519.PublicKey), ErrBadgeMalformed},
		{"prefix only", BadgePrefix, hub.Public().(ed25519.PublicKey), ErrBadgeMalformed},
		{"altered expiry byte", alter(t, payload, 4), hub.Public().(ed25519.PublicKey), ErrBadgeForged},
		{"altered rep byte", alter(t, payload, 12), hub.Public().(ed25519.PublicKey), ErrBadgeForged},
		{"altered signature byte", alter(t, payload, 40), hub.Public().(ed25519.PublicKey), ErrBadgeForged},
		{"altered length byte", alter(t, payload, 5), hub.Public().(ed25519.PublicKey), ErrBadgeMalformed},
		{"altered version", alter(t, payload, 0), hub.Public().(ed25519.PublicKey), ErrBadgeMalformed},
		{"not base64", BadgePrefix + "!!!", hub.Public().(ed25519.PublicKey), ErrBadgeMalformed},
		{"other text", "https://example.invalid/x", hub.Public().(ed25519.PublicKey), ErrBadgeMalformed},
		{"empty", "", hub.Public().(ed25519.PublicKey), ErrBadgeMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := VerifyBadge(tc.payload, tc.key, now, revoked)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				if b.Rep != good.Rep || b.Serial != good.Serial || !b.ValidUntil.Equal(good.ValidUntil.Truncate(time.Second)) {
					t.Fatalf("decoded %+v, want %+v", b, good)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func TestBadgeRefusesBadFields(t *testing.T) {
	t.Parallel()
	key := testKey(t, 3)
	until := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, b := range map[string]Badge{
		"no rep":      {Serial: "B1", ValidUntil: until},
		"no serial":   {Rep: "r", ValidUntil: until},
		"long rep":    {Rep: strings.Repeat("r", MaxBadgeField+1), Serial: "B1", ValidUntil: until},
		"zero expiry": {Rep: "r", Serial: "B1"},
	} {
		if _, err := SignBadge(b, key); !errors.Is(err, ErrBadgeMalformed) {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

func TestBadgeCompact(t *testing.T) {
	t.Parallel()
	p, err := SignBadge(Badge{Rep: "rep-16", Serial: "B0016", ValidUntil: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)}, testKey(t, 4))
	if err != nil {
		t.Fatal(err)
	}
	// A QR of version 7 (45×45) in byte mode at level M holds 122 bytes: a badge fits one
	// that a cheap scanner reads from a phone screen at arm's length.
	if len(p) > 122 || !IsBadge(p) {
		t.Fatalf("payload of %d bytes: %s", len(p), p)
	}
}

func FuzzParseBadge(f *testing.F) {
	p, _ := SignBadge(Badge{Rep: "r1", Serial: "B1", ValidUntil: time.Unix(2e9, 0)}, testKey(f, 5))
	f.Add(p)
	f.Add(BadgePrefix + "AQ")
	f.Fuzz(func(t *testing.T, s string) {
		_, _, _, _ = ParseBadge(s)
		_, _ = VerifyBadge(s, testKey(t, 5).Public().(ed25519.PublicKey), time.Unix(1e9, 0), nil)
	})
}
