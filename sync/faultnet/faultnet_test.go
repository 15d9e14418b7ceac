package faultnet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// dialPair returns both ends of one connection of n.
func dialPair(t *testing.T, n *Network) (client, server net.Conn) {
	t.Helper()
	l := n.Listener()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			accepted <- c
		}
		close(accepted)
	}()
	c, err := n.Dial(context.Background(), "tcp", "x")
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	s, ok := <-accepted
	if !ok {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { c.Close(); s.Close() })
	return c, s
}

// readAll reads until EOF or the deadline.
func readFor(t *testing.T, c net.Conn, d time.Duration) []byte {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(d))
	var out []byte
	buf := make([]byte, 64)
	for {
		n, err := c.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, os.ErrDeadlineExceeded) {
				return out
			}
			t.Fatalf("read: %v", err)
		}
	}
}

func TestPlans(t *testing.T) {
	t.Parallel()
	frames := [][]byte{[]byte("aa"), []byte("bb"), []byte("cc"), []byte("dd")}
	cases := []struct {
		name  string
		plan  Plan
		close bool // writer closes after writing, so the reader sees EOF
		check func(t *testing.T, got []byte)
	}{
		{"perfect", Plan{}, true, func(t *testing.T, got []byte) {
			if string(got) != "aabbccdd" {
				t.Fatalf("got %q", got)
			}
		}},
		{"drop all", Plan{Drop: 1}, true, func(t *testing.T, got []byte) {
			if len(got) != 0 {
				t.Fatalf("got %q, want nothing", got)
			}
		}},
		{"duplicate all", Plan{Duplicate: 1}, true, func(t *testing.T, got []byte) {
			if string(got) != "aaaabbbbccccdddd" {
				t.Fatalf("got %q", got)
			}
		}},
		{"delay keeps order", Plan{Delay: 1, MaxDelay: 5 * time.Millisecond}, true, func(t *testing.T, got []byte) {
			if string(got) != "aabbccdd" {
				t.Fatalf("got %q", got)
			}
		}},
		{"cut at byte 5", Plan{CutAt: 5}, false, func(t *testing.T, got []byte) {
			if string(got) != "aabbc" {
				t.Fatalf("got %q, want the first 5 bytes", got)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := New(func(int) Plan { return tc.plan })
			c, s := dialPair(t, n)
			for _, f := range frames {
				if _, err := c.Write(f); err != nil {
					break
				}
			}
			if tc.close {
				c.Close()
			}
			tc.check(t, readFor(t, s, 2*time.Second))
		})
	}
}

func TestReorderLetsLaterFramesOvertake(t *testing.T) {
	t.Parallel()
	n := New(func(int) Plan { return Plan{Reorder: 1, MaxDelay: 50 * time.Millisecond, Seed: 1} })
	c, s := dialPair(t, n)
	// Hold back only the first frame: switch the plan's probability off after it.
	if _, err := c.Write([]byte("1")); err != nil {
		t.Fatal(err)
	}
	c.(*Conn).link.mu.Lock()
	c.(*Conn).link.plan.Reorder = 0
	c.(*Conn).link.mu.Unlock()
	if _, err := c.Write([]byte("2")); err != nil {
		t.Fatal(err)
	}
	c.Close()
	got := readFor(t, s, 2*time.Second)
	if string(got) != "21" {
		t.Fatalf("got %q, want the held-back frame last", got)
	}
}

func TestPartition(t *testing.T) {
	t.Parallel()
	n := New(nil)
	c, s := dialPair(t, n)
	n.Partition(true)
	if _, err := n.Dial(context.Background(), "tcp", "x"); !errors.Is(err, ErrPartitioned) {
		t.Fatalf("dial while partitioned: %v", err)
	}
	if _, err := c.Write([]byte("lost")); err != nil {
		t.Fatalf("write while partitioned: %v", err)
	}
	n.Partition(false)
	if _, err := c.Write([]byte("ok")); err != nil {
		t.Fatal(err)
	}
	if got := readFor(t, s, 100*time.Millisecond); string(got) != "ok" {
		t.Fatalf("got %q, want only what was sent after healing", got)
	}
}

func TestWriterBlocksWhenReaderLags(t *testing.T) {
	t.Parallel()
	n := New(func(int) Plan { return Plan{Capacity: 8} })
	c, _ := dialPair(t, n)
	if _, err := c.Write(bytes.Repeat([]byte("x"), 8)); err != nil {
		t.Fatal(err)
	}
	_ = c.SetWriteDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := c.Write([]byte("y")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("got %v, want the write to time out", err)
	}
}

func TestCloseUnblocksReader(t *testing.T) {
	t.Parallel()
	n := New(nil)
	c, s := dialPair(t, n)
	done := make(chan error, 1)
	go func() {
		_, err := s.Read(make([]byte, 1))
		done <- err
	}()
	c.Close()
	select {
	case err := <-done:
		if !errors.Is(err, io.EOF) {
			t.Fatalf("got %v, want EOF", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reader still blocked after close")
	}
	if _, err := s.Write([]byte("x")); err == nil {
		t.Fatal("write to a closed peer succeeded")
	}
}
