package wsserver_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"liaison/sync/domain"
	"liaison/sync/faultnet"
	"liaison/sync/hub/wsserver"
	"liaison/sync/protocol"
	"liaison/sync/synctest"
)

type fixture struct {
	hub  *synctest.MemHub
	srv  *wsserver.Server
	url  string
	keys map[string]ed25519.PrivateKey
	// dialer reaches the hub (over faultnet when the fixture runs on one).
	dialer *websocket.Dialer
}

func newFixture(t *testing.T, cfg wsserver.Config) *fixture {
	t.Helper()
	return newFixtureOn(t, cfg, nil)
}

// newFixtureOn serves over nw when given (the dialer then uses it), else over TCP.
func newFixtureOn(t *testing.T, cfg wsserver.Config, nw *faultnet.Network) *fixture {
	t.Helper()
	f := &fixture{hub: synctest.NewMemHub("epoch-1"), keys: map[string]ed25519.PrivateKey{}}
	for _, d := range []struct{ id, station string }{{"k1", "HX01"}, {"k2", "HX01"}, {"w1", "HX02"}, {"gone", "HX01"}} {
		pub, key, _ := ed25519.GenerateKey(nil)
		f.hub.Enroll(d.id, d.station, pub)
		f.keys[d.id] = key
	}
	f.hub.Revoke("gone")
	f.srv = wsserver.New(f.hub, cfg, nil)
	hs := httptest.NewUnstartedServer(f.srv)
	f.dialer = websocket.DefaultDialer
	if nw != nil {
		hs.Listener = nw.Listener()
		f.dialer = &websocket.Dialer{NetDialContext: nw.Dial}
	}
	hs.Start()
	t.Cleanup(func() { f.srv.Close(); hs.Close() })
	f.url = "ws" + strings.TrimPrefix(hs.URL, "http")
	return f
}

// device is a raw protocol speaker, so tests can send what a real client never would.
type device struct {
	t  *testing.T
	ws *websocket.Conn
}

func (f *fixture) dial(t *testing.T, hdr http.Header) *device {
	t.Helper()
	ws, _, err := f.dialer.Dial(f.url, hdr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { ws.Close() })
	return &device{t: t, ws: ws}
}

func (d *device) send(m protocol.Message) {
	d.t.Helper()
	b, err := protocol.Encode(m)
	if err != nil {
		d.t.Fatal(err)
	}
	if err := d.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		d.t.Fatalf("send %s: %v", m.Type(), err)
	}
}

// recv reads the next message, or returns the close error.
func (d *device) recv() (protocol.Message, error) {
	_ = d.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := d.ws.ReadMessage()
	if err != nil {
		return nil, err
	}
	return protocol.Decode(b)
}

func (d *device) expect(typ string) protocol.Message {
	d.t.Helper()
	m, err := d.recv()
	if err != nil {
		d.t.Fatalf("want %s, got %v", typ, err)
	}
	if m.Type() != typ {
		d.t.Fatalf("want %s, got %s %+v", typ, m.Type(), m)
	}
	return m
}

// expectClose reads until the hub closes and checks the code.
func (d *device) expectClose(code protocol.CloseCode) {
	d.t.Helper()
	for {
		_, err := d.recv()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			d.t.Fatalf("want close %v, got %v", code, err)
		}
		if protocol.CloseCode(ce.Code) != code {
			d.t.Fatalf("want close %v, got %d %s", code, ce.Code, ce.Text)
		}
		return
	}
}

// login completes the handshake as device id.
func (f *fixture) login(t *testing.T, id string) (*device, *protocol.Welcome) {
	t.Helper()
	d := f.dial(t, nil)
	ch := d.expect(protocol.TypeChallenge).(*protocol.Challenge)
	d.send(protocol.SignHello(f.keys[id], ch.Nonce, id, "test"))
	return d, d.expect(protocol.TypeWelcome).(*protocol.Welcome)
}

func fact(device string, seq int64) domain.Event {
	return domain.Event{ID: fmt.Sprintf("%s-%d", device, seq), Device: device, DevSeq: seq, Station: "HX01",
		Stream: "c1", Kind: domain.KindCaseSubmitted, Data: json.RawMessage(`{}`)}
}

func TestHandshakeRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{AuthTimeout: 200 * time.Millisecond})
	_, stranger, _ := ed25519.GenerateKey(nil)
	cases := []struct {
		name  string
		hello func(nonce []byte) protocol.Message // nil: send nothing
		want  protocol.CloseCode
	}{
		{"unknown device", func(n []byte) protocol.Message { return protocol.SignHello(stranger, n, "nobody", "") }, protocol.CloseUnknownDevice},
		{"revoked device", func(n []byte) protocol.Message { return protocol.SignHello(f.keys["gone"], n, "gone", "") }, protocol.CloseRevoked},
		{"wrong key", func(n []byte) protocol.Message { return protocol.SignHello(stranger, n, "k1", "") }, protocol.CloseBadSignature},
		{"replayed signature", func([]byte) protocol.Message {
			old := make([]byte, protocol.NonceBytes)
			return protocol.SignHello(f.keys["k1"], old, "k1", "")
		}, protocol.CloseBadSignature},
		{"old version", func(n []byte) protocol.Message {
			h := protocol.SignHello(f.keys["k1"], n, "k1", "")
			h.V = 99
			return h
		}, protocol.CloseVersion},
		{"upload before hello", func([]byte) protocol.Message { return &protocol.Upload{Facts: []domain.Event{fact("k1", 1)}} }, protocol.CloseProtocol},
		{"silence", nil, protocol.CloseAuthTimeout},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := f.dial(t, nil)
			ch := d.expect(protocol.TypeChallenge).(*protocol.Challenge)
			if tc.hello != nil {
				d.send(tc.hello(ch.Nonce))
			}
			d.expectClose(tc.want)
		})
	}
}

func TestBadFramesCloseOnlyTheirSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{})
	bystander, _ := f.login(t, "w1")
	cases := []struct {
		name  string
		frame func(d *device)
		want  protocol.CloseCode
	}{
		{"not json", func(d *device) { _ = d.ws.WriteMessage(websocket.TextMessage, []byte("{nope")) }, protocol.CloseMalformed},
		{"binary frame", func(d *device) { _ = d.ws.WriteMessage(websocket.BinaryMessage, []byte{1, 2}) }, protocol.CloseMalformed},
		{"unknown type", func(d *device) { _ = d.ws.WriteMessage(websocket.TextMessage, []byte(`{"t":"rm","d":{}}`)) }, protocol.CloseProtocol},
		{"oversized frame", func(d *device) {
			_ = d.ws.WriteMessage(websocket.TextMessage, []byte(strings.Repeat("x", protocol.MaxFrameBytes+10)))
		}, protocol.CloseTooBig},
		{"too many facts", func(d *device) {
			up := &protocol.Upload{}
			for i := int64(1); i <= protocol.MaxBatchFacts+1; i++ {
				up.Facts = append(up.Facts, fact("k1", i))
			}
			d.send(up)
		}, protocol.CloseTooLarge},
		{"hello replayed", func(d *device) { d.send(&protocol.Hello{V: 1, Device: "k1", Sig: make([]byte, 64)}) }, protocol.CloseProtocol},
		{"hub message from device", func(d *device) { d.send(&protocol.Ack{Batch: 1}) }, protocol.CloseProtocol},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := f.login(t, "k1")
			tc.frame(d)
			d.expectClose(tc.want)
		})
	}
	// The hub still serves the device that behaved.
	bystander.send(&protocol.Pull{Epoch: "epoch-1"})
	bystander.expect(protocol.TypeEvents)
}

func TestUploadExactlyOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{})
	d, w := f.login(t, "k1")
	if w.LastDevSeq != 0 || w.Epoch != "epoch-1" || w.Station != "HX01" {
		t.Fatalf("welcome %+v", w)
	}
	d.send(&protocol.Upload{Batch: 1, Facts: []domain.Event{fact("k1", 1), fact("k1", 2)}})
	a := d.expect(protocol.TypeAck).(*protocol.Ack)
	if a.Applied != 2 || a.LastDevSeq != 2 || a.Batch != 1 {
		t.Fatalf("ack %+v", a)
	}
	// A replayed batch is acknowledged without being applied again.
	d.send(&protocol.Upload{Batch: 2, Facts: []domain.Event{fact("k1", 1), fact("k1", 2), fact("k1", 3)}})
	a = d.expect(protocol.TypeAck).(*protocol.Ack)
	if a.Applied != 1 || a.Duplicates != 2 || a.LastDevSeq != 3 {
		t.Fatalf("ack of replay %+v", a)
	}
	// A gap is refused with the hub's position.
	d.send(&protocol.Upload{Batch: 3, Facts: []domain.Event{fact("k1", 5)}})
	e := d.expect(protocol.TypeError).(*protocol.Error)
	if e.Code != protocol.ErrCodeSeqGap || e.LastDevSeq != 3 || e.Batch != 3 {
		t.Fatalf("gap error %+v", e)
	}
	// A fact in another device's name is refused with its code and set aside.
	d.send(&protocol.Upload{Batch: 4, Facts: []domain.Event{fact("k2", 4)}})
	if e := d.expect(protocol.TypeError).(*protocol.Error); e.Code != protocol.ErrCodeFactRefused ||
		e.Reason != string(domain.CodeWrongDevice) || e.LastDevSeq != 4 {
		t.Fatalf("foreign fact error %+v", e)
	}
	if n := len(f.hub.Log()); n != 3 {
		t.Fatalf("hub log has %d events, want 3", n)
	}
	// The welcome of the next session carries where to resume.
	d.ws.Close()
	_, w = f.login(t, "k1")
	if w.LastDevSeq != 4 || w.LastSeq != 3 {
		t.Fatalf("welcome after reconnect %+v", w)
	}
}

func TestStoreFailureKeepsSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{})
	d, _ := f.login(t, "k1")
	f.hub.SetApplyError(errors.New("disk full"))
	d.send(&protocol.Upload{Batch: 1, Facts: []domain.Event{fact("k1", 1)}})
	if e := d.expect(protocol.TypeError).(*protocol.Error); e.Code != protocol.ErrCodeUnavailable || strings.Contains(e.Message, "disk") {
		t.Fatalf("error %+v (internals must not leak)", e)
	}
	f.hub.SetApplyError(nil)
	d.send(&protocol.Upload{Batch: 2, Facts: []domain.Event{fact("k1", 1)}})
	if a := d.expect(protocol.TypeAck).(*protocol.Ack); a.Applied != 1 {
		t.Fatalf("ack %+v", a)
	}
}

func TestPagesAndPush(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{PageLimit: 2})
	for i := 0; i < 3; i++ {
		f.hub.AppendHub(domain.Event{ID: fmt.Sprintf("h%d", i), Station: "HX01", Kind: domain.KindCaseAssigned, Data: json.RawMessage(`{}`)})
	}
	f.hub.AppendHub(domain.Event{ID: "other", Station: "HX02", Kind: domain.KindCaseAssigned, Data: json.RawMessage(`{}`)})
	d, _ := f.login(t, "k1")
	d.send(&protocol.Pull{Epoch: "epoch-1", After: 0, Limit: 10})
	p := d.expect(protocol.TypeEvents).(*protocol.Events)
	if len(p.Events) != 2 || !p.More || p.Upto != 2 {
		t.Fatalf("page 1 %+v", p)
	}
	d.send(&protocol.Pull{Epoch: "epoch-1", After: p.Upto})
	p = d.expect(protocol.TypeEvents).(*protocol.Events)
	if len(p.Events) != 1 || p.More || p.Upto != 4 {
		t.Fatalf("page 2 %+v (upto must pass other stations' events)", p)
	}
	// Live now: an event of HX01 is pushed; one of HX02 is not.
	f.srv.Notify(f.hub.AppendHub(domain.Event{ID: "x2", Station: "HX02", Kind: domain.KindCaseAssigned, Data: json.RawMessage(`{}`)}))
	f.srv.Notify(f.hub.AppendHub(domain.Event{ID: "x1", Station: "HX01", Kind: domain.KindCaseAssigned, Data: json.RawMessage(`{}`)}))
	p = d.expect(protocol.TypeEvents).(*protocol.Events)
	if p.After != 4 || len(p.Events) != 1 || p.Events[0].ID != "x1" {
		t.Fatalf("push %+v", p)
	}
	d.send(&protocol.Pull{Epoch: "old-epoch"})
	if e := d.expect(protocol.TypeError).(*protocol.Error); e.Code != protocol.ErrCodeEpochMismatch || e.Epoch != "epoch-1" {
		t.Fatalf("epoch error %+v", e)
	}
}

func TestHeartbeatRecorded(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	f := newFixture(t, wsserver.Config{Now: func() time.Time { return now }})
	d, _ := f.login(t, "k1")
	sent := now.Add(3 * time.Second)
	d.send(&protocol.Heartbeat{SentAt: sent, Health: protocol.Health{Reader: "ok", Scanner: "absent", Outbox: 4, Version: "1.2"}})
	b := d.expect(protocol.TypeBeat).(*protocol.Beat)
	if !b.Echo.Equal(sent) || !b.HubTime.Equal(now) {
		t.Fatalf("beat %+v", b)
	}
	var rec struct {
		Reader    string `json:"reader"`
		Outbox    int64  `json:"outbox"`
		HubSkewMS int64  `json:"hub_skew_ms"`
	}
	if err := json.Unmarshal(f.hub.Heartbeat("k1"), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Reader != "ok" || rec.Outbox != 4 || rec.HubSkewMS != 3000 {
		t.Fatalf("recorded %+v", rec)
	}
}

func TestOriginCheck(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{AllowedOrigins: []string{"https://console.example"}})
	cases := []struct {
		name   string
		origin string
		ok     bool
	}{
		{"device without origin", "", true},
		{"allowed console", "https://console.example", true},
		{"foreign page", "https://evil.example", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tc.origin != "" {
				h.Set("Origin", tc.origin)
			}
			ws, resp, err := websocket.DefaultDialer.Dial(f.url, h)
			if ws != nil {
				ws.Close()
			}
			if tc.ok != (err == nil) {
				t.Fatalf("err %v, want ok=%v", err, tc.ok)
			}
			if !tc.ok && resp.StatusCode != http.StatusForbidden {
				t.Fatalf("status %d, want 403", resp.StatusCode)
			}
		})
	}
}

func TestNewerSessionReplacesOlder(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{})
	old, _ := f.login(t, "k1")
	_, _ = f.login(t, "k1")
	old.expectClose(protocol.CloseReplaced)
	waitFor(t, func() bool { return f.srv.Connected() == 1 })
}

func TestSlowConsumerIsDropped(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := wsserver.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	// A small link buffer makes the hub's writer block as soon as the device stops reading.
	nw := faultnet.New(func(int) faultnet.Plan { return faultnet.Plan{Capacity: 64 << 10} })
	f := newFixtureOn(t, wsserver.Config{SendQueueBytes: 1, MinSendRate: 1 << 30, PageLimit: 20, WriteTimeout: 5 * time.Second, Metrics: m}, nw)
	d, _ := f.login(t, "k1")
	// The device stops reading; pulls of large pages pile up behind a full socket.
	big := json.RawMessage(`"` + strings.Repeat("x", 20<<10) + `"`)
	for i := 0; i < 100; i++ {
		f.hub.AppendHub(domain.Event{ID: fmt.Sprintf("b%d", i), Station: "HX01", Kind: domain.KindCaseProgress, Data: big})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for ctx.Err() == nil && f.srv.Connected() > 0 {
		b, _ := protocol.Encode(&protocol.Pull{Epoch: "epoch-1"})
		_ = d.ws.SetWriteDeadline(time.Now().Add(time.Second))
		if d.ws.WriteMessage(websocket.TextMessage, b) != nil {
			break
		}
	}
	waitFor(t, func() bool { return f.srv.Connected() == 0 })
	if got := closes(t, reg, protocol.CloseSlowConsumer); got != 1 {
		t.Fatalf("slow consumer closes %v, want 1", got)
	}
	// Others are still served.
	d2, _ := f.login(t, "k2")
	d2.send(&protocol.Pull{Epoch: "epoch-1", Limit: 1})
	d2.expect(protocol.TypeEvents)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// closes reads liaison_sync_closes_total{code} from the registry.
func closes(t *testing.T, reg *prometheus.Registry, code protocol.CloseCode) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "liaison_sync_closes_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "code" && l.GetValue() == fmt.Sprint(int(code)) {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// storeWithoutRefuser hides MemHub's RefuseFact, as a store that cannot set facts aside.
type storeWithoutRefuser struct{ wsserver.Store }

func TestInvalidFactIsSetAside(t *testing.T) {
	t.Parallel()
	wrongStation := func(seq int64) domain.Event {
		f := fact("k1", seq)
		f.Station = "HX02"
		return f
	}
	cases := []struct {
		name     string
		hide     bool
		wantCode string
		wantLast int64 // the hub's position for k1 after the refusal
		wantLog  int   // events in the log after the follow-up upload
	}{
		{"store sets it aside", false, protocol.ErrCodeFactRefused, 2, 2},
		{"store cannot", true, protocol.ErrCodeBadFact, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, wsserver.Config{})
			if tc.hide {
				f.srv.Close()
				f.srv = wsserver.New(storeWithoutRefuser{f.hub}, wsserver.Config{}, nil)
				hs := httptest.NewServer(f.srv)
				t.Cleanup(func() { f.srv.Close(); hs.Close() })
				f.url = "ws" + strings.TrimPrefix(hs.URL, "http")
			}
			d, _ := f.login(t, "k1")
			d.send(&protocol.Upload{Batch: 1, Facts: []domain.Event{fact("k1", 1), wrongStation(2), fact("k1", 3)}})
			e := d.expect(protocol.TypeError).(*protocol.Error)
			if e.Code != tc.wantCode || e.Batch != 1 || e.LastDevSeq != tc.wantLast {
				t.Fatalf("error %+v, want %s at %d", e, tc.wantCode, tc.wantLast)
			}
			if tc.hide {
				// Stuck: the invalid fact still blocks the next one, and is never "unavailable".
				d.send(&protocol.Upload{Batch: 2, Facts: []domain.Event{wrongStation(2), fact("k1", 3)}})
				if e := d.expect(protocol.TypeError).(*protocol.Error); e.Code != protocol.ErrCodeBadFact {
					t.Fatalf("second attempt %+v", e)
				}
			} else {
				if e.Fact != "k1-2" || e.DevSeq != 2 || e.Reason != string(domain.CodeScope) {
					t.Fatalf("refusal does not name the fact: %+v", e)
				}
				if r := f.hub.Refused("k1"); len(r) != 1 || r[0].ID != "k1-2" {
					t.Fatalf("hub set aside %+v", r)
				}
				// The client resumes after the refused fact; a resend of it is a duplicate.
				d.send(&protocol.Upload{Batch: 2, Facts: []domain.Event{wrongStation(2), fact("k1", 3)}})
				a := d.expect(protocol.TypeAck).(*protocol.Ack)
				if a.Applied != 1 || a.Duplicates != 1 || a.LastDevSeq != 3 {
					t.Fatalf("ack after refusal %+v", a)
				}
			}
			if n := len(f.hub.Log()); n != tc.wantLog {
				t.Fatalf("hub log has %d events, want %d", n, tc.wantLog)
			}
			for _, ev := range f.hub.Log() {
				if ev.ID == "k1-2" {
					t.Fatal("the invalid fact reached the log")
				}
			}
		})
	}
}

// welcomeGate holds the welcome's first store read until released.
type welcomeGate struct {
	wsserver.Store
	entered, release chan struct{}
}

func (g welcomeGate) LastDevSeq(ctx context.Context, device string) (int64, error) {
	close(g.entered)
	<-g.release
	return g.Store.LastDevSeq(ctx, device)
}

// TestCloseDuringWelcome: a session that was being welcomed when the hub began shutting down
// is closed with "going away" instead of being left without an answer.
func TestCloseDuringWelcome(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wsserver.Config{})
	f.srv.Close()
	gate := welcomeGate{Store: f.hub, entered: make(chan struct{}), release: make(chan struct{})}
	f.srv = wsserver.New(gate, wsserver.Config{}, nil)
	hs := httptest.NewServer(f.srv)
	t.Cleanup(hs.Close)
	f.url = "ws" + strings.TrimPrefix(hs.URL, "http")
	d := f.dial(t, nil)
	ch := d.expect(protocol.TypeChallenge).(*protocol.Challenge)
	d.send(protocol.SignHello(f.keys["k1"], ch.Nonce, "k1", "test"))
	<-gate.entered
	closed := make(chan struct{})
	go func() {
		f.srv.Close()
		close(closed)
	}()
	// Close has begun once the hub turns new connections away.
	for {
		resp, err := http.Get(hs.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(gate.release)
	// The session registers before its welcome, so Close saw it and told it to come back.
	d.expectClose(protocol.CloseGoingAway)
	<-closed
}
