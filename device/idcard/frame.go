// Package idcard drives second-generation ID-card readers (SAM modules) over a serial port:
// pure frame encode/decode functions, an incremental frame decoder, text-block parsing for the
// three card layouts, a polling Reader driver and a pty Simulator.
package idcard

import (
	"errors"
	"fmt"
)

// Preamble starts every frame in both directions.
var Preamble = [5]byte{0xAA, 0xAA, 0xAA, 0x96, 0x69}

// Frame geometry.
const (
	headerLen = 7 // preamble + LEN_H LEN_L
	// MinResponseLen is the smallest LEN of a response: SW1 SW2 SW3 CHK.
	MinResponseLen = 4
	// MinCommandLen is the smallest LEN of a command: CMD PARA CHK.
	MinCommandLen = 3
	// MaxLen bounds LEN. The largest real response (text, photo and two fingerprints) has
	// LEN 0x090A; anything much larger is line noise that would make us wait for bytes that
	// never come.
	MaxLen = 0x0A00
)

// Command is a reader command: CMD, PARA and optional DATA.
type Command struct {
	Cmd, Para byte
	Data      []byte
}

// The commands the driver uses.
var (
	CmdResetSAM       = Command{Cmd: 0x10, Para: 0xFF}
	CmdSAMStatus      = Command{Cmd: 0x11, Para: 0xFF}
	CmdSAMID          = Command{Cmd: 0x12, Para: 0xFF}
	CmdFind           = Command{Cmd: 0x20, Para: 0x01}
	CmdSelect         = Command{Cmd: 0x20, Para: 0x02}
	CmdReadBase       = Command{Cmd: 0x30, Para: 0x01}
	CmdReadNewestAddr = Command{Cmd: 0x30, Para: 0x03}
	CmdReadWithFinger = Command{Cmd: 0x30, Para: 0x10}
)

// Frame errors. They describe a broken frame, not a reader status (see StatusError).
var (
	ErrShortFrame = errors.New("frame too short")
	ErrPreamble   = errors.New("bad frame preamble")
	ErrLength     = errors.New("bad frame length")
	ErrChecksum   = errors.New("frame checksum mismatch")
	ErrShortData  = errors.New("response data too short")
)

// Checksum is the XOR of b, which must run from LEN_H to the byte before CHK.
func Checksum(b []byte) byte {
	var x byte
	for _, c := range b {
		x ^= c
	}
	return x
}

// EncodeCommand builds the full frame for c.
func EncodeCommand(c Command) []byte {
	return encode([]byte{c.Cmd, c.Para}, c.Data)
}

// EncodeResponse builds a response frame; it is what the simulator and tests send.
func EncodeResponse(r Response) []byte {
	return encode([]byte{r.SW1, r.SW2, r.SW3}, r.Data)
}

func encode(head, data []byte) []byte {
	n := len(head) + len(data) + 1
	f := make([]byte, 0, headerLen+n)
	f = append(f, Preamble[:]...)
	f = append(f, byte(n>>8), byte(n))
	f = append(f, head...)
	f = append(f, data...)
	return append(f, Checksum(f[5:]))
}

// Response is a decoded reader response.
type Response struct {
	SW1, SW2, SW3 byte
	Data          []byte
}

// Err is nil for the success codes (0x90, 0x9F) and a *StatusError otherwise.
func (r Response) Err() error {
	if r.SW3 == SWSuccess || r.SW3 == SWFindOK {
		return nil
	}
	return &StatusError{Code: r.SW3, SW1: r.SW1, SW2: r.SW2}
}

// body verifies a complete frame and returns the bytes between LEN and CHK.
func body(frame []byte, minLen int) ([]byte, error) {
	if len(frame) < headerLen {
		return nil, fmt.Errorf("%w: %d bytes", ErrShortFrame, len(frame))
	}
	if [5]byte(frame[:5]) != Preamble {
		return nil, fmt.Errorf("%w: % X", ErrPreamble, frame[:5])
	}
	n := int(frame[5])<<8 | int(frame[6])
	if n < minLen || n > MaxLen {
		return nil, fmt.Errorf("%w: LEN %d", ErrLength, n)
	}
	if len(frame) != headerLen+n {
		return nil, fmt.Errorf("%w: LEN %d but %d bytes follow", ErrLength, n, len(frame)-headerLen)
	}
	last := len(frame) - 1
	if got := Checksum(frame[5:last]); got != frame[last] {
		return nil, fmt.Errorf("%w: computed %02X, frame has %02X", ErrChecksum, got, frame[last])
	}
	return frame[headerLen:last], nil
}

// DecodeResponse verifies a complete response frame (preamble, LEN, checksum) and splits it.
// A reader error status is not a decode error: check Response.Err.
func DecodeResponse(frame []byte) (Response, error) {
	b, err := body(frame, MinResponseLen)
	if err != nil {
		return Response{}, err
	}
	return Response{SW1: b[0], SW2: b[1], SW3: b[2], Data: b[3:]}, nil
}

// DecodeCommand verifies a complete command frame; the simulator uses it.
func DecodeCommand(frame []byte) (Command, error) {
	b, err := body(frame, MinCommandLen)
	if err != nil {
		return Command{}, err
	}
	return Command{Cmd: b[0], Para: b[1], Data: b[2:]}, nil
}
