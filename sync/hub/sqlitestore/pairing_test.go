package sqlitestore

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"liaison/sync/hub/store"
)

func TestPairing(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreatePairingCode(ctx, "NOPE", store.RoleKiosk, ""); !errors.Is(err, store.ErrUnknownStation) {
		t.Fatalf("unknown station: %v", err)
	}
	if _, err := s.CreatePairingCode(ctx, "HX01", "printer", ""); !errors.Is(err, store.ErrInvalidRole) {
		t.Fatalf("bad role: %v", err)
	}
	used, err := s.CreatePairingCode(ctx, "HX01", store.RoleKiosk, "大厅一体机")
	if err != nil {
		t.Fatal(err)
	}
	if len(used.Code) != store.PairingLength || strings.Trim(used.Code, store.PairingAlphabet) != "" {
		t.Fatalf("code %q not %d characters of the alphabet", used.Code, store.PairingLength)
	}
	if !used.Expires.Equal(t0.Add(store.PairingTTL)) {
		t.Fatalf("expires %v", used.Expires)
	}
	// Typed with a dash and in lower case, as a technician might.
	typed := strings.ToLower(used.Code[:4] + "-" + used.Code[4:])
	d, err := s.Pair(ctx, typed, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Code != "K1" || d.Station != "HX01" || d.Role != store.RoleKiosk || d.Name != "大厅一体机" {
		t.Fatalf("paired %+v", d)
	}
	got, err := s.Device(ctx, d.ID)
	if err != nil || !got.PublicKey.Equal(pub) {
		t.Fatalf("device lookup %+v, %v", got, err)
	}
	expired, err := s.CreatePairingCode(ctx, "HX01", store.RoleWall, "")
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(store.PairingTTL)
	cases := []struct {
		name string
		code string
		key  ed25519.PublicKey
		want error
	}{
		{"used", used.Code, pub, store.ErrCodeUsed},
		{"expired", expired.Code, pub, store.ErrCodeExpired},
		{"unknown", "ABCDEFGH", pub, store.ErrCodeUnknown},
		{"short key", expired.Code, pub[:10], store.ErrInvalidKey},
	}
	for _, tc := range cases {
		if _, err := s.Pair(ctx, tc.code, tc.key, ""); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// The database holds no code in clear.
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pairing_codes WHERE hash = ?`, used.Code).Scan(&n); err != nil || n != 0 {
		t.Fatalf("code stored in clear: %d, %v", n, err)
	}
}

func TestPairingCodeIsSingleUseUnderRace(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	pc, err := s.CreatePairingCode(ctx, "HX01", store.RoleKiosk, "")
	if err != nil {
		t.Fatal(err)
	}
	const n = 6
	errs := make(chan error, n)
	for range n {
		go func() {
			pub, _, _ := ed25519.GenerateKey(rand.Reader)
			_, err := s.Pair(ctx, pc.Code, pub, "")
			errs <- err
		}()
	}
	ok := 0
	for range n {
		select {
		case err := <-errs:
			if err == nil {
				ok++
			} else if !errors.Is(err, store.ErrCodeUsed) {
				t.Errorf("unexpected error %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("pairing did not finish")
		}
	}
	if ok != 1 {
		t.Fatalf("%d devices paired with one code", ok)
	}
}
