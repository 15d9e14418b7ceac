package domain

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

func TestRepTicketSignVerify(t *testing.T) {
	t.Parallel()
	dev, other, keys := twoDevices(t)
	now := time.Date(2026, 11, 23, 2, 0, 0, 500, time.UTC)
	tk, err := NewRepTicket("HX01-R01", "dev-1", "HX01", now)
	if err != nil {
		t.Fatal(err)
	}
	if !tk.Expires.Equal(tk.Issued.Add(RepTicketTTL)) || len(tk.Nonce) != 2*RepTicketNonceSize {
		t.Fatalf("ticket %+v", tk)
	}
	again, _ := NewRepTicket("HX01-R01", "dev-1", "HX01", now)
	if again.Nonce == tk.Nonce {
		t.Fatal("two tickets share a nonce")
	}
	code, err := SignRepTicket(tk, dev)
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifyRepTicket(code, keys, now.Add(time.Minute))
	if err != nil || got != tk {
		t.Fatalf("verify: %+v %v, want %+v", got, err, tk)
	}

	cases := []struct {
		name string
		code string
		at   time.Time
		want error
	}{
		{"just within the skew after expiry", code, tk.Expires.Add(RepTicketSkew), nil},
		{"expired", code, tk.Expires.Add(RepTicketSkew + time.Second), ErrTicketStale},
		{"from the future", code, tk.Issued.Add(-RepTicketSkew - time.Second), ErrTicketStale},
		{"signed by another device", mustSign(t, tk, other), now, ErrTicketForged},
		{"unknown or revoked device", mustSign(t, RepTicket{Rep: "HX01-R01", Device: "dev-9", Station: "HX01",
			Issued: tk.Issued, Expires: tk.Expires, Nonce: tk.Nonce}, dev), now, ErrTicketDevice},
		{"not base64", "%%%", now, ErrTicketMalformed},
		{"truncated", code[:40], now, ErrTicketMalformed},
		{"tampered rep", tamper(t, code), now, ErrTicketForged},
	}
	for _, c := range cases {
		_, err := VerifyRepTicket(c.code, keys, c.at)
		if !errors.Is(err, c.want) && !(c.want == nil && err == nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestRepTicketValidityBounded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	tk, _ := NewRepTicket("HX01-R01", "dev-1", "HX01", now)
	tk.Expires = tk.Issued.Add(RepTicketTTL + time.Second)
	if _, err := SignRepTicket(tk, testKey(t, 7)); !errors.Is(err, ErrTicketMalformed) {
		t.Fatalf("a ticket longer than %v signed: %v", RepTicketTTL, err)
	}
	tk.Expires = tk.Issued
	if _, err := SignRepTicket(tk, testKey(t, 7)); !errors.Is(err, ErrTicketMalformed) {
		t.Fatalf("a ticket of no validity signed: %v", err)
	}
	tk.Expires, tk.Rep = tk.Issued.Add(time.Minute), ""
	if _, err := SignRepTicket(tk, testKey(t, 7)); !errors.Is(err, ErrTicketMalformed) {
		t.Fatalf("a ticket without rep signed: %v", err)
	}
}

func mustSign(t *testing.T, tk RepTicket, key ed25519.PrivateKey) string {
	t.Helper()
	code, err := SignRepTicket(tk, key)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// tamper changes the last byte of the rep id, keeping the signature.
func tamper(t *testing.T, code string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(code)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-ed25519.SignatureSize-1] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(raw)
}
