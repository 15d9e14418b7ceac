package app

import (
	"context"
	"log/slog"
	"sync/atomic"

	"liaison/device/serialport"
)

// LogSource holds the recent log lines the technician screen shows (a *LogRing).
type LogSource interface {
	Last(limit int) []LogLine
}

// Technician is the PIN-protected service screen.
type Technician struct {
	cfg      Config
	info     AppInfo
	status   StatusSource
	logs     LogSource
	ports    func() []string
	log      *slog.Logger
	unlocked atomic.Bool
}

// NewTechnician returns the service screen of the station described by cfg and info.
func NewTechnician(cfg Config, info AppInfo, status StatusSource, logs LogSource, log *slog.Logger) *Technician {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Technician{cfg: cfg, info: info, status: status, logs: logs, ports: serialport.ListPorts, log: log}
}

// Unlock opens the technician screen when pin is right.
func (t *Technician) Unlock(pin string) bool {
	ok := CheckPIN(t.cfg.TechPINHash, pin)
	t.unlocked.Store(ok)
	if ok {
		t.log.Info("technician screen unlocked")
	} else {
		t.log.Warn("technician PIN refused")
	}
	return ok
}

// Lock closes the technician screen.
func (t *Technician) Lock() { t.unlocked.Store(false) }

// Diagnostics returns everything the technician screen shows.
func (t *Technician) Diagnostics() (*Diagnostics, error) {
	if !t.unlocked.Load() {
		return nil, appError(CodeLocked)
	}
	c := t.cfg
	return &Diagnostics{
		Info:   t.info,
		Status: t.status.Status(context.Background()),
		Config: ConfigView{DataDir: c.DataDir, Role: c.Role, HubURL: c.HubURL, Reader: c.Reader,
			Scanner: c.Scanner, IdleSeconds: c.IdleSeconds, Fullscreen: c.Fullscreen},
		Ports:  nonNil(t.ports()),
		PINSet: c.TechPINHash != "",
	}, nil
}

// Logs returns the most recent log lines.
func (t *Technician) Logs(limit int) ([]LogLine, error) {
	if !t.unlocked.Load() {
		return nil, appError(CodeLocked)
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	return nonNil(t.logs.Last(limit)), nil
}
