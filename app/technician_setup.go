package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/device/idcard"
	"liaison/sync/domain"
)

// SetupResult says whether a change is in effect already or waits for a restart.
type SetupResult struct {
	Live bool `json:"live"` // false: 重启后生效
}

// ReadTest is what a test read found: a card (masked as on the kiosk) or a scan's text.
type ReadTest struct {
	OK        bool   `json:"ok"`
	Port      string `json:"port"`
	Simulated bool   `json:"simulated"`
	CardType  string `json:"cardType"`
	Name      string `json:"name"`     // masked surname
	IDMasked  string `json:"idMasked"` // masked ID number
	Text      string `json:"text"`     // what the scanner read, shortened
	TimedOut  bool   `json:"timedOut"` // the screen words the outcome from these fields
}

// SetPorts chooses the reader's and the scanner's serial ports ("" none, "sim" the
// simulator, or a detected port) and restarts the drivers on them.
func (t *Technician) SetPorts(reader, scanner string) (*SetupResult, error) {
	if err := t.locked(); err != nil {
		return nil, err
	}
	cur := t.d.Settings.Get()
	allowed := func(p, current string) bool {
		return p == "" || p == "sim" || p == current || slices.Contains(t.ports(), p)
	}
	if !allowed(reader, cur.Reader) || !allowed(scanner, cur.Scanner) {
		return nil, appError(domain.CodePortUnknown)
	}
	cfg, err := t.d.Settings.Update(func(c *Config) error {
		c.Reader, c.Scanner = reader, scanner
		return nil
	})
	if err != nil {
		t.d.Log.Error("save ports", "err", err)
		return nil, appError(domain.CodeSettingsNotSaved)
	}
	t.d.Log.Info("ports chosen", "reader", reader, "scanner", scanner)
	if t.d.Control == nil {
		return &SetupResult{Live: false}, nil
	}
	if err := t.d.Control.RestartDevices(cfg); err != nil {
		t.d.Log.Warn("restart devices", "err", err)
		return &SetupResult{Live: false}, nil
	}
	return &SetupResult{Live: true}, nil
}

// TestReader waits for the next card on the reader and shows what it read, without opening
// a session. On the simulator it places a sample card itself, so the driver reads one.
func (t *Technician) TestReader() (*ReadTest, error) {
	if err := t.locked(); err != nil {
		return nil, err
	}
	d := t.d.Devices.Get()
	res := &ReadTest{Port: d.ReaderPort, Simulated: d.CardSim != nil}
	if d.Reader == nil {
		return res, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.readWait)
	defer cancel()
	var place func()
	if sim := d.CardSim; sim != nil {
		place = func() { sim.Place(idcard.SampleCards()["resident"]) }
		defer sim.Remove()
	}
	card, err := t.d.Desk.probe.cards.wait(ctx, place)
	switch {
	case errors.Is(err, errProbeBusy):
		return nil, appError(domain.CodeTestBusy)
	case err != nil:
		res.TimedOut = true
		return res, nil
	}
	name := card.Name
	if name == "" {
		name = card.EnglishName
	}
	res.OK, res.CardType = true, string(card.Type)
	res.Name, res.IDMasked = domain.MaskSurname(name), domain.MaskID(card.IDNumber)
	t.d.Log.Info("reader test read", "card_type", card.Type)
	return res, nil
}

// TestScanner waits for the next scan and shows its text, without acting on it. On the
// simulator it sends a test text itself.
func (t *Technician) TestScanner() (*ReadTest, error) {
	if err := t.locked(); err != nil {
		return nil, err
	}
	d := t.d.Devices.Get()
	res := &ReadTest{Port: d.ScannerPort, Simulated: d.ScanSim != nil}
	ctx, cancel := context.WithTimeout(context.Background(), t.readWait)
	defer cancel()
	var send func()
	if sim := d.ScanSim; sim != nil {
		send = func() {
			if err := sim.Send("LIAISON-TEST-" + time.Now().Format("150405")); err != nil {
				t.d.Log.Warn("simulated test scan", "err", err)
			}
		}
	}
	// With no serial scanner a keyboard-wedge scanner may still answer (the screen hands
	// its scans over), so the test waits either way.
	text, err := t.waitScan(ctx, send)
	if err != nil {
		if AsError(err).Code == domain.CodeTestBusy {
			return nil, err
		}
		res.TimedOut = true
		return res, nil
	}
	res.OK, res.Text = true, shorten(text, 120)
	t.d.Log.Info("scanner test read", "length", len(text))
	return res, nil
}

func (t *Technician) waitScan(ctx context.Context, then func()) (string, error) {
	text, err := t.d.Desk.probe.scans.wait(ctx, then)
	if errors.Is(err, errProbeBusy) {
		return "", appError(domain.CodeTestBusy)
	}
	return strings.TrimSpace(text), err
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// SetStation sets this device's name (shown on the screens, and sent to the hub when
// pairing) and its role. A new role needs a restart: the window's shape and screens follow it.
func (t *Technician) SetStation(name, role string) (*SetupResult, error) {
	if err := t.locked(); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 30 {
		return nil, appError(domain.CodeNameTooLong, "max", "30")
	}
	if role != "kiosk" && role != "wall" {
		return nil, appError(domain.CodeRoleUnknown)
	}
	if _, err := t.d.Settings.Update(func(c *Config) error { c.Name = name; return nil }); err != nil {
		t.d.Log.Error("save device name", "err", err)
		return nil, appError(domain.CodeSettingsNotSaved)
	}
	if err := t.d.Settings.SaveForRestart(func(c *Config) error { c.Role = role; return nil }); err != nil {
		t.d.Log.Error("save role", "err", err)
		return nil, appError(domain.CodeSettingsNotSaved)
	}
	t.d.Log.Info("device name and role set", "name", name, "role", role)
	return &SetupResult{Live: !t.d.Settings.Pending()}, nil
}

// ChangePIN replaces the technician PIN (stored as an argon2id hash) after checking the
// current one.
func (t *Technician) ChangePIN(current, next string) error {
	if err := t.locked(); err != nil {
		return err
	}
	if !CheckPIN(t.d.Settings.Get().TechPINHash, current) {
		t.d.Log.Warn("technician PIN change refused: wrong current PIN")
		return appError(domain.CodePINWrong)
	}
	hash, err := HashPIN(next)
	if err != nil {
		return appError(domain.CodePINInvalid)
	}
	if _, err := t.d.Settings.Update(func(c *Config) error { c.TechPINHash = hash; return nil }); err != nil {
		t.d.Log.Error("save technician PIN", "err", err)
		return appError(domain.CodeSettingsNotSaved)
	}
	t.d.Log.Info("technician PIN changed")
	return nil
}

// RestartSync starts the next session with the hub now.
func (t *Technician) RestartSync() error {
	if err := t.locked(); err != nil {
		return err
	}
	if !t.d.IDs.Get().Paired() || t.d.Control == nil {
		return appError(domain.CodeUnpaired)
	}
	if err := t.d.Control.RestartSync(); err != nil {
		t.d.Log.Warn("restart sync", "err", err)
		return appError(domain.CodeSyncNotStarted)
	}
	return nil
}
