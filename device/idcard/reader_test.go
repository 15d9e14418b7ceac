package idcard

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"liaison/device/serialport"
)

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func nextEvent(t testing.TB, r *Reader) CardEvent {
	t.Helper()
	select {
	case ev := <-r.Events():
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no card event")
		return CardEvent{}
	}
}

func fastConfig(port string) Config {
	return Config{
		Port:         port,
		PollInterval: 20 * time.Millisecond,
		Timeouts:     Timeouts{Command: 300 * time.Millisecond, Read: time.Second},
		BackoffMin:   10 * time.Millisecond,
		BackoffMax:   50 * time.Millisecond,
	}
}

func startSim(t *testing.T) *Simulator {
	t.Helper()
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		t.Skip("no /dev/ptmx")
	}
	sim, err := StartSimulator(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

func runReader(t *testing.T, r *Reader) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
}

// runSimReader runs a reader with the fast test settings on the simulator's port, opened
// anew for every connection as a real one is.
func runSimReader(t *testing.T, sim *Simulator) *Reader {
	t.Helper()
	r := NewReader(fastConfig(sim.Path()), func() (serialport.Port, error) {
		return serialport.Open(sim.Path(), 115200, 100*time.Millisecond)
	}, nil)
	runReader(t, r)
	return r
}

// TestSimulatorToEvent runs the real stack: pty simulator, tarm/serial port, Reader, events.
func TestSimulatorToEvent(t *testing.T) {
	t.Parallel()
	sim := startSim(t)
	r := runSimReader(t, sim)
	waitFor(t, "state ok", func() bool { return r.Status().State == serialport.StateOK })

	samples := SampleCards()
	for _, key := range []string{"resident", "resident2", "hkmotw", "foreign_pr"} {
		sim.Place(samples[key])
		ev := nextEvent(t, r)
		if ev.Removed || ev.Card == nil || ev.ReadAt.IsZero() || ev.At.Before(ev.ReadAt) {
			t.Fatalf("%s: event %+v", key, ev)
		}
		want, _ := ParseText(samples[key].Text)
		if ev.Card.IDNumber != want.IDNumber || ev.Card.Type != want.Type {
			t.Fatalf("%s: read %s %s", key, ev.Card.Type, ev.Card.IDNumber)
		}
		// The card stays: many polls, no second event.
		served := sim.Served()
		waitFor(t, "polls while the card stays", func() bool { return sim.Served() > served+10 })
		select {
		case ev := <-r.Events():
			t.Fatalf("%s: re-emitted while the card stayed: %+v", key, ev)
		default:
		}
		sim.Remove()
		rm := nextEvent(t, r)
		if !rm.Removed || rm.Card == nil || rm.Card.IDNumber != want.IDNumber {
			t.Fatalf("%s: removal event %+v", key, rm)
		}
	}
	st := r.Status()
	if st.Reads != 4 || st.State != serialport.StateOK || st.LastCardAt.IsZero() || st.Port != sim.Path() {
		t.Fatalf("status %+v", st)
	}
}

func TestSimulatorFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		faults Faults
	}{
		{"bad checksum once", Faults{BadChecksum: 1}},
		{"garbage prefix", Faults{GarbagePrefix: []byte{0x00, 0xAA, 0x96, 0x69, 0xFF}}},
		{"split slow writes", Faults{SplitSize: 100, SplitDelay: 2 * time.Millisecond}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim := startSim(t)
			sim.SetFaults(tc.faults)
			r := runSimReader(t, sim)
			sim.Place(SampleCards()["resident2"])
			ev := nextEvent(t, r)
			if ev.Card == nil || ev.Card.Name != "张三" {
				t.Fatalf("event %+v", ev)
			}
		})
	}
}

func TestReaderSAMFailureAndSilence(t *testing.T) {
	t.Parallel()
	sim := startSim(t)
	sim.SetFaults(Faults{SAMFailure: true})
	r := runSimReader(t, sim)
	waitFor(t, "SAM error state", func() bool {
		st := r.Status()
		return st.State == serialport.StateError && st.LastError == (&StatusError{Code: SWSelfTest}).Message()
	})
	sim.SetFaults(Faults{})
	waitFor(t, "recovery", func() bool { return r.Status().State == serialport.StateOK })
	sim.SetFaults(Faults{Silent: true})
	waitFor(t, "silent reader reported", func() bool {
		st := r.Status()
		return st.State != serialport.StateOK && st.LastError == Describe(ErrTimeout)
	})
	sim.SetFaults(Faults{})
	sim.Place(SampleCards()["resident"])
	if ev := nextEvent(t, r); ev.Card == nil || ev.Card.Name != "测试" {
		t.Fatalf("event after recovery %+v", ev)
	}
}

// TestReaderReconnects: the port cannot be opened at first, then works, then vanishes.
func TestReaderReconnects(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	opens := 0
	var devs []*fakeDevice
	open := func() (serialport.Port, error) {
		mu.Lock()
		defer mu.Unlock()
		opens++
		if opens == 1 {
			return nil, errors.New("open /dev/ttyUSB0: no such file or directory")
		}
		port, dev := startFake(t, func(c Command) [][]byte {
			if c.Cmd == 0x11 {
				return [][]byte{status(0x90)}
			}
			return [][]byte{status(0x80)}
		})
		devs = append(devs, dev)
		return port, nil
	}
	r := NewReader(fastConfig("/dev/ttyUSB0"), open, nil)
	runReader(t, r)
	waitFor(t, "first open failure", func() bool {
		st := r.Status()
		return st.Errors >= 1 && st.LastError != ""
	})
	waitFor(t, "connected", func() bool { return r.Status().State == serialport.StateOK })
	mu.Lock()
	_ = devs[0].conn.Close() // unplug
	mu.Unlock()
	waitFor(t, "reconnected on a new port", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return opens >= 3 && r.Status().State == serialport.StateOK
	})
	select {
	case <-r.StatusChanged():
	default:
		t.Fatal("no status change notification")
	}
}

func TestReaderSeesSimulatorHangup(t *testing.T) {
	t.Parallel()
	sim := startSim(t)
	r := runSimReader(t, sim)
	waitFor(t, "state ok", func() bool { return r.Status().State == serialport.StateOK })
	_ = sim.Close()
	waitFor(t, "disconnected", func() bool {
		st := r.Status()
		return st.State == serialport.StateDisconnected || (st.State == serialport.StateConnecting && st.LastError != "")
	})
}
