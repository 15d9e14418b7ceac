package faultnet

import (
	"container/heap"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"time"
)

// link is what both ends of a connection share: the plan, its random source and the byte count
// toward CutAt.
type link struct {
	net  *Network
	plan Plan
	ends [2]*Conn

	mu      sync.Mutex
	rnd     *rand.Rand
	written int64
	cut     bool
}

// fate decides what happens to a frame of n bytes: how many bytes survive a cut, and the
// faults that apply.
type fate struct {
	keep            int
	drop, dup, cut  bool
	delay, holdBack time.Duration
}

func (l *link) decide(n int) fate {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := fate{keep: n}
	if l.cut {
		f.keep, f.drop = 0, true
		return f
	}
	p := l.plan
	if p.CutAt > 0 && l.written+int64(n) >= p.CutAt {
		f.keep, f.cut = int(max(p.CutAt-l.written, 0)), true
		l.cut = true
	}
	l.written += int64(n)
	if f.cut {
		return f
	}
	roll := func(prob float64) bool { return prob > 0 && l.rnd.Float64() < prob }
	dur := func() time.Duration {
		if p.MaxDelay <= 0 {
			return 0
		}
		return time.Duration(l.rnd.Int64N(int64(p.MaxDelay)) + 1)
	}
	f.drop = roll(p.Drop)
	f.dup = roll(p.Duplicate)
	if roll(p.Delay) {
		f.delay = dur()
	}
	if roll(p.Reorder) {
		f.holdBack = dur()
	}
	return f
}

// Conn is one end of an in-memory connection.
type Conn struct {
	link          *link
	in, out       *half
	peer          *Conn
	local, remote net.Addr
	closeOnce     sync.Once
}

func (c *Conn) Read(p []byte) (int, error) { return c.in.read(p) }

// Write hands the frame to the link's plan; it reports success for dropped frames, as a real
// network would.
func (c *Conn) Write(p []byte) (int, error) {
	if err := c.out.writable(); err != nil {
		return 0, err
	}
	if c.link.net.isPartitioned() {
		return len(p), nil
	}
	f := c.link.decide(len(p))
	if f.cut {
		if f.keep > 0 {
			c.out.schedule(p[:f.keep], 0, 0)
		}
		// The bytes before the cut still arrive; then both directions are dead.
		c.out.flushThenClose()
		c.in.closeRead()
		c.link.net.track(c, false)
		c.link.net.track(c.peer, false)
		return f.keep, io.ErrClosedPipe
	}
	if f.drop {
		return len(p), nil
	}
	if err := c.out.waitRoom(len(p)); err != nil {
		return 0, err
	}
	c.out.schedule(p, f.delay, f.holdBack)
	if f.dup {
		c.out.schedule(p, f.delay, f.holdBack)
	}
	return len(p), nil
}

// Close breaks both directions; the peer reads what was already delivered, then EOF.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		c.in.closeRead() // the peer's writes now fail
		c.out.flushThenClose()
		c.link.net.track(c, false)
	})
	return nil
}

func (c *Conn) LocalAddr() net.Addr  { return c.local }
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

func (c *Conn) SetDeadline(t time.Time) error {
	c.in.setDeadline(t, true)
	c.out.setDeadline(t, false)
	return nil
}
func (c *Conn) SetReadDeadline(t time.Time) error  { c.in.setDeadline(t, true); return nil }
func (c *Conn) SetWriteDeadline(t time.Time) error { c.out.setDeadline(t, false); return nil }

// half is one direction: frames scheduled for delivery, then bytes readable by the reader.
type half struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every change
	buf      []byte
	capacity int
	closed   bool // no more data will come: EOF after buf
	rdl, wdl time.Time

	pending  frameHeap
	seq      int64
	inOrder  time.Time // release time of the last in-order frame
	timer    *time.Timer
	closeDue bool // close once pending frames are delivered
}

func newHalf(capacity int) *half {
	return &half{changed: make(chan struct{}), capacity: capacity}
}

func (h *half) signal() {
	close(h.changed)
	h.changed = make(chan struct{})
}

func (h *half) setDeadline(t time.Time, read bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if read {
		h.rdl = t
	} else {
		h.wdl = t
	}
	h.signal()
}

// wait blocks until the half changes or the deadline passes.
func (h *half) wait(deadline time.Time) error {
	ch := h.changed
	h.mu.Unlock()
	defer h.mu.Lock()
	if deadline.IsZero() {
		<-ch
		return nil
	}
	d := time.Until(deadline)
	if d <= 0 {
		return os.ErrDeadlineExceeded
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
		return nil
	case <-t.C:
		return os.ErrDeadlineExceeded
	}
}

func (h *half) read(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		if len(h.buf) > 0 {
			n := copy(p, h.buf)
			h.buf = h.buf[n:]
			h.signal()
			return n, nil
		}
		if h.closed {
			return 0, io.EOF
		}
		if !h.rdl.IsZero() && !time.Now().Before(h.rdl) {
			return 0, os.ErrDeadlineExceeded
		}
		if err := h.wait(h.rdl); err != nil {
			return 0, err
		}
	}
}

func (h *half) writable() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || h.closeDue {
		return net.ErrClosed
	}
	return nil
}

// waitRoom blocks the writer while the reader is more than capacity behind.
func (h *half) waitRoom(n int) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.buf) > 0 && len(h.buf)+n > h.capacity {
		if h.closed {
			return net.ErrClosed
		}
		if !h.wdl.IsZero() && !time.Now().Before(h.wdl) {
			return os.ErrDeadlineExceeded
		}
		if err := h.wait(h.wdl); err != nil {
			return err
		}
	}
	return nil
}

// schedule queues a copy of p. A delay stalls this frame and every later in-order frame; a
// hold-back delays only this frame, so later ones overtake it.
func (h *half) schedule(p []byte, delay, holdBack time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	now := time.Now()
	at := now
	if holdBack > 0 {
		at = now.Add(holdBack)
	} else {
		at = maxTime(now.Add(delay), h.inOrder)
		h.inOrder = at
	}
	h.seq++
	heap.Push(&h.pending, frame{at: at, seq: h.seq, data: append([]byte(nil), p...)})
	h.deliverLocked()
}

// deliverLocked moves due frames to the buffer and arms the timer for the next one.
func (h *half) deliverLocked() {
	now := time.Now()
	moved := false
	for h.pending.Len() > 0 && !h.pending[0].at.After(now) {
		f := heap.Pop(&h.pending).(frame)
		h.buf = append(h.buf, f.data...)
		moved = true
	}
	if h.pending.Len() == 0 && h.closeDue {
		h.closed = true
		moved = true
	}
	if moved {
		h.signal()
	}
	if h.pending.Len() > 0 {
		d := time.Until(h.pending[0].at)
		if h.timer == nil {
			h.timer = time.AfterFunc(d, h.onTimer)
		} else {
			h.timer.Reset(d)
		}
	}
}

func (h *half) onTimer() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.deliverLocked()
}

// flushThenClose ends the direction once frames already in flight have arrived.
func (h *half) flushThenClose() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closeDue = true
	h.deliverLocked()
}

// closeRead ends the direction now, dropping frames still in flight.
func (h *half) closeRead() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed, h.closeDue = true, true
	h.pending = nil
	if h.timer != nil {
		h.timer.Stop()
	}
	h.signal()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

type frame struct {
	at   time.Time
	seq  int64
	data []byte
}

type frameHeap []frame

func (f frameHeap) Len() int { return len(f) }
func (f frameHeap) Less(i, j int) bool {
	if f[i].at.Equal(f[j].at) {
		return f[i].seq < f[j].seq
	}
	return f[i].at.Before(f[j].at)
}
func (f frameHeap) Swap(i, j int) { f[i], f[j] = f[j], f[i] }
func (f *frameHeap) Push(x any)   { *f = append(*f, x.(frame)) }
func (f *frameHeap) Pop() any {
	old := *f
	n := len(old)
	x := old[n-1]
	*f = old[:n-1]
	return x
}
