package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

func testEpoch(t *testing.T, e *env) {
	epoch := e.s.Epoch()
	if len(epoch) < 16 {
		t.Fatalf("epoch %q is too short to be random", epoch)
	}
	e.addStation("HX01")
	last := e.lastSeq()
	e.reopen()
	if got := e.s.Epoch(); got != epoch {
		t.Errorf("epoch changed on a plain reopen: %s -> %s", epoch, got)
	}
	if got := e.lastSeq(); got != last {
		t.Errorf("log at %d after reopen, was %d", got, last)
	}
	other := newEnv(t, e.h)
	if other.s.Epoch() == epoch {
		t.Error("two databases share an epoch")
	}
}

func testPairing(t *testing.T, e *env) {
	e.addStation("HX01")
	pub := newKey(t)
	if _, err := e.s.CreatePairingCode(e.ctx, "NOPE", store.RoleKiosk, ""); !errors.Is(err, store.ErrUnknownStation) {
		t.Fatalf("unknown station: %v, want ErrUnknownStation", err)
	}
	if _, err := e.s.CreatePairingCode(e.ctx, "HX01", "printer", ""); !errors.Is(err, store.ErrInvalidRole) {
		t.Fatalf("bad role: %v, want ErrInvalidRole", err)
	}
	used, err := e.s.CreatePairingCode(e.ctx, "HX01", store.RoleKiosk, "大厅一体机")
	if err != nil {
		t.Fatal(err)
	}
	if len(used.Code) != store.PairingLength || strings.Trim(used.Code, store.PairingAlphabet) != "" {
		t.Fatalf("code %q not %d characters of the alphabet", used.Code, store.PairingLength)
	}
	if !used.Expires.Equal(t0.Add(store.PairingTTL)) {
		t.Fatalf("expires %v, want %v", used.Expires, t0.Add(store.PairingTTL))
	}
	// Typed with a dash and in lower case, as a technician might.
	typed := strings.ToLower(used.Code[:4] + "-" + used.Code[4:])
	d, err := e.s.Pair(e.ctx, typed, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Code != "K1" || d.Station != "HX01" || d.Role != store.RoleKiosk || d.Name != "大厅一体机" || d.Revoked {
		t.Fatalf("paired %+v", d)
	}
	got, err := e.s.Device(e.ctx, d.ID)
	if err != nil || !got.PublicKey.Equal(pub) || got.Code != "K1" {
		t.Fatalf("device lookup %+v, %v", got, err)
	}
	if _, err := e.s.Device(e.ctx, "nobody"); !errors.Is(err, store.ErrUnknownDevice) {
		t.Fatalf("unknown device: %v, want ErrUnknownDevice", err)
	}
	late, err := e.s.CreatePairingCode(e.ctx, "HX01", store.RoleWall, "")
	if err != nil {
		t.Fatal(err)
	}
	expired, err := e.s.CreatePairingCode(e.ctx, "HX01", store.RoleWall, "")
	if err != nil {
		t.Fatal(err)
	}
	// One second before the end a code still pairs; at the end it no longer does.
	e.clk.Advance(store.PairingTTL - time.Second)
	wall, err := e.s.Pair(e.ctx, late.Code, newKey(t), "二楼走廊")
	if err != nil || wall.Code != "W1" || wall.Name != "二楼走廊" {
		t.Fatalf("pair just before expiry: %+v, %v", wall, err)
	}
	e.clk.Advance(time.Second)
	for _, tc := range []struct {
		name string
		code string
		key  []byte
		want error
	}{
		{"used", used.Code, pub, store.ErrCodeUsed},
		{"expired", expired.Code, newKey(t), store.ErrCodeExpired},
		{"unknown", "ABCDEFGH", newKey(t), store.ErrCodeUnknown},
		{"short key", expired.Code, pub[:10], store.ErrInvalidKey},
	} {
		if _, err := e.s.Pair(e.ctx, tc.code, tc.key, ""); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	devs, err := e.s.Devices(e.ctx)
	if err != nil || len(devs) != 2 || devs[0].Code != "K1" || devs[1].Code != "W1" {
		t.Fatalf("devices %+v, %v", devs, err)
	}
}

func testPendingPairings(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	if got, err := e.s.PendingPairings(e.ctx); err != nil || len(got) != 0 {
		t.Fatalf("pending on an empty hub: %+v, %v", got, err)
	}
	first, err := e.s.CreatePairingCode(e.ctx, "HX01", store.RoleKiosk, "大厅一体机")
	if err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Minute)
	second, err := e.s.CreatePairingCode(e.ctx, "HX02", store.RoleWall, "走廊大屏")
	if err != nil {
		t.Fatal(err)
	}
	third, err := e.s.CreatePairingCode(e.ctx, "HX02", store.RoleKiosk, "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.s.PendingPairings(e.ctx)
	if err != nil || len(got) != 3 {
		t.Fatalf("pending %+v, %v", got, err)
	}
	if got[0].Station != "HX01" || got[0].Role != store.RoleKiosk || got[0].Name != "大厅一体机" ||
		!got[0].Created.Equal(t0) || !got[0].Expires.Equal(first.Expires) || got[0].ID == got[1].ID {
		t.Fatalf("first pending %+v, want the code of %+v", got[0], first)
	}
	// Looked up as typed: lower case, with a dash.
	p, err := e.s.PendingPairing(e.ctx, strings.ToLower(second.Code[:4]+"-"+second.Code[4:]))
	if err != nil || p.Station != "HX02" || p.Role != store.RoleWall || p.Name != "走廊大屏" {
		t.Fatalf("lookup of the second code: %+v, %v", p, err)
	}
	// Redeemed, it leaves the list and its lookup says so.
	if _, err := e.s.Pair(e.ctx, first.Code, newKey(t), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.PendingPairing(e.ctx, first.Code); !errors.Is(err, store.ErrCodeUsed) {
		t.Fatalf("lookup of a redeemed code: %v, want ErrCodeUsed", err)
	}
	// Cancelled, it can no longer pair.
	if err := e.s.CancelPairing(e.ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.s.CancelPairing(e.ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("cancel twice: %v, want ErrNotFound", err)
	}
	if _, err := e.s.Pair(e.ctx, second.Code, newKey(t), ""); !errors.Is(err, store.ErrCodeUsed) {
		t.Fatalf("pair with a cancelled code: %v, want ErrCodeUsed", err)
	}
	got, err = e.s.PendingPairings(e.ctx)
	if err != nil || len(got) != 1 || got[0].Station != "HX02" || got[0].Role != store.RoleKiosk {
		t.Fatalf("pending after redeeming one and cancelling one: %+v, %v", got, err)
	}
	thirdID := got[0].ID
	// Expired, it leaves the list too and can no longer be cancelled.
	e.clk.Advance(store.PairingTTL)
	if got, err := e.s.PendingPairings(e.ctx); err != nil || len(got) != 0 {
		t.Fatalf("pending after expiry: %+v, %v", got, err)
	}
	if _, err := e.s.PendingPairing(e.ctx, third.Code); !errors.Is(err, store.ErrCodeExpired) {
		t.Fatalf("lookup of an expired code: %v, want ErrCodeExpired", err)
	}
	if err := e.s.CancelPairing(e.ctx, thirdID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("cancel an expired code: %v, want ErrNotFound", err)
	}
	if _, err := e.s.PendingPairing(e.ctx, "ABCDEFGH"); !errors.Is(err, store.ErrCodeUnknown) {
		t.Fatalf("lookup of an unknown code: %v, want ErrCodeUnknown", err)
	}
}

func testPairingRace(t *testing.T, e *env) {
	e.addStation("HX01")
	pc, err := e.s.CreatePairingCode(e.ctx, "HX01", store.RoleKiosk, "")
	if err != nil {
		t.Fatal(err)
	}
	const n = 6
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := e.s.Pair(e.ctx, pc.Code, newKey(t), "")
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
	if devs, err := e.s.Devices(e.ctx); ok != 1 || err != nil || len(devs) != 1 {
		t.Fatalf("%d pairings succeeded and %d devices enrolled with one code (%v)", ok, len(devs), err)
	}
}

func testRevoke(t *testing.T, e *env) {
	e.addStation("HX01")
	f := e.kiosk("HX01")
	e.apply(f, f.Submission(t, "case-1", "HX01-K1-1"))
	by := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}
	if err := e.s.RevokeDeviceBy(e.ctx, "nobody", by); !errors.Is(err, store.ErrUnknownDevice) {
		t.Fatalf("revoke unknown: %v, want ErrUnknownDevice", err)
	}
	if err := e.s.RevokeDeviceBy(e.ctx, f.Dev.ID, by); err != nil {
		t.Fatal(err)
	}
	if err := e.s.RevokeDeviceBy(e.ctx, f.Dev.ID, domain.Actor{Role: domain.RoleStaff, ID: "other"}); err != nil {
		t.Fatalf("revoke again: %v", err)
	}
	evs, err := e.s.StreamEvents(e.ctx, "device:"+f.Dev.ID)
	if err != nil || len(evs) != 1 || evs[0].Kind != domain.KindDeviceRevoked || evs[0].Actor != by {
		t.Fatalf("device stream after two revocations %+v, %v; want one device.revoked by %+v", evs, err, by)
	}
	d, err := e.s.Device(e.ctx, f.Dev.ID)
	if err != nil || !d.Revoked {
		t.Fatalf("revoked device reads %+v, %v", d, err)
	}
	before := e.lastSeq()
	res, err := e.s.ApplyFacts(e.ctx, f.Dev.ID, []domain.Event{f.Submission(t, "case-2", "HX01-K1-2")})
	if !errors.Is(err, store.ErrRevoked) || res.Applied != 0 || e.lastSeq() != before {
		t.Fatalf("upload of a revoked device: %+v, %v", res, err)
	}
	if _, err := e.s.ApplyFacts(e.ctx, f.Dev.ID, nil); !errors.Is(err, store.ErrRevoked) {
		t.Fatalf("empty upload of a revoked device: %v, want ErrRevoked", err)
	}
	if _, err := e.s.ApplyFacts(e.ctx, "nobody", nil); !errors.Is(err, store.ErrUnknownDevice) {
		t.Fatalf("upload of an unknown device: %v, want ErrUnknownDevice", err)
	}
	devs, err := e.s.Devices(e.ctx)
	if err != nil || len(devs) != 1 || !devs[0].Revoked {
		t.Fatalf("devices after revoke %+v, %v", devs, err)
	}
}

func testHeartbeat(t *testing.T, e *env) {
	e.addStation("HX01")
	d := e.pair("HX01", store.RoleWall)
	if d.Code != "W1" {
		t.Fatalf("wall code %s", d.Code)
	}
	if _, _, err := e.s.Heartbeat(e.ctx, d.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("heartbeat before the first: %v, want ErrNotFound", err)
	}
	if devs, _ := e.s.Devices(e.ctx); len(devs) != 1 || !devs[0].LastSeen.IsZero() {
		t.Fatalf("seen before any heartbeat: %+v", devs)
	}
	e.clk.Advance(time.Minute)
	if err := e.s.RecordHeartbeat(e.ctx, d.ID, []byte(`{"outbox":3}`)); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Minute)
	if err := e.s.RecordHeartbeat(e.ctx, d.ID, []byte(`{"outbox":0}`)); err != nil {
		t.Fatal(err)
	}
	h, at, err := e.s.Heartbeat(e.ctx, d.ID)
	if err != nil || string(h) != `{"outbox":0}` || !at.Equal(e.clk.Now()) {
		t.Fatalf("heartbeat %s at %v, %v; want the latest at %v", h, at, err, e.clk.Now())
	}
	devs, err := e.s.Devices(e.ctx)
	if err != nil || len(devs) != 1 || !devs[0].LastSeen.Equal(e.clk.Now()) {
		t.Fatalf("devices %+v, %v", devs, err)
	}
}
