package app

import (
	"context"
	"errors"
	"liaison/sync/domain"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"liaison/device/idcard"
	"liaison/device/serialport"
	"liaison/sync/client"
)

// fakeControl records what the technician screen asked the running station to do.
type fakeControl struct {
	mu       sync.Mutex
	devices  []Config
	syncs    int
	repaired []Identity
	fail     error
}

func (f *fakeControl) RestartDevices(cfg Config) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.devices = append(f.devices, cfg)
	return f.fail
}

func (f *fakeControl) RestartSync() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.syncs++
	return f.fail
}

func (f *fakeControl) Repaired(id Identity) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.repaired = append(f.repaired, id)
	return f.fail
}

type techFixture struct {
	tech     *Technician
	settings *Settings
	ids      *IdentityRef
	ctl      *fakeControl
	desk     *Desk
	devs     *DeviceSet
	dir      string
	pairs    []pairCall
	pairErr  error
}

type pairCall struct{ hub, name, code string }

func newTechFixture(t *testing.T) *techFixture {
	t.Helper()
	f := &techFixture{dir: t.TempDir(), ctl: &fakeControl{}}
	cfg := DefaultConfig(f.dir)
	cfg.HubURL = "http://hub.old:8480"
	if err := cfg.Save(); err != nil {
		t.Fatal(err)
	}
	f.settings = NewSettings(cfg)
	f.ids = NewIdentityRef(Identity{})
	f.desk = NewDesk(time.Minute, nil, NewNotifier(nil))
	f.devs = NewDeviceSet(nil)
	f.tech = NewTechnician(TechnicianDeps{
		Settings: f.settings, IDs: f.ids, Status: fakeStatus{}, Logs: &fakeLogs{}, Control: f.ctl,
		Desk: f.desk, Devices: f.devs,
		Pair: func(_ context.Context, cfg Config, code string) (Identity, error) {
			f.pairs = append(f.pairs, pairCall{hub: cfg.HubURL, name: cfg.Name, code: code})
			if f.pairErr != nil {
				return Identity{}, f.pairErr
			}
			box := [32]byte{1}
			return Identity{DeviceID: "dev-new", DeviceCode: "K3", Station: "HX01", StationName: "和谐站", HubBox: &box}, nil
		},
	})
	f.tech.ports = func() []string { return []string{"/dev/ttyUSB0", "/dev/ttyUSB1"} }
	f.tech.readWait, f.tech.scanWait = 5*time.Second, 5*time.Second
	if !f.tech.Unlock(DefaultTechPIN) {
		t.Fatal("default PIN refused")
	}
	return f
}

func (f *techFixture) saved(t *testing.T) Config {
	t.Helper()
	cfg, err := LoadConfig(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func code(err error) string {
	if err == nil {
		return ""
	}
	return AsError(err).Code
}

func TestTechnicianSetupNeedsThePIN(t *testing.T) {
	t.Parallel()
	f := newTechFixture(t)
	f.tech.Lock()
	calls := map[string]error{}
	_, calls["SetPorts"] = f.tech.SetPorts("sim", "sim")
	_, calls["TestReader"] = f.tech.TestReader()
	_, calls["TestScanner"] = f.tech.TestScanner()
	_, calls["SetStation"] = f.tech.SetStation("大厅", "kiosk")
	calls["ChangePIN"] = f.tech.ChangePIN(DefaultTechPIN, "1357")
	calls["RestartSync"] = f.tech.RestartSync()
	_, calls["Pair"] = f.tech.Pair("http://hub:8480", "ABCDEFGH")
	_, calls["PairByScan"] = f.tech.PairByScan()
	for name, err := range calls {
		if code(err) != CodeLocked {
			t.Errorf("%s while locked: %v", name, err)
		}
	}
	if len(f.ctl.devices)+f.ctl.syncs+len(f.ctl.repaired)+len(f.pairs) != 0 {
		t.Fatal("a locked screen changed the station")
	}
}

func TestTechnicianSetPortsSavesAndRestartsTheDrivers(t *testing.T) {
	t.Parallel()
	f := newTechFixture(t)
	res, err := f.tech.SetPorts("/dev/ttyUSB1", "sim")
	if err != nil || !res.Live {
		t.Fatalf("SetPorts = %+v, %v", res, err)
	}
	if got := f.saved(t); got.Reader != "/dev/ttyUSB1" || got.Scanner != "sim" {
		t.Fatalf("config.json has reader %q scanner %q", got.Reader, got.Scanner)
	}
	if len(f.ctl.devices) != 1 || f.ctl.devices[0].Reader != "/dev/ttyUSB1" {
		t.Fatalf("drivers restarted with %+v", f.ctl.devices)
	}
	if _, err := f.tech.SetPorts("/dev/ttyS9", ""); code(err) != domain.CodePortUnknown {
		t.Fatalf("an undetected port: %v", err)
	}
	f.ctl.fail = errors.New("not running")
	if res, err := f.tech.SetPorts("", ""); err != nil || res.Live {
		t.Fatalf("drivers that cannot restart now: %+v, %v (want 重启后生效)", res, err)
	}
}

func TestTechnicianTestReadsBorrowTheNextCardAndScan(t *testing.T) {
	t.Parallel()
	f := newTechFixture(t)
	if res, err := f.tech.TestReader(); err != nil || res.OK || res.TimedOut || res.Port != "" {
		t.Fatalf("test read without a reader: %+v, %v", res, err)
	}
	reader := idcard.NewReader(idcard.Config{Port: "/dev/null"}, func() (serialport.Port, error) {
		return nil, errors.New("no port in this test")
	}, nil)
	f.devs.swap(&Devices{Reader: reader, ReaderPort: "/dev/ttyUSB0"})

	// The card goes to the test read: no session is opened for it.
	k := NewKiosk(Base{}, f.desk, f.devs)
	done := make(chan *ReadTest, 1)
	go func() {
		res, err := f.tech.TestReader()
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	card := &idcard.Card{Type: idcard.TypeResident, Name: "测试", IDNumber: "11010519491231002X", IDNumberValid: true}
	waitUntil(t, "the test read to take the card", func() bool { return f.desk.probe.cards.offer(*card) })
	res := <-done
	if !res.OK || res.Name != "测*" || res.IDMasked == card.IDNumber || res.Port != "/dev/ttyUSB0" {
		t.Fatalf("reader test %+v", res)
	}
	if k.Session() != nil {
		t.Fatal("the test read's card opened a session")
	}
	if f.desk.probe.cards.offer(*card) {
		t.Fatal("a finished test read still takes cards")
	}

	// A scan during the scanner test opens no workbench and shows no toast.
	r := NewRep(Base{}, f.desk, f.devs)
	scanDone := make(chan *ReadTest, 1)
	go func() {
		res, err := f.tech.TestScanner()
		if err != nil {
			t.Error(err)
		}
		scanDone <- res
	}()
	waitUntil(t, "the scanner test to take the scan", func() bool {
		return r.ScanText("HELLO-SCANNER").Kind == "technician"
	})
	if res := <-scanDone; !res.OK || res.Text != "HELLO-SCANNER" {
		t.Fatalf("scanner test %+v", res)
	}
	if r.Workbench() != nil {
		t.Fatal("the test scan opened the workbench")
	}

	f.tech.readWait = 30 * time.Millisecond
	if res, err := f.tech.TestScanner(); err != nil || res.OK || !res.TimedOut {
		t.Fatalf("a scanner test nobody answers: %+v, %v", res, err)
	}
}

// waitUntil polls cond until it holds or a deadline passes.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTechnicianSetStationNameNowRoleAfterRestart(t *testing.T) {
	t.Parallel()
	f := newTechFixture(t)
	res, err := f.tech.SetStation(" 一楼大厅 ", "kiosk")
	if err != nil || !res.Live {
		t.Fatalf("name only: %+v, %v", res, err)
	}
	if f.settings.Get().Name != "一楼大厅" || f.saved(t).Name != "一楼大厅" {
		t.Fatal("name not in effect or not saved")
	}
	res, err = f.tech.SetStation("一楼大厅", "wall")
	if err != nil || res.Live {
		t.Fatalf("a new role: %+v, %v (want 重启后生效)", res, err)
	}
	if f.saved(t).Role != "wall" || f.settings.Get().Role != "kiosk" {
		t.Fatalf("role in config.json %q, in effect %q", f.saved(t).Role, f.settings.Get().Role)
	}
	if d, _ := f.tech.Diagnostics(); !d.RestartNeeded || d.Info.Role != "kiosk" || d.Info.DeviceName != "一楼大厅" {
		t.Fatalf("diagnostics %+v", d)
	}
	// A later live change keeps the role waiting for the restart.
	if _, err := f.tech.SetPorts("sim", ""); err != nil || f.saved(t).Role != "wall" {
		t.Fatalf("ports after a role change: %v, role %q", err, f.saved(t).Role)
	}
	if _, err := f.tech.SetStation(strings.Repeat("长", 31), "kiosk"); code(err) != domain.CodeNameTooLong {
		t.Fatalf("a long name: %v", err)
	}
	if _, err := f.tech.SetStation("x", "phone"); code(err) != domain.CodeRoleUnknown {
		t.Fatalf("an unknown role: %v", err)
	}
}

func TestTechnicianChangePINStoresOnlyAHash(t *testing.T) {
	t.Parallel()
	f := newTechFixture(t)
	if err := f.tech.ChangePIN("000000", "1357"); code(err) != domain.CodePINWrong {
		t.Fatalf("wrong current PIN: %v", err)
	}
	if err := f.tech.ChangePIN(DefaultTechPIN, "12ab"); code(err) != domain.CodePINInvalid {
		t.Fatalf("a PIN that is not digits: %v", err)
	}
	if err := f.tech.ChangePIN(DefaultTechPIN, "97531"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(f.dir, ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "97531") || !strings.Contains(string(raw), "argon2id$") {
		t.Fatalf("config.json holds %s", raw)
	}
	f.tech.Lock()
	if f.tech.Unlock(DefaultTechPIN) || !f.tech.Unlock("97531") {
		t.Fatal("the new PIN is not the one that unlocks")
	}
}

func TestTechnicianRestartSync(t *testing.T) {
	t.Parallel()
	f := newTechFixture(t)
	if err := f.tech.RestartSync(); code(err) != domain.CodeUnpaired {
		t.Fatalf("unpaired: %v", err)
	}
	box := [32]byte{}
	f.ids.Set(Identity{DeviceID: "d1", HubBox: &box})
	if err := f.tech.RestartSync(); err != nil || f.ctl.syncs != 1 {
		t.Fatalf("paired: %v, %d restarts", err, f.ctl.syncs)
	}
}

func TestTechnicianPairsWithACodeAndSyncsAtOnce(t *testing.T) {
	t.Parallel()
	f := newTechFixture(t)
	res, err := f.tech.Pair(" http://hub.new:8480/ ", "szst-qzuf")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Live || res.Station != "HX01" || res.DeviceCode != "K3" || res.HubURL != "http://hub.new:8480" {
		t.Fatalf("pair result %+v", res)
	}
	if len(f.pairs) != 1 || f.pairs[0] != (pairCall{hub: "http://hub.new:8480", code: "SZST-QZUF"}) {
		t.Fatalf("pairing asked %+v (no name given: the hub keeps its own)", f.pairs)
	}
	if id := f.ids.Get(); id.DeviceID != "dev-new" || id.HubURL != "http://hub.new:8480" {
		t.Fatalf("identity in effect %+v", id)
	}
	if f.saved(t).HubURL != "http://hub.new:8480" || len(f.ctl.repaired) != 1 {
		t.Fatalf("hub saved %q, sync restarted %d times", f.saved(t).HubURL, len(f.ctl.repaired))
	}

	// An empty hub uses the one in the settings; the device's name goes along once set.
	if _, err := f.tech.SetStation("二楼", "kiosk"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.tech.Pair("", "ABCDEFGH"); err != nil {
		t.Fatal(err)
	}
	if got := f.pairs[1]; got.hub != "http://hub.new:8480" || got.name != "二楼" {
		t.Fatalf("second pairing asked %+v", got)
	}

	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"used code", &client.PairError{Status: 403, Code: "pairing_code_used", Message: "配对码已被使用"}, "pairing_code_used"},
		{"history", ErrHasHistory, domain.CodePairHasHistory},
		{"no answer", errors.New("dial tcp: connection refused"), domain.CodePairHubUnreachable},
	} {
		f.pairErr = tc.err
		if _, err := f.tech.Pair("http://hub.new:8480", "ABCDEFGH"); code(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	f.pairErr = nil
	for _, bad := range [][3]string{{"ftp://hub", "ABCD", domain.CodeHubAddressRequired},
		{"http://hub:1", " ", domain.CodePairCodeRequired}} {
		if _, err := f.tech.Pair(bad[0], bad[1]); code(err) != bad[2] {
			t.Errorf("Pair(%q, %q): %v, want %s", bad[0], bad[1], err, bad[2])
		}
	}
}

func TestTechnicianPairsByTheHubsQR(t *testing.T) {
	t.Parallel()
	f := newTechFixture(t)
	r := NewRep(Base{}, f.desk, f.devs)
	type result struct {
		res *PairResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := f.tech.PairByScan()
		done <- result{res, err}
	}()
	waitUntil(t, "the pairing scan to be taken", func() bool {
		return r.ScanText("liaison-pair:v1?hub=http%3A%2F%2F10.0.0.5%3A8480&code=SZST-QZUF").Kind == "technician"
	})
	got := <-done
	if got.err != nil || !got.res.Live {
		t.Fatalf("PairByScan = %+v, %v", got.res, got.err)
	}
	if f.pairs[0].hub != "http://10.0.0.5:8480" || f.pairs[0].code != "SZST-QZUF" {
		t.Fatalf("paired with %+v", f.pairs[0])
	}

	go func() {
		res, err := f.tech.PairByScan()
		done <- result{res, err}
	}()
	waitUntil(t, "the second scan to be taken", func() bool { return r.ScanText("https://example.com/").Kind == "technician" })
	if got := <-done; code(got.err) != domain.CodePairQRInvalid {
		t.Fatalf("a QR that is not for pairing: %+v", got)
	}
}
