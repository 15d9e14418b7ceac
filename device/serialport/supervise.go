package serialport

import (
	"context"
	"log/slog"
	"time"
)

// Supervisor keeps one device connected, the loop both drivers (ID-card reader, QR scanner)
// run: open the port, hand it to Session, close it when the session ends, and try again after
// a back-off until the context ends. The hooks report to the driver's status; the driver
// keeps its own vocabulary of states and messages.
type Supervisor struct {
	Device  string // what is supervised, for the log: "reader", "scanner"
	Port    string // the port's name, for the log
	Open    func() (Port, error)
	Backoff Backoff
	Log     *slog.Logger // nil discards
	// Connecting is called before every attempt to open the port.
	Connecting func()
	// OpenFailed is called with the error of a failed attempt.
	OpenFailed func(err error)
	// Session drives an open port until it fails or ctx ends; the supervisor closes the port
	// afterwards. It reports whether the port worked at all: a healthy session starts the
	// back-off again, so a re-plugged device is back quickly, while one that fails straight
	// away is retried with growing delays.
	Session func(ctx context.Context, p Port) (healthy bool)
}

// Run supervises the device until ctx ends and returns ctx.Err().
func (s *Supervisor) Run(ctx context.Context) error {
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bo := s.Backoff
	failing := false
	for ctx.Err() == nil {
		s.Connecting()
		port, err := s.Open()
		if err != nil {
			// A missing device is logged once; the retries that follow say nothing new.
			level := slog.LevelWarn
			if failing {
				level = slog.LevelDebug
			}
			failing = true
			log.Log(ctx, level, "open "+s.Device+" port", "port", s.Port, "err", err)
			s.OpenFailed(err)
		} else {
			failing = false
			healthy := s.Session(ctx, port)
			_ = port.Close()
			if healthy {
				bo.Reset()
			}
		}
		if ctx.Err() != nil {
			break
		}
		t := time.NewTimer(bo.Next())
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
	return ctx.Err()
}
