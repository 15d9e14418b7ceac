package app

import (
	"context"

	"liaison/device/serialport"
)

// Technician is the PIN-protected service screen.
type Technician struct{ s *Station }

// Unlock opens the technician screen when pin is right.
func (t *Technician) Unlock(pin string) bool {
	ok := CheckPIN(t.s.cfg.TechPINHash, pin)
	t.s.techUnlocked.Store(ok)
	if ok {
		t.s.log.Info("technician screen unlocked")
	} else {
		t.s.log.Warn("technician PIN refused")
	}
	return ok
}

// Lock closes the technician screen.
func (t *Technician) Lock() { t.s.techUnlocked.Store(false) }

// Diagnostics returns everything the technician screen shows.
func (t *Technician) Diagnostics() (*Diagnostics, error) {
	if !t.s.techUnlocked.Load() {
		return nil, errorf(CodeLocked, "请先输入维护密码")
	}
	c := t.s.cfg
	return &Diagnostics{
		Info:   t.s.info(),
		Status: t.s.status(context.Background()),
		Config: ConfigView{DataDir: c.DataDir, Role: c.Role, HubURL: c.HubURL, Reader: c.Reader,
			Scanner: c.Scanner, IdleSeconds: c.IdleSeconds, Fullscreen: c.Fullscreen},
		Ports:  nonNil(serialport.ListPorts()),
		PINSet: c.TechPINHash != "",
	}, nil
}

// Logs returns the most recent log lines.
func (t *Technician) Logs(limit int) ([]LogLine, error) {
	if !t.s.techUnlocked.Load() {
		return nil, errorf(CodeLocked, "请先输入维护密码")
	}
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	return nonNil(t.s.ring.Last(limit)), nil
}
