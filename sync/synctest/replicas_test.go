package synctest

import (
	"context"
	"io"
	"net"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/pgdb/pgtest"
)

// balancer is the one address in front of the hub replicas, as a TCP load balancer with
// health checks is: it sends each new connection to the first replica that accepts one.
type balancer struct {
	ln       net.Listener
	backends []string
	conns    atomic.Int64
}

func startBalancer(t *testing.T, backends ...string) *balancer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &balancer{ln: ln, backends: backends}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go b.serve(c)
		}
	}()
	return b
}

func (b *balancer) serve(c net.Conn) {
	defer c.Close()
	for _, addr := range b.backends {
		up, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			continue
		}
		defer up.Close()
		b.conns.Add(1)
		done := make(chan struct{}, 2)
		go func() { io.Copy(up, c); done <- struct{}{} }()
		go func() { io.Copy(c, up); done <- struct{}{} }()
		<-done
		return
	}
}

// received counts the facts of device in a station's received log.
func received(st *MemStation, device string) int {
	n := 0
	for _, e := range st.Remote() {
		if e.Device == device {
			n++
		}
	}
	return n
}

// TestReplicasShareStations runs two liaison-hub processes on one PostgreSQL database behind
// one address. A station connected (through the balancer) to replica A and one connected to
// replica B see each other's facts at once; replica A is then killed with SIGKILL, its
// station moves through the same address to B, and records more: every fact lands in the log
// once, both stations receive the whole scope, and the chain verifies.
func TestReplicasShareStations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub")
	}
	dsn := pgtest.NewDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs, err := sqlitestore.OpenPostgres(ctx, dsn, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hs.UpsertStation(ctx, domain.Station{Code: "HX01", Name: "测试联络站"}, staff); err != nil {
		t.Fatal(err)
	}
	one, two := enrolKiosk(t, hs, "HX01"), enrolKiosk(t, hs, "HX01")
	hs.Close()

	bin := buildHub(t)
	addrA, addrB := freeAddr(t), freeAddr(t)
	a := startProc(t, exec.Command(bin, "serve", "--listen", addrA, "--data", t.TempDir(), "--db", dsn))
	b := startProc(t, exec.Command(bin, "serve", "--listen", addrB, "--data", t.TempDir(), "--db", dsn))
	waitHealthy(t, addrA, a)
	waitHealthy(t, addrB, b)
	lb := startBalancer(t, addrA, addrB)

	first := startLoadStation(ctx, one, "ws://"+lb.ln.Addr().String()+"/sync") // lands on A
	second := startLoadStation(ctx, two, "ws://"+addrB+"/sync")
	const half = 15
	wait := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %s", what, syncReport([]*loadStation{first, second}))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	start := time.Now()
	for n := range half {
		first.record(n)
	}
	wait("the station on replica B receives the facts sent to A", func() bool {
		return received(second.st, one.id) == half
	})
	t.Logf("%d facts through replica A reached the station on replica B in %v", half, time.Since(start).Round(time.Millisecond))

	a.kill()
	for n := half; n < 2*half; n++ {
		first.record(n)
	}
	for n := range half {
		second.record(n)
	}
	wait("both stations receive the whole scope once A is gone", func() bool {
		return first.st.Uploaded() == 2*half && second.st.Uploaded() == half &&
			received(first.st, one.id) == 2*half && received(first.st, two.id) == half &&
			received(second.st, one.id) == 2*half && received(second.st, two.id) == half
	})
	cancel()
	first.stop(t)
	second.stop(t)
	b.kill()

	hs, err = sqlitestore.OpenPostgres(context.Background(), dsn, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	if err := hs.VerifyChain(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*testDevice{one, two} {
		want := int64(2 * half)
		if d == two {
			want = half
		}
		if n, err := hs.LastDevSeq(context.Background(), d.id); err != nil || n != want {
			t.Errorf("device %s: last applied %d, want %d (%v)", d.code, n, want, err)
		}
	}
	if lb.conns.Load() < 2 {
		t.Errorf("the station connected %d times through the balancer; it should have moved to B", lb.conns.Load())
	}
}
