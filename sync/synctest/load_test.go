package synctest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/protocol"
)

// Figures of TestHubUnderLoad.
const (
	loadStations  = 20  // stations syncing normally
	loadFacts     = 40  // facts each of them records
	loadStrangers = 64  // connections kept open without a valid hello
	loadSlow      = 64  // authenticated devices that pull and never read
	loadRSSLimit  = 160 // MiB: the hub process's resident set must stay under it
)

// TestHubUnderLoad runs the real liaison-hub binary while strangers keep 64 connections open
// without saying hello (half of them never finishing their HTTP request), 64 enrolled devices
// pull the demo street's log and never read it, and a taken kiosk sends invalid facts; 20
// stations meanwhile sync normally. The hub's resident set stays under loadRSSLimit, every
// station's facts reach the log once and every station receives its scope, the attacks are
// refused and counted, a revocation by the command line ends the taken kiosk's session within
// two seconds, and the chain verifies.
func TestHubUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub")
	}
	// Not in parallel: the hub's resident set is measured without other tests' load, and its
	// load would starve the other process tests' stations.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bin, dir, addr := buildHub(t), t.TempDir(), freeAddr(t)
	stations, slow, taken := prepareLoadHub(t, dir)

	hub := startProc(t, exec.Command(bin, "serve", "--listen", addr, "--data", dir))
	waitHealthy(t, addr, hub)
	url := "ws://" + addr + "/sync"
	var rss atomic.Int64
	sample := func() { rss.Store(max(rss.Load(), vmRSS(t, hub.cmd.Process.Pid))) }
	sample()
	base := rss.Load()

	var wg sync.WaitGroup
	var strangers atomic.Int64
	for i := range loadStrangers {
		wg.Go(func() { keepStranger(ctx, addr, i%2 == 0, &strangers) })
	}
	var slowOpen atomic.Int64
	for _, d := range slow {
		wg.Go(func() { slowReader(ctx, t, d, url, &slowOpen) })
	}
	defer wg.Wait()
	defer cancel()
	deadline := time.Now().Add(60 * time.Second)
	for slowOpen.Load() < loadSlow || strangers.Load() < loadStrangers {
		sample()
		if time.Now().After(deadline) {
			t.Fatalf("only %d slow readers and %d strangers connected", slowOpen.Load(), strangers.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The taken kiosk sends facts the hub must refuse, then is revoked from the command line.
	attacked := attackAndRevoke(t, bin, dir, url, taken)

	// Twenty stations record and sync as usual.
	runs := make([]*loadStation, len(stations))
	for i, d := range stations {
		runs[i] = startLoadStation(ctx, d, url)
	}
	for _, r := range runs {
		for n := range loadFacts {
			r.record(n)
		}
	}
	deadline = time.Now().Add(90 * time.Second)
	for !allSynced(runs) {
		sample()
		if time.Now().After(deadline) {
			t.Fatalf("stations did not sync under load: %s", syncReport(runs))
		}
		time.Sleep(20 * time.Millisecond)
	}
	sample()
	if slowOpen.Load() == 0 && strangers.Load() == 0 {
		t.Fatal("the load was gone before the stations synced")
	}
	metrics := scrape(t, addr)
	cancel()
	for _, r := range runs {
		r.stop(t)
	}
	wg.Wait()
	peak := rss.Load()
	t.Logf("hub VmRSS: %d MiB at start, %d MiB peak (limit %d MiB); %s", base>>10, peak>>10, loadRSSLimit, attacked)
	if peak > loadRSSLimit<<10 {
		t.Fatalf("hub VmRSS peaked at %d MiB, over %d MiB", peak>>10, loadRSSLimit)
	}
	for _, name := range []string{"liaison_sync_facts_refused_total", "liaison_sync_facts_quarantined_total"} {
		if !regexp.MustCompile(`(?m)^` + name + `(\{[^}]*\})? [1-9]`).MatchString(metrics) {
			t.Errorf("/metrics does not count %s", name)
		}
	}
	for _, name := range []string{"liaison_sync_disconnected_slow_total", "liaison_hub_pairing_locked_out_total"} {
		if !strings.Contains(metrics, name) {
			t.Errorf("/metrics has no %s", name)
		}
	}
	_ = hub.cmd.Process.Signal(syscall.SIGTERM)
	<-hub.done
	verifyLoadHub(t, dir, runs)
}

// prepareLoadHub creates the hub's database before the server starts: the demo street, one
// station per syncing station, their devices, the slow readers and the taken kiosk (all HX01).
// loadRevoker is the login of the staff member who revokes the taken kiosk.
const loadRevoker = "jishuyuan"

func prepareLoadHub(t *testing.T, dir string) (stations, slow []*testDevice, taken *testDevice) {
	t.Helper()
	ctx := context.Background()
	hs, err := sqlitestore.Open(ctx, dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	if _, err := seed.Load(ctx, hs, seed.DefaultSeed, time.Now()); err != nil {
		t.Fatal(err)
	}
	// the staff member who revokes the taken kiosk (attackAndRevoke)
	acc := console.NewAccounts(hs, console.ArgonParams{Time: 1, Memory: 64, Threads: 1}, time.Now, console.DefaultStaffUnit)
	if _, err := acc.Add(ctx, console.NewUser{Login: loadRevoker, Name: "值班技术员", Role: "staff", Password: "load-test-password"}); err != nil {
		t.Fatal(err)
	}
	for i := range loadStations {
		code := fmt.Sprintf("LD%02d", i+1)
		if _, err := hs.UpsertStation(ctx, domain.Station{Code: code, Name: "负载测试站" + code}, staff); err != nil {
			t.Fatal(err)
		}
		stations = append(stations, enrolKiosk(t, hs, code))
	}
	for range loadSlow {
		slow = append(slow, enrolKiosk(t, hs, seed.StationCode))
	}
	return stations, slow, enrolKiosk(t, hs, seed.StationCode)
}

func waitHealthy(t *testing.T, addr string, p *proc) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-p.done:
			t.Fatal("hub exited on start")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("hub did not come up")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// vmRSS reads a process's resident set in KiB from /proc.
func vmRSS(t *testing.T, pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb
			}
		}
	}
	return 0
}

// keepStranger keeps one connection open that never authenticates: an HTTP request whose
// headers never end (slow), or a WebSocket that never says hello. Whenever the hub closes it,
// it opens the next.
func keepStranger(ctx context.Context, addr string, slowHeaders bool, open *atomic.Int64) {
	counted := false
	for ctx.Err() == nil {
		var conn net.Conn
		if slowHeaders {
			c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
			if err != nil {
				continue
			}
			_, _ = io.WriteString(c, "GET /sync HTTP/1.1\r\nHost: hub\r\nX-Slow: ")
			conn = c
		} else {
			ws, _, err := websocket.DefaultDialer.DialContext(ctx, "ws://"+addr+"/sync", nil)
			if err != nil {
				continue
			}
			conn = ws.UnderlyingConn()
		}
		if !counted {
			open.Add(1)
			counted = true
		}
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		_, _ = io.Copy(io.Discard, conn) // until the hub gives up on it
		stop()
		conn.Close()
	}
}

// slowReader authenticates, asks for the largest page and never reads again.
func slowReader(ctx context.Context, t *testing.T, d *testDevice, url string, open *atomic.Int64) {
	dialer := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4 << 10) // a small window: the hub's writes block soon
		}
		return c, err
	}, Subprotocols: []string{protocol.Subprotocol}}
	ws, _, err := dialer.DialContext(ctx, url, nil)
	if err != nil {
		t.Errorf("slow reader dial: %v", err)
		return
	}
	defer ws.Close()
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	_, b, err := ws.ReadMessage()
	m, derr := protocol.Decode(b)
	ch, ok := m.(*protocol.Challenge)
	if err != nil || derr != nil || !ok {
		t.Errorf("slow reader challenge: %v %v", err, derr)
		return
	}
	hello, _ := protocol.Encode(protocol.SignHello(d.key, ch.Nonce, d.id, "slow"))
	_ = ws.WriteMessage(websocket.TextMessage, hello)
	_, b, err = ws.ReadMessage()
	if err != nil {
		return
	}
	m, derr = protocol.Decode(b)
	w, ok := m.(*protocol.Welcome)
	if derr != nil || !ok {
		t.Errorf("slow reader welcome: %v", derr)
		return
	}
	open.Add(1)
	defer open.Add(-1)
	// Ask for the largest page, twice, and never read again.
	pull, _ := protocol.Encode(&protocol.Pull{Epoch: w.Epoch, After: 0, Limit: protocol.MaxPageEvents})
	for range 2 {
		if ws.WriteMessage(websocket.TextMessage, pull) != nil {
			return
		}
	}
	<-ctx.Done()
}
