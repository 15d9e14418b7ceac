package idcard

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"liaison/device/serialport"
)

// fakeDevice plays a reader on the far end of a net.Pipe. answer decides the bytes written
// back for each command, as a list of writes (nil: stay silent).
type fakeDevice struct {
	conn   net.Conn
	answer func(Command) [][]byte
	done   chan struct{}
}

func startFake(t testing.TB, answer func(Command) [][]byte) (serialport.Port, *fakeDevice) {
	t.Helper()
	host, dev := net.Pipe()
	f := &fakeDevice{conn: dev, answer: answer, done: make(chan struct{})}
	go f.serve()
	t.Cleanup(func() {
		_ = host.Close()
		_ = dev.Close()
		<-f.done
	})
	return host, f
}

func (f *fakeDevice) serve() {
	defer close(f.done)
	dec := NewCommandDecoder()
	buf := make([]byte, 512)
	for {
		n, err := f.conn.Read(buf)
		if err != nil {
			return
		}
		dec.Feed(buf[:n])
		for {
			raw, err := dec.Next()
			if err != nil {
				continue
			}
			if raw == nil {
				break
			}
			cmd, err := DecodeCommand(raw)
			if err != nil {
				continue
			}
			for _, w := range f.answer(cmd) {
				if _, err := f.conn.Write(w); err != nil {
					return
				}
			}
		}
	}
}

func status(sw3 byte) []byte { return EncodeResponse(Response{SW3: sw3}) }

// cardAnswers answers like a reader with the synthetic card in its field; read is the bytes
// to send for the base read.
func cardAnswers(t testing.TB, read [][]byte) func(Command) [][]byte {
	return func(c Command) [][]byte {
		switch [2]byte{c.Cmd, c.Para} {
		case [2]byte{0x11, 0xFF}:
			return [][]byte{status(0x90)}
		case [2]byte{0x20, 0x01}:
			return [][]byte{mustHex(t, "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")}
		case [2]byte{0x20, 0x02}:
			return [][]byte{mustHex(t, "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C")}
		case [2]byte{0x30, 0x01}:
			return read
		}
		return [][]byte{status(0x21)}
	}
}

func quietConn(p serialport.Port) *conn {
	return newConn(p, nil, slog.New(slog.DiscardHandler))
}

func TestReadOnceOverPipe(t *testing.T) {
	t.Parallel()
	full := syntheticFrame(t)
	garbage := append([]byte{0x13, 0x37, 0xAA, 0xAA}, full[:100]...)
	tests := []struct {
		name string
		read [][]byte
	}{
		{"whole frame", [][]byte{full}},
		{"split writes", splitEvery(full, 37)},
		{"byte by byte", splitEvery(full, 1)},
		{"garbage prefix", [][]byte{garbage[:4], full}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			port, _ := startFake(t, cardAnswers(t, tc.read))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			card, err := ReadOnce(ctx, port)
			if err != nil {
				t.Fatal(err)
			}
			if card.IDNumber != "11010519491231002X" || !card.LongTerm || card.Name != "测试" {
				t.Fatalf("card %+v", card)
			}
		})
	}
}

func TestTransactFailures(t *testing.T) {
	t.Parallel()
	full := syntheticFrame(t)
	tests := []struct {
		name       string
		answer     [][]byte
		closeAfter bool
		want       error
	}{
		{"stall", nil, false, ErrTimeout},
		{"half a frame then silence", [][]byte{full[:600]}, false, ErrTimeout},
		{"close mid-frame", [][]byte{full[:600]}, true, ErrPortClosed},
		{"bad checksum", [][]byte{mustHex(t, "AA AA AA 96 69 00 04 00 00 90 95")}, false, ErrChecksum},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var dev *fakeDevice
			port, dev := startFake(t, func(Command) [][]byte {
				if tc.closeAfter {
					for _, w := range tc.answer {
						_, _ = dev.conn.Write(w)
					}
					_ = dev.conn.Close()
					return nil
				}
				return tc.answer
			})
			c := quietConn(port)
			defer c.stop()
			_, _, err := c.transact(context.Background(), CmdReadBase, 150*time.Millisecond)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTransactEveryErrorStatus(t *testing.T) {
	t.Parallel()
	for _, code := range StatusCodes() {
		if code == SWSuccess || code == SWFindOK {
			continue
		}
		port, _ := startFake(t, func(Command) [][]byte {
			return [][]byte{EncodeResponse(Response{SW1: 0x12, SW2: 0x34, SW3: code})}
		})
		c := quietConn(port)
		_, _, err := c.transact(context.Background(), CmdFind, time.Second)
		c.stop()
		var se *StatusError
		if !errors.As(err, &se) || se.Code != code || se.SW1 != 0x12 || se.SW2 != 0x34 {
			t.Fatalf("code %02X: err = %v", code, err)
		}
		if Describe(err) != se.Message() {
			t.Fatalf("code %02X: Describe = %q", code, Describe(err))
		}
	}
}

func TestTransactDropsStaleBytes(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls := 0
	port, _ := startFake(t, func(c Command) [][]byte {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			// The answer to the first command comes too late and must not be taken as the
			// answer to the second.
			return nil
		}
		return [][]byte{status(0x80)}
	})
	c := quietConn(port)
	defer c.stop()
	if _, _, err := c.transact(context.Background(), CmdSelect, 50*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("first: %v", err)
	}
	c.dec.Feed(status(0x81)) // a late select answer already in the buffer
	if _, _, err := c.transact(context.Background(), CmdFind, time.Second); !errors.Is(err, ErrNoCard) {
		t.Fatalf("second: %v, want the find answer (no card)", err)
	}
}

func TestReadOnceSAMFailure(t *testing.T) {
	t.Parallel()
	port, _ := startFake(t, func(Command) [][]byte { return [][]byte{status(0x60)} })
	_, err := ReadOnce(context.Background(), port)
	if !errors.Is(err, ErrSAMSelfTest) {
		t.Fatalf("err = %v", err)
	}
}
