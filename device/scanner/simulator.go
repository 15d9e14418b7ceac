package scanner

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"liaison/device/serialport"
)

// Simulator plays a serial scanner on a pty: every Send is one scan.
type Simulator struct {
	log    *slog.Logger
	master *os.File
	slave  *os.File
	done   chan struct{}

	mu     sync.Mutex
	suffix string
}

// StartSimulator opens a pty pair. Scans end with CR LF until SetSuffix changes that.
func StartSimulator(log *slog.Logger) (*Simulator, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, s, err := serialport.OpenPtyPair()
	if err != nil {
		return nil, fmt.Errorf("start scanner simulator: %w", err)
	}
	sim := &Simulator{log: log.With("component", "scanner-sim"), master: m, slave: s, done: make(chan struct{}), suffix: "\r\n"}
	go sim.discardInput()
	return sim, nil
}

// discardInput swallows whatever the host writes (trigger commands), as a scanner would.
func (s *Simulator) discardInput() {
	defer close(s.done)
	buf := make([]byte, 256)
	for {
		if _, err := s.master.Read(buf); err != nil {
			return
		}
	}
}

// Path is the pty slave device to open as the scanner's port.
func (s *Simulator) Path() string { return s.slave.Name() }

// SetSuffix sets the terminator sent after each scan ("" for none).
func (s *Simulator) SetSuffix(suffix string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.suffix = suffix
}

// Send emits one scan of text (UTF-8) followed by the suffix.
func (s *Simulator) Send(text string) error {
	s.mu.Lock()
	suffix := s.suffix
	s.mu.Unlock()
	return s.SendRaw([]byte(text + suffix))
}

// SendRaw writes bytes exactly as given, e.g. a GBK payload or a partial scan.
func (s *Simulator) SendRaw(b []byte) error {
	if _, err := s.master.Write(b); err != nil {
		return fmt.Errorf("scanner simulator write: %w", err)
	}
	return nil
}

// Close stops the simulator; a driver's port then sees a hang-up.
func (s *Simulator) Close() error {
	err := errors.Join(s.master.Close(), s.slave.Close())
	<-s.done
	return err
}
