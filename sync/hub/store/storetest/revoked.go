package storetest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// testRevokedDevices: the list a server polls to end the sessions of devices revoked by any
// process holds every revoked device once, and only those, across a restart; the revocation's
// audit event names the device and stays in its station's scope.
func testRevokedDevices(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	revoked := func() []string {
		t.Helper()
		ids, err := e.s.RevokedDevices(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		return ids
	}
	if ids := revoked(); len(ids) != 0 {
		t.Fatalf("revoked devices of an empty hub: %v", ids)
	}
	k1 := e.pair("HX01", store.RoleKiosk)
	w1 := e.pair("HX01", store.RoleWall)
	k2 := e.pair("HX02", store.RoleKiosk)
	if ids := revoked(); len(ids) != 0 {
		t.Fatalf("revoked devices before any revocation: %v", ids)
	}

	by := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任"}
	e.clk.Advance(time.Hour)
	before := e.lastSeq()
	if err := e.s.RevokeDeviceBy(e.ctx, w1.ID, by); err != nil {
		t.Fatal(err)
	}
	if e.lastSeq() != before+1 {
		t.Fatalf("revoking appended %d events, want 1", e.lastSeq()-before)
	}
	evs, err := e.s.EventsAfter(e.ctx, "HX01", before, 10)
	if err != nil || len(evs) != 1 {
		t.Fatalf("HX01 after the revocation of its wall: %+v, %v", evs, err)
	}
	ev := evs[0]
	var p domain.DeviceRevoked
	if err := json.Unmarshal(ev.Data, &p); err != nil {
		t.Fatal(err)
	}
	if ev.Kind != domain.KindDeviceRevoked || ev.Stream != "device:"+w1.ID || ev.Station != "HX01" ||
		ev.Device != domain.HubDevice || ev.Actor != by || !ev.At.Equal(e.clk.Now()) || ev.HubSeq != before+1 {
		t.Errorf("device.revoked stored as %+v", ev)
	}
	if p != (domain.DeviceRevoked{DeviceID: w1.ID, Code: "W1", Role: store.RoleWall, Name: w1.Name}) {
		t.Errorf("device.revoked payload %+v, device %+v", p, w1)
	}
	if evs, err := e.s.EventsAfter(e.ctx, "HX02", before, 10); err != nil || len(evs) != 0 {
		t.Errorf("HX02 receives the revocation of HX01's wall: %+v, %v", evs, err)
	}

	if err := e.s.RevokeDeviceBy(e.ctx, k2.ID, by); err != nil {
		t.Fatal(err)
	}
	if err := e.s.RevokeDeviceBy(e.ctx, w1.ID, by); err != nil {
		t.Fatalf("revoke again: %v", err)
	}
	want := []string{w1.ID, k2.ID}
	slices.Sort(want)
	if ids := revoked(); !slices.Equal(ids, want) {
		t.Fatalf("revoked devices %v, want %v (not %s)", ids, want, k1.ID)
	}

	e.reopen()
	if ids := revoked(); !slices.Equal(ids, want) {
		t.Fatalf("revoked devices after a restart %v, want %v", ids, want)
	}
	if d, err := e.s.Device(e.ctx, k1.ID); err != nil || d.Revoked {
		t.Fatalf("the device left in service reads %+v, %v", d, err)
	}
	e.checkLog("HX01", "HX02")
}
