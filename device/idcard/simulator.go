package idcard

import (
	"crypto/sha256"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"liaison/device/serialport"
)

// SimCard is a card the Simulator can hold in its field.
type SimCard struct {
	Text           []byte  // 256-byte text block
	SN             [8]byte // select answer; zero means "derive from the text"
	NewestAddress  string  // appended address; "" answers 0x91 (no content)
	FingerprintLen int     // 0, 512 or 1024 for the 30 10 read
}

// Faults make the Simulator misbehave the way real readers and cables do.
type Faults struct {
	BadChecksum   int           // corrupt the CHK of the next n responses
	GarbagePrefix []byte        // sent before every response
	SplitSize     int           // write responses in pieces of this many bytes
	SplitDelay    time.Duration // pause between pieces
	Silent        bool          // answer nothing
	SAMFailure    bool          // answer every command with 0x60 (self-test failed)
}

// Simulator plays an ID-card reader on a pty with the real protocol, for tests, demos and the
// technician's dry runs. Open Path with serialport.Open like any other port.
type Simulator struct {
	*serialport.SimPort // Path, Close
	log                 *slog.Logger

	mu       sync.Mutex
	card     *SimCard
	found    bool // find succeeded for the card in the field
	selected bool
	read     bool // the card has been read; find fails until it leaves the field
	faults   Faults
	served   int
}

// StartSimulator opens a pty pair and starts answering commands on it.
func StartSimulator(log *slog.Logger) (*Simulator, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	port, err := serialport.OpenSimPort()
	if err != nil {
		return nil, fmt.Errorf("start reader simulator: %w", err)
	}
	sim := &Simulator{SimPort: port, log: log.With("component", "idcard-sim")}
	port.Serve(sim.serve)
	return sim, nil
}

// Place puts a card in the field, replacing any card there.
func (s *Simulator) Place(c SimCard) {
	if c.SN == [8]byte{} {
		sum := sha256.Sum256(c.Text)
		copy(c.SN[:], sum[:8])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.card, s.found, s.selected, s.read = &c, false, false, false
}

// Remove takes the card out of the field.
func (s *Simulator) Remove() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.card, s.found, s.selected, s.read = nil, false, false, false
}

// SetFaults replaces the fault plan.
func (s *Simulator) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Served is the number of commands received so far.
func (s *Simulator) Served() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

func (s *Simulator) serve() {
	dec := NewCommandDecoder()
	buf := make([]byte, 1024)
	for {
		n, err := s.Master.Read(buf)
		if err != nil {
			return
		}
		dec.Feed(buf[:n])
		for {
			raw, derr := dec.Next()
			if derr != nil {
				s.respond(Response{SW3: SWHostChecksum})
				continue
			}
			if raw == nil {
				break
			}
			cmd, cerr := DecodeCommand(raw)
			if cerr != nil {
				s.respond(Response{SW3: SWHostLength})
				continue
			}
			s.respond(s.answer(cmd))
		}
	}
}

// answer is the reader's logic: the state of the field decides each reply.
func (s *Simulator) answer(cmd Command) Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.served++
	if s.faults.SAMFailure {
		return Response{SW3: SWSelfTest}
	}
	ok := Response{SW3: SWSuccess}
	switch [2]byte{cmd.Cmd, cmd.Para} {
	case [2]byte{0x10, 0xFF}, [2]byte{0x11, 0xFF}:
		return ok
	case [2]byte{0x12, 0xFF}:
		ok.Data = []byte{5, 0, 1, 0, 0x39, 0x30, 0, 0, 0x40, 0xE2, 0x01, 0, 0x15, 0xCD, 0x5B, 0x07}
		return ok
	case [2]byte{0x20, 0x01}:
		if s.card == nil || s.read {
			return Response{SW3: SWNoCard}
		}
		s.found = true
		return Response{SW3: SWFindOK, Data: make([]byte, 4)}
	case [2]byte{0x20, 0x02}:
		if s.card == nil || !s.found {
			return Response{SW3: SWSelectFailed}
		}
		s.selected = true
		ok.Data = s.card.SN[:]
		return ok
	case [2]byte{0x30, 0x01}, [2]byte{0x30, 0x10}:
		if s.card == nil || !s.selected {
			return Response{SW3: SWReadFailed}
		}
		s.found, s.selected, s.read = false, false, true
		return s.readResponse(cmd.Para == 0x10)
	case [2]byte{0x30, 0x03}:
		if s.card == nil || !s.read {
			return Response{SW3: SWReadFailed}
		}
		if s.card.NewestAddress == "" {
			return Response{SW3: SWNoContent}
		}
		ok.Data = newTextBuilder().put(0, AddressLen, s.card.NewestAddress).bytes()[:AddressLen]
		return ok
	}
	if cmd.Cmd == 0x60 && cmd.Para <= 0x04 {
		return ok
	}
	return Response{SW3: SWBadCommand}
}

func (s *Simulator) readResponse(finger bool) Response {
	text := make([]byte, TextLen)
	copy(text, s.card.Text)
	data := []byte{0x01, 0x00, 0x04, 0x00}
	if finger {
		fp := s.card.FingerprintLen
		data = append(data, byte(fp>>8), byte(fp))
		data = append(data, text...)
		data = append(data, make([]byte, PhotoLen+fp)...)
	} else {
		data = append(data, text...)
		data = append(data, make([]byte, PhotoLen)...)
	}
	return Response{SW3: SWSuccess, Data: data}
}

// respond writes r, applying the fault plan.
func (s *Simulator) respond(r Response) {
	s.mu.Lock()
	f := s.faults
	if s.faults.BadChecksum > 0 {
		s.faults.BadChecksum--
	}
	s.mu.Unlock()
	if f.Silent {
		return
	}
	frame := EncodeResponse(r)
	if f.BadChecksum > 0 {
		frame[len(frame)-1] ^= 0x5A
	}
	out := append(append([]byte{}, f.GarbagePrefix...), frame...)
	step := f.SplitSize
	if step <= 0 {
		step = len(out)
	}
	for len(out) > 0 {
		n := min(step, len(out))
		if _, err := s.Master.Write(out[:n]); err != nil {
			s.log.Debug("sim write", "err", err)
			return
		}
		out = out[n:]
		if len(out) > 0 && f.SplitDelay > 0 {
			time.Sleep(f.SplitDelay)
		}
	}
}
