package wsserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"liaison/sync/domain"
	"liaison/sync/faultnet"
	"liaison/sync/hub/wsserver"
	"liaison/sync/protocol"
)

// Before its hello is verified a connection may send one small frame: anything bigger is
// refused with 1009 before the hub reads it.
func TestStrangerReadLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{})
	d := f.dial(t, nil)
	d.expect(protocol.TypeChallenge)
	big := `{"t":"hello","d":{"v":1,"device":"k1","app_version":"` + strings.Repeat("x", protocol.MaxHelloBytes) + `"}}`
	if err := d.ws.WriteMessage(websocket.TextMessage, []byte(big)); err != nil {
		t.Fatal(err)
	}
	d.expectClose(protocol.CloseTooBig)
	// A real hello still fits, and after it the session takes full-sized frames.
	good, _ := f.login(t, "k1")
	good.send(&protocol.Heartbeat{SentAt: time.Now().UTC(), Health: protocol.Health{Version: strings.Repeat("v", 1000)}})
	good.expect(protocol.TypeBeat)
}

// Connections that have not said hello are bounded: beyond MaxPending the hub answers 503
// before the upgrade, and takes new ones again once a stranger has gone.
func TestPendingConnectionsAreBounded(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := wsserver.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, wsserver.Config{MaxPending: 2, Metrics: m})
	a, b := f.dial(t, nil), f.dial(t, nil)
	a.expect(protocol.TypeChallenge)
	b.expect(protocol.TypeChallenge)
	_, resp, err := f.dialer.Dial(f.url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third stranger: %v, %v", resp, err)
	}
	a.ws.Close()
	waitFor(t, func() bool {
		ws, _, err := f.dialer.Dial(f.url, nil)
		if err == nil {
			ws.Close()
		}
		return err == nil
	})
	if n := counter(t, reg, "liaison_sync_pending_refused_total"); n < 1 {
		t.Fatalf("pending refusals counted %v", n)
	}
}

// A page holds at most protocol.MaxPageBytes of events whatever they hold; the device still
// receives every event once by pulling on.
func TestPagesAreBoundedInBytes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{})
	big := json.RawMessage(`"` + strings.Repeat("x", 60<<10) + `"`)
	const n = 100
	for i := range n {
		f.hub.AppendHub(domain.Event{ID: fmt.Sprintf("b%d", i), Station: "HX01", Kind: domain.KindCaseProgress, Data: big})
	}
	d, _ := f.login(t, "k1")
	got, after, pages := 0, int64(0), 0
	for {
		d.send(&protocol.Pull{Epoch: "epoch-1", After: after, Limit: protocol.MaxPageEvents})
		p := d.expect(protocol.TypeEvents).(*protocol.Events)
		size := 0
		for i := range p.Events {
			size += protocol.EventSize(&p.Events[i])
		}
		if size > protocol.MaxPageBytes+protocol.EventSize(&p.Events[0]) {
			t.Fatalf("page of %d bytes", size)
		}
		got, after, pages = got+len(p.Events), p.Upto, pages+1
		if !p.More {
			break
		}
	}
	if got != n || pages < 5 {
		t.Fatalf("%d events in %d pages", got, pages)
	}
}

// A device that stops reading is closed with 4008 once its queue holds more bytes than the
// bound, and is counted as disconnected-slow; the others are still served.
func TestSlowConsumerIsCountedByBytes(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := wsserver.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	// A small link buffer: the hub's writes block as soon as the device stops reading.
	nw := faultnet.New(func(int) faultnet.Plan { return faultnet.Plan{Capacity: 64 << 10} })
	f := newFixtureOn(t, wsserver.Config{SendQueueBytes: 64 << 10, WriteTimeout: time.Minute, Metrics: m}, nw)
	d, _ := f.login(t, "k1")
	// The device sends heartbeats and never reads the answers: they pile up in its queue
	// behind the socket buffers until the queue's bytes run out.
	hb, _ := protocol.Encode(&protocol.Heartbeat{SentAt: time.Now().UTC(),
		Health: protocol.Health{Reader: strings.Repeat("r", 900)}})
	for i := 0; i < 200000 && f.srv.Connected() > 0; i++ {
		_ = d.ws.SetWriteDeadline(time.Now().Add(time.Second))
		if d.ws.WriteMessage(websocket.TextMessage, hb) != nil {
			break
		}
	}
	waitFor(t, func() bool { return f.srv.Connected() == 0 })
	if n := counter(t, reg, "liaison_sync_disconnected_slow_total"); n != 1 {
		t.Fatalf("disconnected slow %v, want 1", n)
	}
	if got := closes(t, reg, protocol.CloseSlowConsumer); got != 1 {
		t.Fatalf("4008 closes %v", got)
	}
	d2, _ := f.login(t, "k2")
	d2.send(&protocol.Heartbeat{SentAt: time.Now().UTC()})
	d2.expect(protocol.TypeBeat)
}

// Revoking a device ends its live session at once with 4004; the revoked device cannot open
// another.
func TestRevokeEndsLiveSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{})
	d, _ := f.login(t, "k1")
	other, _ := f.login(t, "k2")
	f.hub.Revoke("k1")
	start := time.Now()
	if n := f.srv.RevokeAll([]string{"k1", "gone"}); n != 1 {
		t.Fatalf("revoked %d live sessions, want 1", n)
	}
	d.expectClose(protocol.CloseRevoked)
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("session ended after %v", el)
	}
	again := f.dial(t, nil)
	ch := again.expect(protocol.TypeChallenge).(*protocol.Challenge)
	again.send(protocol.SignHello(f.keys["k1"], ch.Nonce, "k1", "test"))
	again.expectClose(protocol.CloseRevoked)
	other.send(&protocol.Heartbeat{SentAt: time.Now().UTC()})
	other.expect(protocol.TypeBeat)
}

// counter reads a counter without labels from the registry.
func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) > 0 {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}
