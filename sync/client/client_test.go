package client_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/hub/wsserver"
	"liaison/sync/synctest"
)

var now = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return now }

// hub is a MemHub behind the real endpoint on a local TCP listener.
type hub struct {
	mem *synctest.MemHub
	srv *wsserver.Server
	hs  *httptest.Server
	url string
}

func newHub(t *testing.T) *hub {
	t.Helper()
	h := &hub{mem: synctest.NewMemHub("epoch-1")}
	h.srv = wsserver.New(h.mem, wsserver.Config{}, nil)
	h.hs = httptest.NewServer(h.srv)
	h.url = "ws" + strings.TrimPrefix(h.hs.URL, "http") + "/sync"
	t.Cleanup(func() { h.srv.Close(); h.hs.Close() })
	return h
}

type device struct {
	id    string
	key   ed25519.PrivateKey
	store *synctest.MemStation
	c     *client.Client
	done  chan error
	stop  context.CancelFunc
}

func (h *hub) enroll(t *testing.T, id, station string) *device {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	h.mem.Enroll(id, station, pub)
	return &device{id: id, key: key, store: synctest.NewMemStation(id)}
}

func config(id, url string) client.Config {
	return client.Config{HubURL: url, DeviceID: id, AppVersion: "test", Role: "kiosk",
		BackoffMin: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond,
		RequestTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second, Heartbeat: time.Hour,
		Now: fixedNow, Jitter: func() float64 { return 0.5 }}
}

func (d *device) run(t *testing.T, cfg client.Config) {
	t.Helper()
	d.c = client.New(cfg, d.store, d.key, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	d.stop, d.done = cancel, done
	go func() { done <- d.c.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("client did not stop")
		}
	})
}

func caseFact(station string, n int) domain.Event {
	return domain.Event{ID: fmt.Sprintf("f-%s-%d", station, n), Station: station, Stream: fmt.Sprintf("c-%d", n),
		Kind: domain.KindCaseSubmitted, At: now, Actor: domain.Actor{Role: domain.RoleResident, Name: "张*"},
		Data: json.RawMessage(`{"text":"测试"}`)}
}

// waitStatus polls the client's status until cond holds.
func waitStatus(t *testing.T, c *client.Client, what string, cond func(client.Status) bool) client.Status {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := c.Status()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; status %+v", what, s)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestStatusWhenCaughtUp(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	d := h.enroll(t, "k1", "HX01")
	for i := 0; i < 3; i++ {
		d.store.Record(caseFact("HX01", i))
	}
	h.mem.AppendHub(domain.Event{ID: "ref-1", Kind: domain.KindCategoryUpserted, Data: json.RawMessage(`{}`)})
	h.mem.AppendHub(domain.Event{ID: "other", Station: "HX02", Kind: domain.KindCaseAssigned, Data: json.RawMessage(`{}`)})
	d.c = client.New(config(d.id, h.url), d.store, d.key, nil)
	if s := d.c.Status(); s.State != client.StateOffline || !s.Since.Equal(now) || !s.LastSync.IsZero() {
		t.Fatalf("status before Run %+v", s)
	}
	d.run(t, config(d.id, h.url))
	s := waitStatus(t, d.c, "caught up", func(s client.Status) bool {
		return s.State == client.StateConnected && s.Outbox == 0 && s.Cursor == 5 && !s.LastSync.IsZero()
	})
	if s.Epoch != "epoch-1" || s.Lag != 0 || !s.LastSync.Equal(now) || s.ErrorCode != "" || s.Refused != 0 {
		t.Fatalf("status %+v", s)
	}
	if got := d.store.Uploaded(); got != 3 {
		t.Fatalf("uploaded %d, want 3", got)
	}
}

// Kick uploads a fact written while the session is idle; nothing else would before the
// (hour-long) heartbeat.
func TestKickUploadsPromptly(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	d := h.enroll(t, "k1", "HX01")
	d.run(t, config(d.id, h.url))
	waitStatus(t, d.c, "connected", func(s client.Status) bool { return s.State == client.StateConnected && !s.LastSync.IsZero() })
	d.store.Record(caseFact("HX01", 1))
	d.c.Kick()
	waitStatus(t, d.c, "uploaded", func(s client.Status) bool { return s.Outbox == 0 && len(h.mem.Log()) == 1 })
	// Kick never blocks, even with nobody draining it.
	idle := client.New(config("k9", h.url), synctest.NewMemStation("k9"), d.key, nil)
	done := make(chan struct{})
	go func() {
		for i := 0; i < 100; i++ {
			idle.Kick()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Kick blocked")
	}
}

// The outbox depth counts facts the hub has not acknowledged; a hub store that fails keeps
// them there and the client retries until it heals.
func TestOutboxWhileHubStoreFails(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	d := h.enroll(t, "k1", "HX01")
	h.mem.SetApplyError(errors.New("disk full"))
	for i := 0; i < 4; i++ {
		d.store.Record(caseFact("HX01", i))
	}
	d.run(t, config(d.id, h.url))
	s := waitStatus(t, d.c, "a failed attempt", func(s client.Status) bool {
		return s.State == client.StateOffline && s.ErrorCode != ""
	})
	if info, ok := domain.LookupCode(s.ErrorCode); s.Outbox != 4 || s.NextRetry.IsZero() || !ok || info.Group != domain.GroupStatus {
		t.Fatalf("status while failing %+v", s)
	}
	h.mem.SetApplyError(nil)
	waitStatus(t, d.c, "healed", func(s client.Status) bool { return s.Outbox == 0 && s.State == client.StateConnected })
	if n := len(h.mem.Log()); n != 4 {
		t.Fatalf("hub holds %d facts, want 4", n)
	}
}

// failingStation is a station store whose ApplyRemote fails, so the lag stays visible.
type failingStation struct{ *synctest.MemStation }

func (failingStation) ApplyRemote(context.Context, string, []domain.Event, int64) error {
	return errors.New("database is locked")
}

func TestLagAndStoreErrorInChinese(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	d := h.enroll(t, "k1", "HX01")
	for i := 0; i < 5; i++ {
		h.mem.AppendHub(domain.Event{ID: fmt.Sprint("h", i), Station: "HX01", Kind: domain.KindCaseAssigned, Data: json.RawMessage(`{}`)})
	}
	c := client.New(config(d.id, h.url), failingStation{d.store}, d.key, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	defer func() { cancel(); <-done }()
	s := waitStatus(t, c, "store error", func(s client.Status) bool { return s.ErrorCode != "" })
	if s.Lag != 5 || s.Cursor != 0 || s.ErrorCode != domain.CodeSyncStoreFailed || !s.LastSync.IsZero() {
		t.Fatalf("status %+v", s)
	}
}

func TestStateTransitions(t *testing.T) {
	t.Parallel()
	// A listener that accepts and never answers: the client stays "connecting".
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range held {
			c.Close()
		}
		mu.Unlock()
	}()
	h := newHub(t)
	d := h.enroll(t, "k1", "HX01")
	cfg := config(d.id, "ws://"+silent.Addr().String()+"/sync")
	cfg.RequestTimeout = time.Hour
	d.run(t, cfg)
	waitStatus(t, d.c, "connecting", func(s client.Status) bool { return s.State == client.StateConnecting })
	d.stop()
	<-d.done
	if s := d.c.Status(); s.State != client.StateOffline {
		t.Fatalf("after stop %+v", s)
	}

	// Connected, then the hub shuts down: offline with the restart message and a retry time.
	// (The back-off is long so the status cannot move on to a failed retry before it is read.)
	cfg = config(d.id, h.url)
	cfg.BackoffMin, cfg.BackoffMax = time.Minute, 2*time.Minute
	d.run(t, cfg)
	waitStatus(t, d.c, "connected", func(s client.Status) bool { return s.State == client.StateConnected })
	h.srv.Close()
	s := waitStatus(t, d.c, "offline", func(s client.Status) bool { return s.State == client.StateOffline })
	if s.ErrorCode != domain.CodeSyncRestarting || s.NextRetry.Before(now) || s.NextRetry.After(now.Add(2*time.Minute)) {
		t.Fatalf("after hub shutdown %+v", s)
	}
}

func TestRevokedDeviceStops(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	d := h.enroll(t, "k1", "HX01")
	h.mem.Revoke("k1")
	c := client.New(config(d.id, h.url), d.store, d.key, nil)
	err := c.Run(context.Background())
	if !errors.Is(err, client.ErrRejected) || !errors.Is(err, client.ErrRevoked) {
		t.Fatalf("Run: %v, want ErrRejected and ErrRevoked", err)
	}
	if s := c.Status(); s.State != client.StateRevoked || s.ErrorCode != domain.CodeSyncRevoked ||
		!s.NextRetry.IsZero() {
		t.Fatalf("status %+v", s)
	}
}

func TestUnreachableHub(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	d := &device{id: "k1", store: synctest.NewMemStation("k1")}
	_, d.key, _ = ed25519.GenerateKey(nil)
	cfg := config(d.id, "ws://"+addr+"/sync")
	cfg.BackoffMin, cfg.BackoffMax = time.Hour, time.Hour
	d.run(t, cfg)
	s := waitStatus(t, d.c, "offline", func(s client.Status) bool { return s.State == client.StateOffline && s.ErrorCode != "" })
	// Jitter 0.5 of an hour: the retry is 45 minutes after the injected now.
	if s.ErrorCode != domain.CodeSyncDialFailed || !s.NextRetry.Equal(now.Add(45*time.Minute)) {
		t.Fatalf("status %+v", s)
	}
}

// A fact the hub can never apply is set aside: the status says so and later facts flow.
func TestRefusedFactDoesNotBlockLaterFacts(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	d := h.enroll(t, "k1", "HX01")
	d.store.Record(caseFact("HX01", 1))
	bad := d.store.Record(caseFact("HX02", 2)) // another station's data
	d.store.Record(caseFact("HX01", 3))
	d.run(t, config(d.id, h.url))
	s := waitStatus(t, d.c, "outbox drained", func(s client.Status) bool {
		return s.State == client.StateConnected && s.Outbox == 0 && s.Refused == 1
	})
	if s.LastRefused == nil || s.LastRefused.Code != domain.CodeSyncFactRefused || s.LastRefused.Params["fact"] != bad.ID || s.LastRefused.Params["seq"] == "" {
		t.Fatalf("refusal not shown: %+v", s)
	}
	if r := h.mem.Refused("k1"); len(r) != 1 || r[0].ID != bad.ID {
		t.Fatalf("hub set aside %+v", r)
	}
	// Written after the refusal, still delivered.
	d.store.Record(caseFact("HX01", 4))
	d.c.Kick()
	waitStatus(t, d.c, "later fact", func(s client.Status) bool { return len(h.mem.Log()) == 3 && s.Outbox == 0 })
	for _, e := range h.mem.Log() {
		if e.ID == bad.ID {
			t.Fatal("refused fact in the hub log")
		}
	}
}

// A station waiting out a long back-off retries at once when woken (network back, or asked by
// a technician), and reaches a hub that came back meanwhile.
func TestWakeEndsBackoff(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	d := h.enroll(t, "k1", "HX01")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // the hub is away
	cfg := config(d.id, "ws://"+addr+"/sync")
	cfg.BackoffMin, cfg.BackoffMax = time.Hour, time.Hour
	cfg.NoNetWatch = true
	d.run(t, cfg)
	waitStatus(t, d.c, "offline", func(s client.Status) bool { return s.State == client.StateOffline && s.ErrorCode != "" })

	back, err := net.Listen("tcp", addr) // the hub returns at the same address
	if err != nil {
		t.Skipf("address %s taken meanwhile: %v", addr, err)
	}
	hs := httptest.NewUnstartedServer(h.srv)
	hs.Listener.Close()
	hs.Listener = back
	hs.Start()
	t.Cleanup(hs.Close)
	d.c.Wake()
	waitStatus(t, d.c, "connected after wake", func(s client.Status) bool { return s.State == client.StateConnected })
}
