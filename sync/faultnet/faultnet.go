// Package faultnet is an in-memory network whose links misbehave on a plan: frames (each Write
// call) are dropped, duplicated, delayed or reordered, a connection is cut after N bytes, and
// the whole network can be partitioned. It gives an httptest server a net.Listener and a
// client a dial function, so the real WebSocket stack runs over it.
package faultnet

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// Errors of the network.
var (
	ErrPartitioned = errors.New("faultnet: network partitioned")
	ErrClosed      = errors.New("faultnet: listener closed")
)

// Plan is the fault schedule of one connection. Probabilities apply to each Write (each
// WebSocket frame, as the WebSocket stack writes a frame per call). The zero Plan is a
// perfect link.
type Plan struct {
	Seed      uint64
	Drop      float64       // the frame vanishes
	Duplicate float64       // the frame arrives twice
	Delay     float64       // the link stalls before this frame (later frames wait too)
	Reorder   float64       // the frame is held back and overtaken by later frames
	MaxDelay  time.Duration // upper bound of a stall or hold-back
	CutAt     int64         // the connection breaks once this many bytes were written (0: never)
	Capacity  int           // bytes buffered toward a reader before its writer blocks (0: 1 MiB)
}

// Network is a set of in-memory connections between one listener and any number of dialers.
type Network struct {
	planFor func(conn int) Plan

	mu          sync.Mutex
	dials       int
	partitioned bool
	conns       map[*Conn]struct{}
	accept      chan *Conn
	done        chan struct{}
	closed      bool
}

// New returns a network; planFor gives the plan of the n-th dialled connection (from 0). A
// nil planFor makes every link perfect.
func New(planFor func(conn int) Plan) *Network {
	if planFor == nil {
		planFor = func(int) Plan { return Plan{} }
	}
	return &Network{planFor: planFor, conns: map[*Conn]struct{}{},
		accept: make(chan *Conn), done: make(chan struct{})}
}

// Dials returns how many connections were dialled.
func (n *Network) Dials() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.dials
}

// Partition cuts the network off (on) or heals it (off). While partitioned, frames on open
// connections are lost silently, as on a dead link, and new dials fail.
func (n *Network) Partition(on bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.partitioned = on
}

func (n *Network) isPartitioned() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.partitioned
}

// CutAll breaks every open connection, as when the hub process dies.
func (n *Network) CutAll() {
	n.mu.Lock()
	list := make([]*Conn, 0, len(n.conns))
	for c := range n.conns {
		list = append(list, c)
	}
	n.mu.Unlock()
	for _, c := range list {
		c.Close()
	}
}

// Dial opens a connection to the listener. Its signature fits websocket.Dialer.NetDialContext
// and http.Transport.DialContext; network and addr are ignored.
func (n *Network) Dial(ctx context.Context, _, _ string) (net.Conn, error) {
	n.mu.Lock()
	if n.partitioned {
		n.mu.Unlock()
		return nil, ErrPartitioned
	}
	i := n.dials
	n.dials++
	n.mu.Unlock()
	plan := n.planFor(i)
	client, server := pair(n, plan, i)
	select {
	case n.accept <- server:
		return client, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("faultnet dial: %w", ctx.Err())
	case <-n.done:
		return nil, fmt.Errorf("faultnet dial: %w", ErrClosed)
	}
}

func (n *Network) track(c *Conn, on bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if on {
		n.conns[c] = struct{}{}
	} else {
		delete(n.conns, c)
	}
}

// Listener returns the network's listener (one per network).
func (n *Network) Listener() net.Listener { return (*listener)(n) }

type listener Network

func (l *listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.accept:
		return c, nil
	case <-l.done:
		return nil, ErrClosed
	}
}

func (l *listener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.closed = true
		close(l.done)
	}
	return nil
}

func (l *listener) Addr() net.Addr { return addr("faultnet:1") }

type addr string

func (a addr) Network() string { return "faultnet" }
func (a addr) String() string  { return string(a) }

// pair makes the two ends of one connection sharing one fault plan.
func pair(n *Network, plan Plan, i int) (*Conn, *Conn) {
	if plan.Capacity <= 0 {
		plan.Capacity = 1 << 20
	}
	l := &link{net: n, plan: plan, rnd: rand.New(rand.NewPCG(plan.Seed, uint64(i)))}
	ab, ba := newHalf(plan.Capacity), newHalf(plan.Capacity)
	a := &Conn{link: l, in: ba, out: ab, local: addr(fmt.Sprintf("client:%d", i)), remote: addr("faultnet:1")}
	b := &Conn{link: l, in: ab, out: ba, local: addr("faultnet:1"), remote: addr(fmt.Sprintf("client:%d", i))}
	a.peer, b.peer = b, a
	l.ends = [2]*Conn{a, b}
	n.track(a, true)
	n.track(b, true)
	return a, b
}
