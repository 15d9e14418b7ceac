package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Services are built from their dependencies alone: these tests build one service each with
// fakes, no store and no station.

type fakeStatus struct{ st DeviceStatus }

func (f fakeStatus) Status(context.Context) DeviceStatus { return f.st }

type fakeLogs struct {
	asked []int
	lines []LogLine
}

func (f *fakeLogs) Last(limit int) []LogLine {
	f.asked = append(f.asked, limit)
	return f.lines
}

func TestTechnicianNeedsThePIN(t *testing.T) {
	t.Parallel()
	hash, err := HashPIN("4321")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig("/data")
	cfg.TechPINHash, cfg.Reader = hash, "/dev/ttyUSB0"
	status := fakeStatus{DeviceStatus{Sync: SyncStatus{State: "offline", LagEvents: 7}}}
	logs := &fakeLogs{lines: []LogLine{{Message: "started"}}}
	tech := NewTechnician(TechnicianDeps{Settings: NewSettings(cfg), IDs: NewIdentityRef(Identity{Station: "HX01"}),
		Status: status, Logs: logs})
	tech.ports = func() []string { return []string{"/dev/ttyUSB0"} }

	if _, err := tech.Diagnostics(); AsError(err).Code != CodeLocked {
		t.Fatalf("diagnostics while locked: %v", err)
	}
	if _, err := tech.Logs(10); AsError(err).Code != CodeLocked {
		t.Fatalf("logs while locked: %v", err)
	}
	if tech.Unlock(DefaultTechPIN) || tech.Unlock("1234") {
		t.Fatal("a wrong PIN unlocked the screen (the default no longer counts once a PIN is set)")
	}
	if !tech.Unlock("4321") {
		t.Fatal("the right PIN was refused")
	}
	d, err := tech.Diagnostics()
	if err != nil {
		t.Fatal(err)
	}
	if d.Status.Sync.LagEvents != 7 || d.Info.Station != "HX01" || !d.PINSet ||
		d.Config.Reader != "/dev/ttyUSB0" || !slices.Equal(d.Ports, []string{"/dev/ttyUSB0"}) {
		t.Fatalf("diagnostics %+v", d)
	}
	for _, limit := range []int{0, 50, 9999} {
		if got, err := tech.Logs(limit); err != nil || len(got) != 1 {
			t.Fatalf("logs(%d) = %v, %v", limit, got, err)
		}
	}
	if !slices.Equal(logs.asked, []int{200, 50, 200}) {
		t.Fatalf("asked the ring for %v lines, want [200 50 200]", logs.asked)
	}
	tech.Lock()
	if _, err := tech.Diagnostics(); AsError(err).Code != CodeLocked {
		t.Fatalf("diagnostics after Lock: %v", err)
	}
}

func TestSystemReportsWithItsClock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := DefaultConfig(dir)
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	status := fakeStatus{DeviceStatus{Store: StoreStatus{OK: true, Path: dir}}}
	sys := NewSystem(NewSettings(cfg), NewIdentityRef(Identity{Station: "HX01", DeviceID: "d1"}), status, nil, nil,
		func() time.Time { return at })

	if info := sys.Info(); info.Station != "HX01" || info.Role != "kiosk" || info.Paired {
		t.Fatalf("info %+v", info)
	}
	if st := sys.Status(); !st.Store.OK || st.Store.Path != dir {
		t.Fatalf("status %+v", st)
	}
	sys.ReportRendered("wall")
	b, err := os.ReadFile(filepath.Join(dir, "rendered.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got["view"] != "wall" || got["at"] != "2030-01-02T03:04:05Z" {
		t.Fatalf("rendered.json %s", b)
	}
}
