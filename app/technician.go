package app

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"liaison/device/serialport"
)

// LogSource holds the recent log lines the technician screen shows (a *LogRing).
type LogSource interface {
	Last(limit int) []LogLine
}

// StationControl is what the technician screen changes while the station runs (Background):
// the drivers of other ports, the link to the hub, a new enrolment.
type StationControl interface {
	RestartDevices(cfg Config) error
	RestartSync() error
	Repaired(id Identity) error
}

// PairFunc enrols this device at cfg.HubURL with a one-time code (app.Pair over the store).
type PairFunc func(ctx context.Context, cfg Config, code string) (Identity, error)

// TechnicianDeps are what the technician screen works with. Control and Pair are nil when
// the store could not be opened: then nothing can be applied while the station runs.
type TechnicianDeps struct {
	Settings *Settings
	IDs      *IdentityRef
	Status   StatusSource
	Logs     LogSource
	Log      *slog.Logger
	Control  StationControl
	Pair     PairFunc
	Desk     *Desk      // its probe lends a card or a scan to a test read
	Devices  *DeviceSet // the simulators a test read of "sim" uses
}

// Technician is the PIN-protected service screen: diagnostics, and setting the station up
// (ports and test reads, pairing, name and role, PIN, the sync link).
type Technician struct {
	d        TechnicianDeps
	ports    func() []string
	readWait time.Duration // how long a test read waits for a card or a scan
	scanWait time.Duration // how long pairing by QR waits for the scan
	unlocked atomic.Bool
}

// NewTechnician returns the service screen over d.
func NewTechnician(d TechnicianDeps) *Technician {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Desk == nil {
		d.Desk = &Desk{}
	}
	return &Technician{d: d, ports: serialport.ListPorts,
		readWait: 20 * time.Second, scanWait: 60 * time.Second}
}

// Unlock opens the technician screen when pin is right.
func (t *Technician) Unlock(pin string) bool {
	ok := CheckPIN(t.d.Settings.Get().TechPINHash, pin)
	t.unlocked.Store(ok)
	if ok {
		t.d.Log.Info("technician screen unlocked")
	} else {
		t.d.Log.Warn("technician PIN refused")
	}
	return ok
}

// Lock closes the technician screen.
func (t *Technician) Lock() { t.unlocked.Store(false) }

func (t *Technician) locked() error {
	if !t.unlocked.Load() {
		return appError(CodeLocked)
	}
	return nil
}

// Diagnostics returns everything the technician screen shows.
func (t *Technician) Diagnostics() (*Diagnostics, error) {
	if err := t.locked(); err != nil {
		return nil, err
	}
	c := t.d.Settings.Get()
	return &Diagnostics{
		Info:   NewAppInfo(c, t.d.IDs.Get()),
		Status: t.d.Status.Status(context.Background()),
		Config: ConfigView{DataDir: c.DataDir, Role: c.Role, Name: c.Name, HubURL: c.HubURL, Reader: c.Reader,
			Scanner: c.Scanner, IdleSeconds: c.IdleSeconds, Fullscreen: c.Fullscreen},
		Ports:         nonNil(t.ports()),
		PINSet:        c.TechPINHash != "",
		RestartNeeded: t.d.Settings.Pending(),
	}, nil
}

// Logs returns the most recent log lines.
func (t *Technician) Logs(limit int) ([]LogLine, error) {
	if err := t.locked(); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	return nonNil(t.d.Logs.Last(limit)), nil
}
