package synctest

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
	"liaison/sync/hub/wsserver"
	"liaison/sync/protocol"
)

// rawSession is one WebSocket of a test device speaking the protocol by hand, so the test
// controls exactly when it connects, says hello, drops and reconnects.
type rawSession struct {
	t  testing.TB
	ws *websocket.Conn
}

func dialRaw(t testing.TB, url string) *rawSession {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{protocol.Subprotocol}, HandshakeTimeout: 10 * time.Second}
	ws, resp, err := d.Dial(url, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	ws.SetReadLimit(protocol.MaxFrameBytes)
	return &rawSession{t: t, ws: ws}
}

// next reads one message; a close frame is returned as its code.
func (r *rawSession) next() (protocol.Message, protocol.CloseCode) {
	r.t.Helper()
	_ = r.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, b, err := r.ws.ReadMessage()
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return nil, protocol.CloseCode(ce.Code)
	}
	if err != nil {
		r.t.Fatalf("read: %v", err)
	}
	m, err := protocol.Decode(b)
	if err != nil {
		r.t.Fatalf("decode: %v", err)
	}
	return m, 0
}

func (r *rawSession) expect(typ string) protocol.Message {
	r.t.Helper()
	m, code := r.next()
	if code != 0 {
		r.t.Fatalf("a legitimate session was closed with %d (%s) waiting for %s", code, code, typ)
	}
	if m.Type() != typ {
		r.t.Fatalf("got %s (%+v), want %s", m.Type(), m, typ)
	}
	return m
}

func (r *rawSession) send(m protocol.Message) {
	r.t.Helper()
	b, err := protocol.Encode(m)
	if err != nil {
		r.t.Fatal(err)
	}
	_ = r.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := r.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		r.t.Fatalf("write %s: %v", m.Type(), err)
	}
}

// testDevice is an enrolled kiosk with its key and the next fact it records.
type testDevice struct {
	id, station, code string
	key               ed25519.PrivateKey
	next              int64
}

func enrolKiosk(t testing.TB, hs *sqlitestore.Store, station string) *testDevice {
	t.Helper()
	ctx := context.Background()
	pub, key := newKey(t)
	pc, err := hs.CreatePairingCode(ctx, station, store.RoleKiosk, "测试终端")
	if err != nil {
		t.Fatal(err)
	}
	d, err := hs.Pair(ctx, pc.Code, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	return &testDevice{id: d.ID, station: station, code: d.Code, key: key}
}

// fact is the device's submission with sequence n: valid in every respect.
func (d *testDevice) fact(n int64) domain.Event {
	now := time.Now().UTC()
	data, _ := json.Marshal(domain.CaseSubmitted{
		Number: domain.CaseNumber(d.station, d.code, now.In(domain.DefaultRules().Location), int(n)),
		Token:  domain.NewToken(), Category: "road", Text: fmt.Sprintf("测试诉求 %d", n),
		ResidentID: testResident, SurnameMask: "张*"})
	return domain.Event{ID: domain.NewEventID(), Device: d.id, DevSeq: n, Station: d.station,
		Stream: caseIDOf(fmt.Sprintf("%s-%d", d.id, n)), Kind: domain.KindCaseSubmitted, At: now,
		Actor: domain.Actor{Role: domain.RoleResident, ID: testResident, Name: "张*"}, Data: data}
}

// login opens a session up to the welcome.
func (d *testDevice) login(t testing.TB, url string) *rawSession {
	t.Helper()
	r := dialRaw(t, url)
	ch := r.expect(protocol.TypeChallenge).(*protocol.Challenge)
	r.send(protocol.SignHello(d.key, ch.Nonce, d.id, "test"))
	w := r.expect(protocol.TypeWelcome).(*protocol.Welcome)
	d.next = w.LastDevSeq + 1
	return r
}

// uploadOne uploads the device's next fact and waits for its ack.
func (d *testDevice) uploadOne(r *rawSession) {
	r.t.Helper()
	r.send(&protocol.Upload{Batch: d.next, Facts: []domain.Event{d.fact(d.next)}})
	a := r.expect(protocol.TypeAck).(*protocol.Ack)
	if a.LastDevSeq != d.next || a.Applied+a.Duplicates != 1 {
		r.t.Fatalf("ack %+v for fact %d", a, d.next)
	}
	d.next++
}

// A legitimate station that connects, drops and reconnects at once, opens its next connection
// before the last one is gone, or races its own earlier connection through the hello, thousands
// of times, is never closed with an error code on the connection it is using; every fact
// reaches the log once and the chain verifies.
//
// It runs alone (not in parallel): it is the package's heaviest test and would starve the
// process tests' stations of time.
func TestQuickReconnectsNeverCloseALegitimateSession(t *testing.T) {
	ctx := context.Background()
	hs := realHub(t, t.TempDir(), "HX01")
	reg := prometheus.NewRegistry()
	m, err := wsserver.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	srv := wsserver.New(hs, wsserver.Config{Metrics: m}, nil)
	web := httptest.NewServer(srv)
	defer web.Close()
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(web.URL, "http")
	// Eight kiosks storm at once (their uploads share commits, and their sessions race in the
	// hub's registry), 200 rounds each: 2,400 connections (1,200 under the race detector).
	const devices = 8
	rounds := 200
	if raceDetector {
		rounds = 100
	}
	var replaced atomic.Int64
	kiosks := make([]*testDevice, devices)
	for k := range kiosks {
		kiosks[k] = enrolKiosk(t, hs, "HX01")
	}
	t.Run("storm", func(t *testing.T) {
		for k, d := range kiosks {
			t.Run(fmt.Sprint(k), func(t *testing.T) {
				t.Parallel()
				replaced.Add(int64(reconnectStorm(t, d, url, rounds)))
			})
		}
	})
	if t.Failed() {
		return
	}
	want := int64(rounds + rounds/4) // the overlapping round uploads twice
	seen := map[string]map[int64]int{}
	for after := int64(0); ; {
		evs, err := hs.EventsAfter(ctx, "HX01", after, protocol.MaxPageEvents)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			if seen[e.Device] == nil {
				seen[e.Device] = map[int64]int{}
			}
			seen[e.Device][e.DevSeq]++
			after = e.HubSeq
		}
	}
	for _, d := range kiosks {
		if last, _ := hs.LastDevSeq(ctx, d.id); last != want {
			t.Fatalf("hub holds %d facts of %s, want %d", last, d.id, want)
		}
		for n := int64(1); n <= want; n++ {
			if seen[d.id][n] != 1 {
				t.Fatalf("fact %d of %s is in the log %d times", n, d.id, seen[d.id][n])
			}
		}
	}
	if err := hs.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
	// Only sessions the devices had abandoned were closed, all with 4013 (a dropped link the
	// hub had not noticed yet is among them); nothing else, never a slow-consumer or protocol
	// close.
	closes := closesByCode(t, reg)
	for code, n := range closes {
		if code != "4013" && n > 0 {
			t.Errorf("the hub closed %v sessions with %s", n, code)
		}
	}
	if int64(closes["4013"]) < replaced.Load() {
		t.Errorf("%v replaced closes, fewer than the %d abandoned sessions", closes["4013"], replaced.Load())
	}
}

// reconnectStorm runs rounds of a device's connection patterns and returns how many sessions
// it abandoned to a newer one.
func reconnectStorm(t *testing.T, d *testDevice, url string, rounds int) (replaced int) {
	for i := range rounds {
		switch i % 4 {
		case 0: // connect, upload, close cleanly, reconnect at once
			r := d.login(t, url)
			d.uploadOne(r)
			_ = r.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			r.ws.Close()
		case 1: // the link drops without a close frame; the device reconnects at once
			r := d.login(t, url)
			d.uploadOne(r)
			r.ws.UnderlyingConn().Close()
		case 2: // the next connection opens while the last is still up: the last is replaced
			old := d.login(t, url)
			d.uploadOne(old)
			r := d.login(t, url)
			if _, code := old.next(); code != protocol.CloseReplaced {
				t.Fatalf("round %d: the abandoned session ended with %d, want 4013", i, code)
			}
			replaced++
			d.uploadOne(r)
			r.ws.Close()
			old.ws.Close()
		case 3: // an earlier attempt finishes its hello after the newer one: the newer stays
			late := dialRaw(t, url)
			lateCh := late.expect(protocol.TypeChallenge).(*protocol.Challenge)
			r := d.login(t, url)
			late.send(protocol.SignHello(d.key, lateCh.Nonce, d.id, "test"))
			if _, code := late.next(); code != protocol.CloseReplaced {
				t.Fatalf("round %d: the late attempt ended with %d, want 4013", i, code)
			}
			replaced++
			d.uploadOne(r)
			r.ws.Close()
			late.ws.Close()
		}
	}
	return replaced
}

// closesByCode reads liaison_sync_closes_total by code.
func closesByCode(t testing.TB, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "liaison_sync_closes_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "code" {
					out[l.GetValue()] = m.GetCounter().GetValue()
				}
			}
		}
	}
	return out
}
