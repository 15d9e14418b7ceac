package synctest

import (
	"context"
	"fmt"
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
// health checks is: it hands new connections to the replicas in turn, skipping one that
// does not accept.
type balancer struct {
	ln       net.Listener
	backends []string
	next     atomic.Int64
	conns    []atomic.Int64 // connections handed to each backend
}

func startBalancer(t *testing.T, backends ...string) *balancer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &balancer{ln: ln, backends: backends, conns: make([]atomic.Int64, len(backends))}
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
	first := int(b.next.Add(1))
	for i := range b.backends {
		k := (first + i) % len(b.backends)
		up, err := net.DialTimeout("tcp", b.backends[k], time.Second)
		if err != nil {
			continue
		}
		defer up.Close()
		b.conns[k].Add(1)
		done := make(chan struct{}, 2)
		go func() { io.Copy(up, c); done <- struct{}{} }()
		go func() { io.Copy(c, up); done <- struct{}{} }()
		<-done
		return
	}
}

// received counts the facts of each device in a station's received log.
func received(st *MemStation) map[string]int {
	n := map[string]int{}
	for _, e := range st.Remote() {
		if e.Kind == domain.KindCaseSubmitted {
			n[e.Device]++
		}
	}
	return n
}

// Figures of TestReplicasShareStations.
const (
	replicaStations = 5  // station codes
	replicaKiosks   = 10 // kiosks of each, syncing through the balancer
	replicaFacts    = 10 // facts each kiosk records, half before replica A is killed
)

// TestReplicasShareStations runs two liaison-hub processes on one PostgreSQL database behind
// one address (a balancer handing connections to each in turn). Fifty kiosks of five stations
// sync through it, so kiosks of one station sit on different replicas and must receive each
// other's facts from across them. Halfway, replica A is killed with SIGKILL while the kiosks
// keep recording; its kiosks reconnect through the same address to B. At the end every fact is
// in the log once, every kiosk holds every fact of its station, and the chain verifies.
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
	var devices []*testDevice
	for i := range replicaStations {
		code := fmt.Sprintf("RP%02d", i+1)
		if _, err := hs.UpsertStation(ctx, domain.Station{Code: code, Name: "测试联络站" + code}, staff); err != nil {
			t.Fatal(err)
		}
		for range replicaKiosks {
			devices = append(devices, enrolKiosk(t, hs, code))
		}
	}
	hs.Close()

	bin := buildHub(t)
	addrA, addrB := freeAddr(t), freeAddr(t)
	a := startProc(t, exec.Command(bin, "serve", "--listen", addrA, "--data", t.TempDir(), "--db", dsn))
	b := startProc(t, exec.Command(bin, "serve", "--listen", addrB, "--data", t.TempDir(), "--db", dsn))
	waitHealthy(t, addrA, a)
	waitHealthy(t, addrB, b)
	lb := startBalancer(t, addrA, addrB)
	url := "ws://" + lb.ln.Addr().String() + "/sync"
	runs := make([]*loadStation, len(devices))
	for i, d := range devices {
		runs[i] = startLoadStation(ctx, d, url)
	}
	// converged: every kiosk uploaded its first n facts and holds its station's, n of each.
	converged := func(n int) bool {
		for _, r := range runs {
			if r.st.Uploaded() != int64(n) {
				return false
			}
			got := received(r.st)
			for _, d := range devices {
				if d.station == r.d.station && got[d.id] != n {
					return false
				}
			}
		}
		return true
	}
	wait := func(what string, n int) {
		t.Helper()
		deadline := time.Now().Add(90 * time.Second)
		for !converged(n) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %s", what, syncReport(runs))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	const half = replicaFacts / 2
	start := time.Now()
	for n := range half {
		for _, r := range runs {
			r.record(n)
		}
	}
	wait("the kiosks converge across both replicas", half)
	t.Logf("%d kiosks on replicas A (%d connections) and B (%d): %d facts each, converged in %v",
		len(runs), lb.conns[0].Load(), lb.conns[1].Load(), half, time.Since(start).Round(time.Millisecond))
	if lb.conns[0].Load() == 0 || lb.conns[1].Load() == 0 {
		t.Fatal("the balancer did not use both replicas")
	}

	onA := lb.conns[0].Load()
	go func() {
		for n := half; n < replicaFacts; n++ {
			for _, r := range runs {
				r.record(n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	a.kill()
	start = time.Now()
	wait("the kiosks converge on replica B once A is gone", replicaFacts)
	t.Logf("after replica A was killed, all converged on B in %v (%d reconnections)",
		time.Since(start).Round(time.Millisecond), lb.conns[1].Load()-(int64(len(runs))-onA))
	cancel()
	for _, r := range runs {
		r.stop(t)
	}
	b.kill()

	hs, err = sqlitestore.OpenPostgres(context.Background(), dsn, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	if err := hs.VerifyChain(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, d := range devices {
		if n, err := hs.LastDevSeq(context.Background(), d.id); err != nil || n != replicaFacts {
			t.Errorf("device %s of %s: last applied %d, want %d (%v)", d.code, d.station, n, replicaFacts, err)
		}
	}
	facts := map[string]int{}
	for i := range replicaStations {
		evs, err := hs.EventsAfter(context.Background(), fmt.Sprintf("RP%02d", i+1), 0, 10*replicaKiosks*replicaFacts)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Kind == domain.KindCaseSubmitted {
				facts[e.Device]++
			}
		}
	}
	for _, d := range devices {
		if facts[d.id] != replicaFacts {
			t.Errorf("device %s of %s: %d facts in the log, want %d", d.code, d.station, facts[d.id], replicaFacts)
		}
	}
}
