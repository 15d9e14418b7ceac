package synctest

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/faultnet"
	"liaison/sync/hub/wsserver"
)

// hubUnderTest is the hub side: a store, the endpoint, and an httptest server on a faultnet.
type hubUnderTest struct {
	srv  *wsserver.Server
	http *httptest.Server
	net  *faultnet.Network
	url  string
}

func startHub(t testing.TB, store wsserver.Store, nw *faultnet.Network, cfg wsserver.Config) *hubUnderTest {
	t.Helper()
	srv := wsserver.New(store, cfg, nil)
	hs := httptest.NewUnstartedServer(srv)
	hs.Listener = nw.Listener()
	hs.Start()
	h := &hubUnderTest{srv: srv, http: hs, net: nw, url: "ws://faultnet/sync"}
	t.Cleanup(h.stop)
	return h
}

func (h *hubUnderTest) stop() {
	h.srv.Close()
	h.net.CutAll()
	h.http.Close()
}

// station is one device running a client over the hub's network.
type station struct {
	id, code string
	key      ed25519.PrivateKey
	pub      ed25519.PublicKey
	store    client.LocalStore
	client   *client.Client
	cancel   context.CancelFunc
	done     chan error
}

func newKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return pub, key
}

// fastClient keeps timeouts short so lost frames are noticed quickly in tests.
func fastClient(id, url string, nw *faultnet.Network) client.Config {
	return client.Config{
		HubURL: url, DeviceID: id, AppVersion: "test", Role: "kiosk", NetDial: nw.Dial,
		BackoffMin: 5 * time.Millisecond, BackoffMax: 40 * time.Millisecond,
		RequestTimeout: 400 * time.Millisecond, ReadTimeout: 2 * time.Second,
		Heartbeat: 100 * time.Millisecond,
	}
}

func (s *station) start(cfg client.Config) {
	s.client = client.New(cfg, s.store, s.key, nil)
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan error, 1)
	go func() { s.done <- s.client.Run(ctx) }()
}

func (s *station) stop(t testing.TB) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("station %s run: %v", s.id, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("station %s did not stop", s.id)
	}
	s.cancel = nil
}

// testResident is the resident of the station processes' submissions.
const testResident = "R-00000000000000000001"

// fact builds a case submission of a station; ids are unique per (device, n).
func fact(device, station string, n int) domain.Event {
	data, _ := json.Marshal(domain.CaseSubmitted{Number: fmt.Sprintf("%s-%d", device, n), Text: "测试诉求", Category: "road"})
	return domain.Event{
		ID: fmt.Sprintf("%s-%06d", device, n), Station: station, Stream: fmt.Sprintf("case-%s-%d", device, n),
		Kind: domain.KindCaseSubmitted, At: time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC),
		Actor: domain.Actor{Role: domain.RoleResident, Name: "张*"}, Data: data,
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// scopeIDs lists the ids of log events in a station's scope, in log order.
func scopeIDs(log []domain.Event, station string) string {
	var b strings.Builder
	for _, e := range log {
		if e.Station == station || e.Station == "" {
			fmt.Fprintf(&b, "%d:%s ", e.HubSeq, e.ID)
		}
	}
	return b.String()
}
