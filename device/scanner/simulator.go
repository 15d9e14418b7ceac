package scanner

import (
	"fmt"
	"log/slog"
	"sync"

	"liaison/device/serialport"
)

// Simulator plays a serial scanner on a pty: every Send is one scan.
type Simulator struct {
	*serialport.SimPort // Path, Close
	log                 *slog.Logger

	mu     sync.Mutex
	suffix string
}

// StartSimulator opens a pty pair. Scans end with CR LF until SetSuffix changes that.
func StartSimulator(log *slog.Logger) (*Simulator, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	port, err := serialport.OpenSimPort()
	if err != nil {
		return nil, fmt.Errorf("start scanner simulator: %w", err)
	}
	sim := &Simulator{SimPort: port, log: log.With("component", "scanner-sim"), suffix: "\r\n"}
	port.Serve(sim.discardInput)
	return sim, nil
}

// discardInput swallows whatever the host writes (trigger commands), as a scanner would.
func (s *Simulator) discardInput() {
	buf := make([]byte, 256)
	for {
		if _, err := s.Master.Read(buf); err != nil {
			return
		}
	}
}

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
	if _, err := s.Master.Write(b); err != nil {
		return fmt.Errorf("scanner simulator write: %w", err)
	}
	return nil
}
