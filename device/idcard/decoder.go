package idcard

import (
	"bytes"
	"fmt"
)

// Decoder finds frames in a byte stream that arrives in arbitrary pieces. It skips garbage
// before a preamble, waits for exactly LEN more bytes, refuses absurd LEN values and drops a
// frame whose checksum fails. It never blocks; timing belongs to the transport.
type Decoder struct {
	buf    []byte
	minLen int
	// Discarded counts garbage bytes skipped while looking for a preamble.
	Discarded int
}

// NewResponseDecoder decodes frames sent by a reader.
func NewResponseDecoder() *Decoder { return &Decoder{minLen: MinResponseLen} }

// NewCommandDecoder decodes frames sent by a host.
func NewCommandDecoder() *Decoder { return &Decoder{minLen: MinCommandLen} }

// maxBuffered bounds memory if a peer floods us with bytes nobody asks for.
const maxBuffered = 4 * (headerLen + MaxLen)

// Feed appends bytes received from the line.
func (d *Decoder) Feed(b []byte) {
	d.buf = append(d.buf, b...)
	if over := len(d.buf) - maxBuffered; over > 0 {
		d.buf = append(d.buf[:0], d.buf[over:]...)
		d.Discarded += over
	}
}

// Reset drops everything buffered, e.g. stale bytes before a new command.
func (d *Decoder) Reset() { d.buf = d.buf[:0] }

// Buffered is the number of bytes waiting.
func (d *Decoder) Buffered() int { return len(d.buf) }

// Next returns the next complete frame with a valid checksum, or (nil, nil) when more bytes
// are needed. A frame that fails its checksum is dropped and reported as ErrChecksum; the
// bytes after its preamble are then searched again in case the preamble was noise.
func (d *Decoder) Next() ([]byte, error) {
	for {
		i := bytes.Index(d.buf, Preamble[:])
		if i < 0 {
			// Keep a tail that may be the start of a preamble split across reads.
			keep := min(len(d.buf), len(Preamble)-1)
			d.drop(len(d.buf) - keep)
			return nil, nil
		}
		d.drop(i)
		if len(d.buf) < headerLen {
			return nil, nil
		}
		n := int(d.buf[5])<<8 | int(d.buf[6])
		if n < d.minLen || n > MaxLen {
			d.drop(1) // a preamble followed by an impossible length is noise; look past it
			continue
		}
		total := headerLen + n
		if len(d.buf) < total {
			return nil, nil
		}
		frame := bytes.Clone(d.buf[:total])
		if got := Checksum(frame[5 : total-1]); got != frame[total-1] {
			d.drop(1)
			return nil, fmt.Errorf("%w: computed %02X, frame has %02X", ErrChecksum, got, frame[total-1])
		}
		d.buf = append(d.buf[:0], d.buf[total:]...)
		return frame, nil
	}
}

func (d *Decoder) drop(n int) {
	if n <= 0 {
		return
	}
	d.Discarded += n
	d.buf = append(d.buf[:0], d.buf[n:]...)
}
