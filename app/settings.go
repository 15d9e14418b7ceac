package app

import (
	"sync"
)

// Settings are the station's settings while it runs. The technician screen changes them;
// each change is checked and written to config.json before it counts, so it survives a
// restart.
type Settings struct {
	mu   sync.Mutex
	cfg  Config // in effect
	file Config // in config.json: differs from cfg by what waits for a restart
}

// NewSettings holds cfg.
func NewSettings(cfg Config) *Settings { return &Settings{cfg: cfg, file: cfg} }

// Get returns the settings now.
func (s *Settings) Get() Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// Update changes the settings with f, checks and saves them; on any error the settings stay
// as they were.
func (s *Settings) Update(f func(*Config) error) (Config, error) {
	return s.update(f, true)
}

// SaveForRestart writes a change that only a restart applies (the role): config.json has it,
// the station goes on with what it started with.
func (s *Settings) SaveForRestart(f func(*Config) error) error {
	_, err := s.update(f, false)
	return err
}

// Pending reports whether config.json holds a change a restart will apply.
func (s *Settings) Pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.file != s.cfg
}

func (s *Settings) update(f func(*Config) error, live bool) (Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	file := s.file
	if err := f(&file); err != nil {
		return s.cfg, err
	}
	if err := file.Validate(); err != nil {
		return s.cfg, err
	}
	if err := file.Save(); err != nil {
		return s.cfg, err
	}
	s.file = file
	if live {
		if err := f(&s.cfg); err != nil {
			return s.cfg, err
		}
	}
	return s.cfg, nil
}

// DeviceSet holds the devices in use. The technician screen swaps them for others (another
// port, the simulator) while the station runs, so everything that uses a device asks here.
type DeviceSet struct {
	mu sync.RWMutex
	d  *Devices
}

// NewDeviceSet holds d (nil: no devices).
func NewDeviceSet(d *Devices) *DeviceSet {
	if d == nil {
		d = &Devices{}
	}
	return &DeviceSet{d: d}
}

// Get returns the devices in use, never nil (a nil set has none).
func (s *DeviceSet) Get() *Devices {
	if s == nil {
		return &Devices{}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.d
}

// swap puts d in use and returns the devices it replaces.
func (s *DeviceSet) swap(d *Devices) *Devices {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.d
	s.d = d
	return old
}
