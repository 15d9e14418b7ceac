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
	if path := cfg.Reader; path != "" {
		if path == "sim" {
			sim, err := idcard.StartSimulator(log.With("component", "idcard-sim"))
			if err != nil {
				log.Error("start ID-card reader simulator", "err", err)
			} else {
				d.CardSim = sim
				path = sim.Path()
			}
		}
		if path != "sim" {
			baud := cfg.ReaderBaud
			d.Reader = idcard.NewReader(idcard.Config{Port: path}, func() (serialport.Port, error) {
				return serialport.Open(path, baud, portReadTimeout)
			}, log)
		}
	}
	if path := cfg.Scanner; path != "" {
		if path == "sim" {
			sim, err := scanner.StartSimulator(log.With("component", "scanner-sim"))
			if err != nil {
				log.Error("start QR scanner simulator", "err", err)
			} else {
				d.ScanSim = sim
				path = sim.Path()
			}
		}
		if path != "sim" {
			baud := cfg.ScannerBaud
			d.Scanner = scanner.NewScanner(scanner.Config{Port: path}, func() (serialport.Port, error) {
				return serialport.Open(path, baud, portReadTimeout)
			}, log)
		}
	}
	return d
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
