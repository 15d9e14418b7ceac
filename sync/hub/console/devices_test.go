package console_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"image/png"
	"slices"
	"strconv"
	"testing"
	"time"

	"liaison/sync/hub/console"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/store"
	"liaison/sync/protocol"
)

func listDevices(t *testing.T, c *client) console.DeviceList {
	t.Helper()
	resp, body := c.do(t, "GET", "/api/v1/admin/devices", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("list devices: %d %s", resp.StatusCode, body)
	}
	var out console.DeviceList
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func findDevice(t *testing.T, l console.DeviceList, id string) console.AdminDevice {
	t.Helper()
	for _, d := range l.Devices {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("device %s not listed", id)
	return console.AdminDevice{}
}

func warningCodes(d console.AdminDevice) []string {
	var out []string
	for _, w := range d.Warnings {
		out = append(out, w.Code)
	}
	return out
}

func addDevice(t *testing.T, c *client, req console.NewDevice) console.NewPairing {
	t.Helper()
	resp, body := c.do(t, "POST", "/api/v1/admin/devices", req)
	if resp.StatusCode != 201 {
		t.Fatalf("add device %+v: %d %s", req, resp.StatusCode, body)
	}
	var np console.NewPairing
	if err := json.Unmarshal(body, &np); err != nil {
		t.Fatal(err)
	}
	return np
}

func TestAddDeviceGivesCodeAndQR(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	np := addDevice(t, admin, console.NewDevice{Station: seed.StationCode, Role: store.RoleKiosk, Name: " 大厅一体机 "})
	if len(np.Code) != store.PairingLength || np.Station != seed.StationCode || np.Role != store.RoleKiosk ||
		np.Name != "大厅一体机" || !np.Expires.Equal(t0.Add(store.PairingTTL)) || np.HubURL != "https://hub.test" {
		t.Fatalf("new pairing %+v", np)
	}
	// The kiosk's technician screen reads the hub and the code back from the QR.
	hub, code, err := protocol.ParsePairQR(np.QR)
	if err != nil || hub != "https://hub.test" || code != np.Code {
		t.Fatalf("QR %q reads as %q, %q, %v", np.QR, hub, code, err)
	}
	resp, body := admin.do(t, "GET", np.QRURL, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil || img.Bounds().Dx() < 200 {
		t.Fatalf("QR image does not decode to a readable size: %v", err)
	}

	l := listDevices(t, admin)
	if len(l.Pending) != 1 || l.Pending[0].Station != seed.StationCode || l.Pending[0].Name != "大厅一体机" ||
		l.Pending[0].StationName == "" || !l.Now.Equal(t0) {
		t.Fatalf("pending %+v at %v", l.Pending, l.Now)
	}
	// Redeemed, the code leaves the pending list and has no QR any more.
	d, err := f.st.Pair(context.Background(), np.Code, newKey(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := admin.do(t, "GET", np.QRURL, nil); resp.StatusCode != 410 || errorCode(t, body) != "pairing_code_used" {
		t.Fatalf("QR of a redeemed code: %d %s", resp.StatusCode, body)
	}
	l = listDevices(t, admin)
	got := findDevice(t, l, d.ID)
	if len(l.Pending) != 0 || got.Name != "大厅一体机" || got.Code != d.Code || got.Revoked || got.LastSeen != nil ||
		!slices.Equal(warningCodes(got), []string{console.WarnNeverSeen}) {
		t.Fatalf("after pairing: pending %+v, device %+v", l.Pending, got)
	}
}

func TestAddDeviceRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	for _, tc := range []struct {
		req  console.NewDevice
		code string
	}{
		{console.NewDevice{Station: "NOPE", Role: store.RoleKiosk}, "unknown_station"},
		{console.NewDevice{Station: seed.StationCode, Role: "printer"}, "bad_role"},
		{console.NewDevice{Station: seed.StationCode, Role: store.RoleWall, Name: string(make([]rune, console.MaxDeviceName+1))}, "bad_request"},
	} {
		resp, body := admin.do(t, "POST", "/api/v1/admin/devices", tc.req)
		if resp.StatusCode != 400 || errorCode(t, body) != tc.code {
			t.Errorf("%+v: %d %s, want %s", tc.req, resp.StatusCode, body, tc.code)
		}
	}
	// Only admins manage devices.
	staffC := f.login(t, "wangzr")
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/v1/admin/devices"}, {"POST", "/api/v1/admin/devices"},
		{"POST", "/api/v1/admin/devices/x/revoke"}, {"POST", "/api/v1/admin/devices/x/repair"},
		{"POST", "/api/v1/admin/devices/pairing/1/cancel"}, {"GET", "/api/v1/admin/devices/pairing/ABCDEFGH/qr.png"},
	} {
		if resp, _ := staffC.do(t, r.method, r.path, console.NewDevice{}); resp.StatusCode != 403 {
			t.Errorf("staff %s %s: %d, want 403", r.method, r.path, resp.StatusCode)
		}
	}
	if resp, body := admin.do(t, "GET", "/api/v1/admin/devices/pairing/ABCDEFGH/qr.png", nil); resp.StatusCode != 404 ||
		errorCode(t, body) != "pairing_code_unknown" {
		t.Errorf("QR of an unknown code: %d %s", resp.StatusCode, body)
	}
}

func heartbeat(t *testing.T, st store.Ingest, device string, rec store.HeartbeatRecord) {
	t.Helper()
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordHeartbeat(context.Background(), device, b); err != nil {
		t.Fatal(err)
	}
}

func TestDeviceHealthWarnings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	ctx := context.Background()
	pair := func(role string) store.DeviceInfo {
		pc, err := f.st.CreatePairingCode(ctx, seed.StationCode, role, "")
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.st.Pair(ctx, pc.Code, newKey(t), "")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	healthy, sick, wall := pair(store.RoleKiosk), pair(store.RoleKiosk), pair(store.RoleWall)
	heartbeat(t, f.st, healthy.ID, store.HeartbeatRecord{Health: protocol.Health{Reader: "ok", Scanner: "ok",
		Outbox: 3, Lag: 10, Version: "1.4.0", DiskFree: 20 << 30, DiskTotal: 64 << 30}, HubSkewMS: -800})
	heartbeat(t, f.st, sick.ID, store.HeartbeatRecord{Health: protocol.Health{Reader: "error", Scanner: "disconnected",
		Outbox: console.SyncLagFacts + 1, Version: "1.3.9", DiskFree: 100 << 20, DiskTotal: 64 << 30, ReadOnly: "disk_full"},
		HubSkewMS: -75_000})
	// A wall has no reader nor scanner, and may not know its disk: neither is a fault.
	heartbeat(t, f.st, wall.ID, store.HeartbeatRecord{Health: protocol.Health{Reader: "off", Scanner: "off", Version: "1.4.0"}})

	l := listDevices(t, admin)
	h := findDevice(t, l, healthy.ID)
	if len(h.Warnings) != 0 || h.Version != "1.4.0" || h.Health == nil || h.Health.ClockOffsetMS != -800 ||
		h.Health.DiskFree != 20<<30 || h.Health.Lag != 10 || h.LastSeen == nil || !h.Health.ReportedAt.Equal(t0) {
		t.Fatalf("healthy device %+v, health %+v", h, h.Health)
	}
	s := findDevice(t, l, sick.ID)
	want := []string{console.WarnReader, console.WarnScanner, console.WarnClockOffset, console.WarnDiskLow,
		console.WarnReadOnlyDiskFull, console.WarnSyncLag}
	if !slices.Equal(warningCodes(s), want) {
		t.Fatalf("sick device warnings %+v, want %v", s.Warnings, want)
	}
	if p := s.Warnings[2].Params; p["seconds"] != "-75" {
		t.Errorf("clock offset params %v", p)
	}
	if p := s.Warnings[3].Params; p["free_mb"] != "100" {
		t.Errorf("disk params %v", p)
	}
	if w := findDevice(t, l, wall.ID); len(w.Warnings) != 0 {
		t.Errorf("wall warnings %+v", w.Warnings)
	}
	// A damaged database is told apart from a full disk.
	heartbeat(t, f.st, wall.ID, store.HeartbeatRecord{Health: protocol.Health{Reader: "off", Scanner: "off", Version: "1.4.0",
		ReadOnly: "db_corrupt"}})
	if w := findDevice(t, listDevices(t, admin), wall.ID); !slices.Equal(warningCodes(w), []string{console.WarnReadOnlyDBCorrupt}) ||
		w.Health.ReadOnly != "db_corrupt" {
		t.Errorf("damaged wall warnings %+v, health %+v", w.Warnings, w.Health)
	}

	// Silent for longer than SilentAfter: warned, with how long.
	f.clk.Advance(console.SilentAfter + 10*time.Second)
	heartbeat(t, f.st, wall.ID, store.HeartbeatRecord{Health: protocol.Health{Reader: "off", Scanner: "off"}})
	l = listDevices(t, admin)
	h = findDevice(t, l, healthy.ID)
	if !slices.Equal(warningCodes(h), []string{console.WarnSilent}) || h.Warnings[0].Params["seconds"] != "100" {
		t.Fatalf("silent device warnings %+v", h.Warnings)
	}
	if w := findDevice(t, l, wall.ID); len(w.Warnings) != 0 {
		t.Errorf("wall that just beat: %+v", w.Warnings)
	}
}

func TestRevokeAndRepairDevice(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	ctx := context.Background()
	np := addDevice(t, admin, console.NewDevice{Station: seed.StationCode, Role: store.RoleWall, Name: "二楼走廊"})
	d, err := f.st.Pair(ctx, np.Code, newKey(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := admin.do(t, "POST", "/api/v1/admin/devices/nobody/revoke", nil); resp.StatusCode != 404 ||
		errorCode(t, body) != "device_not_found" {
		t.Fatalf("revoke unknown: %d %s", resp.StatusCode, body)
	}
	// Pair again: the old enrolment is revoked, a new code made for the same station, role and name.
	resp, body := admin.do(t, "POST", "/api/v1/admin/devices/"+d.ID+"/repair", nil)
	if resp.StatusCode != 201 {
		t.Fatalf("repair: %d %s", resp.StatusCode, body)
	}
	var again console.NewPairing
	if err := json.Unmarshal(body, &again); err != nil {
		t.Fatal(err)
	}
	if again.Code == np.Code || again.Station != seed.StationCode || again.Role != store.RoleWall || again.Name != "二楼走廊" {
		t.Fatalf("re-pair code %+v", again)
	}
	if got, err := f.st.Device(ctx, d.ID); err != nil || !got.Revoked {
		t.Fatalf("old enrolment after re-pair: %+v, %v", got, err)
	}
	evs, err := f.st.StreamEvents(ctx, "device:"+d.ID)
	if err != nil || len(evs) != 1 || evs[0].Actor.Name == "" || evs[0].Actor.ID != "admin" {
		t.Fatalf("revocation audit %+v, %v", evs, err)
	}
	l := listDevices(t, admin)
	if old := findDevice(t, l, d.ID); !old.Revoked || len(old.Warnings) != 0 {
		t.Fatalf("revoked device listed %+v", old)
	}
	if len(l.Pending) != 1 {
		t.Fatalf("pending %+v", l.Pending)
	}
	// Cancel the waiting code: it leaves the list and can no longer pair.
	path := "/api/v1/admin/devices/pairing/" + itoa(l.Pending[0].ID) + "/cancel"
	if resp, body := admin.do(t, "POST", path, nil); resp.StatusCode != 204 {
		t.Fatalf("cancel: %d %s", resp.StatusCode, body)
	}
	if resp, body := admin.do(t, "POST", path, nil); resp.StatusCode != 404 || errorCode(t, body) != "pairing_code_unknown" {
		t.Fatalf("cancel twice: %d %s", resp.StatusCode, body)
	}
	if _, err := f.st.Pair(ctx, again.Code, newKey(t), ""); err == nil {
		t.Fatal("a cancelled code paired")
	}
	if l := listDevices(t, admin); len(l.Pending) != 0 {
		t.Fatalf("pending after cancel %+v", l.Pending)
	}
	// Revoking a device directly.
	np = addDevice(t, admin, console.NewDevice{Station: seed.StationCode, Role: store.RoleKiosk})
	k, err := f.st.Pair(ctx, np.Code, newKey(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := admin.do(t, "POST", "/api/v1/admin/devices/"+k.ID+"/revoke", nil); resp.StatusCode != 204 {
		t.Fatalf("revoke: %d %s", resp.StatusCode, body)
	}
	if got, err := f.st.Device(ctx, k.ID); err != nil || !got.Revoked {
		t.Fatalf("revoked device %+v, %v", got, err)
	}
	// Both revocations ended the device's live session at once.
	if got := f.ended.list(); !slices.Equal(got, []string{d.ID, k.ID}) {
		t.Fatalf("sessions ended %v, want %v", got, []string{d.ID, k.ID})
	}
}

func newKey(t *testing.T) ed25519.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
