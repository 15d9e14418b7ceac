package app

import (
	"log/slog"
	"time"

	"liaison/device/idcard"
	"liaison/device/scanner"
	"liaison/device/serialport"
)

// Read timeouts of the serial ports: short, so a Close never waits on a blocked Read.
const portReadTimeout = 100 * time.Millisecond

// Devices are the kiosk's peripherals. A field is nil when the settings name no such device
// (a wall has none). The simulators are set only for "sim": they run on a pty and the
// drivers talk to them through the same serial code as to hardware.
type Devices struct {
	Reader      *idcard.Reader
	CardSim     *idcard.Simulator
	ReaderPort  string
	Scanner     *scanner.Scanner
	ScanSim     *scanner.Simulator
	ScannerPort string
}

// OpenDevices builds the ID-card reader and the QR scanner the settings name. It starts the
// simulators, but no driver: Background.Start does.
func OpenDevices(cfg Config, log *slog.Logger) *Devices {
	d := &Devices{ReaderPort: cfg.Reader, ScannerPort: cfg.Scanner}
	if cfg.Role != "kiosk" {
		return d
	}
	if cfg.Reader != "" {
		if path, sim, ok := devicePort(cfg.Reader, idcard.StartSimulator, log, "ID-card reader", "idcard-sim"); ok {
			d.CardSim = sim
			d.Reader = idcard.NewReader(idcard.Config{Port: path}, portOpener(path, cfg.ReaderBaud), log)
		}
	}
	if cfg.Scanner != "" {
		if path, sim, ok := devicePort(cfg.Scanner, scanner.StartSimulator, log, "QR scanner", "scanner-sim"); ok {
			d.ScanSim = sim
			d.Scanner = scanner.NewScanner(scanner.Config{Port: path}, portOpener(path, cfg.ScannerBaud), log)
		}
	}
	return d
}

// devicePort resolves a device setting to the port its driver opens: the setting itself, or
// for "sim" the pty of a simulator that start starts (returned as sim). ok is false when the
// simulator did not start; the device is then left out.
func devicePort[S interface{ Path() string }](setting string, start func(*slog.Logger) (S, error), log *slog.Logger,
	name, component string) (path string, sim S, ok bool) {
	if setting != "sim" {
		return setting, sim, true
	}
	sim, err := start(log.With("component", component))
	if err != nil {
		log.Error("start "+name+" simulator", "err", err)
		var none S
		return "", none, false
	}
	return sim.Path(), sim, true
}

// portOpener opens a device's serial port, anew for every (re)connection of its driver.
func portOpener(path string, baud int) func() (serialport.Port, error) {
	return func() (serialport.Port, error) { return serialport.Open(path, baud, portReadTimeout) }
}

// Close stops the simulators; the drivers stop with the context they run under.
func (d *Devices) Close() {
	if d == nil {
		return
	}
	if d.CardSim != nil {
		_ = d.CardSim.Close()
	}
	if d.ScanSim != nil {
		_ = d.ScanSim.Close()
	}
}
