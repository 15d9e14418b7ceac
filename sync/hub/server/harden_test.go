package server

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"liaison/internal/clocktest"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"liaison/sync/hub/wsserver"
	"liaison/sync/protocol"
	"liaison/sync/synctest"
)

// Every answer but the sync endpoint's carries the headers that keep a browser from sniffing,
// framing or leaking the URL (pages hold case tokens and check-in codes).
func TestEveryAnswerCarriesSecurityHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	for _, path := range []string{"/healthz", "/metrics", "/api/v1/cases", "/c/HX01-X?t=nope", "/r/HX01-R01",
		"/a/checkin?c=forged", "/no/such/page"} {
		resp, _ := f.do(t, "GET", path, "", nil)
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s (%d): headers %v", path, resp.StatusCode, h)
		}
	}
}

// Text answers never relay invalid UTF-8, also when a rune is split between writes; binary
// answers pass untouched.
func TestAnswersNeverRelayInvalidUTF8(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ctype string
		writes      [][]byte
		want        string
	}{
		{"html with a bad byte", "text/html; charset=utf-8", [][]byte{[]byte("<p>a\xffb</p>")}, "<p>a\uFFFDb</p>"},
		{"rune split across writes", "application/json", [][]byte{[]byte("\"中"[:2]), []byte("中\""[2-1:])}, "\"中\""},
		{"cut short at the end", "text/plain", [][]byte{[]byte("ok " + "中"[:2])}, "ok \uFFFD"},
		{"binary untouched", "image/png", [][]byte{{0x89, 'P', 'N', 'G', 0xff}}, "\x89PNG\xff"},
	}
	for _, tc := range cases {
		h := harden(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tc.ctype)
			for _, b := range tc.writes {
				_, _ = w.Write(b)
			}
		}), "/sync")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
		if got := rec.Body.String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
		if tc.ctype != "image/png" && !utf8.Valid(rec.Body.Bytes()) {
			t.Errorf("%s: invalid UTF-8 sent", tc.name)
		}
	}
}

// A request body over the bound is cut off, whatever the endpoint.
func TestRequestBodyIsBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	big := `{"code":"` + strings.Repeat("A", 1<<20) + `"}`
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/pair", strings.NewReader(big))
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("oversized body: %d", resp.StatusCode)
	}
}

// Whatever number of addresses try codes, the limiter remembers a bounded number of them, and
// all together may fail only so often before pairing waits; an IPv6 /64 counts as one.
func TestPairingLimiterIsBounded(t *testing.T) {
	t.Parallel()
	clk := clocktest.New(t0)
	l := newFailureLimiter(3, 100, 1000, time.Minute, clk.Now)
	for i := range 900 {
		l.Fail(fmt.Sprintf("10.%d.%d.%d", i>>16, (i>>8)&255, i&255))
	}
	if n := l.Tracked(); n != 100 {
		t.Fatalf("tracking %d clients, want at most 100", n)
	}
	if l.Blocked("192.0.2.1") {
		t.Fatal("a fresh client is blocked below the global bound")
	}
	for i := range 100 {
		l.Fail(fmt.Sprintf("198.51.%d.%d", i>>8, i&255))
	}
	if !l.Blocked("192.0.2.1") {
		t.Fatal("the global bound does not block")
	}
	clk.Advance(time.Minute)
	if l.Blocked("192.0.2.1") {
		t.Fatal("still blocked after the window")
	}
	a, b := clientOf("[2001:db8:1:2::5]:443"), clientOf("[2001:db8:1:2:ffff::9]:80")
	if a != b || a != "2001:db8:1:2::/64" || clientOf("192.0.2.7:1") != "192.0.2.7" {
		t.Fatalf("clients %q %q", a, b)
	}
	for range 3 {
		l.Fail(a)
	}
	if !l.Blocked(b) {
		t.Fatal("another address of the same /64 is not blocked")
	}
}

// Failed pairings from thousands of addresses write a bounded number of log lines, and the
// lockouts are counted in /metrics.
func TestPairingFailuresLogBoundedAndCount(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	var logBuf bytes.Buffer
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Now: f.clk.Now}, f.store, nil, m,
		slog.New(slog.NewTextHandler(&logBuf, nil)))
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	body := fmt.Sprintf(`{"code":"AAAABBBB","public_key":%q}`, base64.StdEncoding.EncodeToString(pub))
	locked := 0
	for i := range 3000 {
		req := httptest.NewRequest("POST", "/api/v1/pair", strings.NewReader(body))
		req.RemoteAddr = fmt.Sprintf("10.0.%d.%d:5000", i>>8, i&255)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code == http.StatusTooManyRequests {
			locked++
		}
	}
	if locked == 0 {
		t.Fatal("3000 unknown codes from many addresses were never locked out")
	}
	if lines := strings.Count(logBuf.String(), "\n"); lines > 20 {
		t.Fatalf("%d log lines for 3000 failed pairings", lines)
	}
	if s.pairing.Tracked() > DefaultPairTracked {
		t.Fatalf("tracking %d clients", s.pairing.Tracked())
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), fmt.Sprintf("liaison_hub_pairing_locked_out_total %d", locked)) {
		t.Fatalf("metrics do not count %d lockouts", locked)
	}
}

// A sync session lives on past the HTTP server's read and write timeouts: the upgrade takes
// the connection out of net/http's deadlines.
func TestSyncSessionOutlivesHTTPTimeouts(t *testing.T) {
	t.Parallel()
	hub := synctest.NewMemHub("epoch-1")
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	hub.Enroll("k1", "HX01", pub)
	ws := wsserver.New(hub, wsserver.Config{}, nil)
	defer ws.Close()
	const timeout = 150 * time.Millisecond
	s := New(Config{ReadTimeout: timeout, WriteTimeout: timeout}, nil, ws, nil, nil)
	ln, cancel, done := serve(t, s)
	defer func() { cancel(); <-done }()

	conn, _, err := websocket.DefaultDialer.Dial("ws://"+ln.Addr().String()+"/sync", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	read := func() protocol.Message {
		_, b, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("session ended: %v", err)
		}
		m, err := protocol.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	write := func(m protocol.Message) {
		b, _ := protocol.Encode(m)
		if err := conn.WriteMessage(websocket.TextMessage, b); err != nil {
			t.Fatalf("session ended: %v", err)
		}
	}
	ch := read().(*protocol.Challenge)
	write(protocol.SignHello(key, ch.Nonce, "k1", "test"))
	read() // welcome
	// Heartbeats back and forth for several times the timeouts: each must be answered.
	start := time.Now()
	for beats := 0; time.Since(start) < 6*timeout || beats < 3; beats++ {
		write(&protocol.Heartbeat{SentAt: time.Now().UTC()})
		if _, ok := read().(*protocol.Beat); !ok {
			t.Fatal("heartbeat not answered")
		}
		// Wait for the next heartbeat on the server's answer to a pull: real traffic, no sleep.
		write(&protocol.Pull{Epoch: "epoch-1"})
		read()
	}
	if ws.Connected() != 1 {
		t.Fatalf("%d sessions", ws.Connected())
	}
}
