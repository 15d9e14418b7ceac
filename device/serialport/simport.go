package serialport

import (
	"errors"
	"os"
)

// SimPort is the pty pair a device simulator runs on: the simulator reads and writes Master,
// the driver under test opens Path like any serial port.
type SimPort struct {
	Master *os.File
	slave  *os.File
	done   chan struct{}
}

// OpenSimPort opens a pty pair (OpenPtyPair) for a simulator, which then starts with Serve.
func OpenSimPort() (*SimPort, error) {
	m, s, err := OpenPtyPair()
	if err != nil {
		return nil, err
	}
	return &SimPort{Master: m, slave: s, done: make(chan struct{})}, nil
}

// Serve runs serve, the simulator's reading loop, on its own goroutine; it must return once
// Master is closed. Call it once: Close waits for it.
func (p *SimPort) Serve(serve func()) {
	go func() {
		defer close(p.done)
		serve()
	}()
}

// Path is the pty slave device to open as the simulated device's port.
func (p *SimPort) Path() string { return p.slave.Name() }

// Close stops the simulator and waits for its loop to end; a driver's port then sees a hang-up.
func (p *SimPort) Close() error {
	err := errors.Join(p.Master.Close(), p.slave.Close())
	<-p.done
	return err
}
