package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/hubtest"
	"liaison/sync/hub/notify"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/sqlitestore/enginetest"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 10:00 in the stations' zone

var seededDir string

func TestMain(m *testing.M) {
	hubtest.Main(m, &seededDir, "notify-seeded-", func(ctx context.Context, dir string, now func() time.Time) (hubtest.SeedStore, error) {
		return sqlitestore.Open(ctx, dir, sqlitestore.Options{Now: now})
	}, seed.DefaultSeed, t0)
}

// hub is a store on a copy of the demo street, a kiosk to submit cases on and a clock.
type hub struct {
	t     testing.TB
	st    *sqlitestore.Store
	clk   *clocktest.Clock
	kiosk *storetest.Facts
	n     int
}

func newHub(t testing.TB) *hub {
	t.Helper()
	h := &hub{t: t, clk: clocktest.New(t0)}
	h.st = enginetest.OpenSeeded(t, seededDir, seed.DefaultSeed, t0, sqlitestore.Options{Now: h.clk.Now})
	h.kiosk = &storetest.Facts{Dev: storetest.Pair(t, h.st, seed.StationCode, store.RoleKiosk, ""), Now: h.clk.Now}
	return h
}

// restart closes the store and opens it again, as a hub restart does.
func (h *hub) restart() {
	h.t.Helper()
	if err := h.st.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.st = enginetest.Reopen(h.t, h.st, sqlitestore.Options{Now: h.clk.Now})
}

// submit records a case from the kiosk through ingest (ApplyFacts) and returns it.
func (h *hub) submit(community, text string) domain.Case {
	h.t.Helper()
	h.n++
	number := fmt.Sprintf("%s20261123-%04d", domain.CaseNumberPrefix(seed.StationCode, h.kiosk.Dev.Code), h.n)
	ev := h.kiosk.SubmissionOf(h.t, number, domain.CaseSubmitted{Number: number, Category: "env",
		Text: text, Community: community, Phone: "13800000000"})
	if _, err := h.st.ApplyFacts(context.Background(), h.kiosk.Dev.ID, []domain.Event{ev}); err != nil {
		h.t.Fatal(err)
	}
	c, err := h.st.Case(context.Background(), ev.Stream)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *hub) channel(ch store.NotifyChannel) store.NotifyChannel {
	h.t.Helper()
	if err := notify.Check(ch); err != nil {
		h.t.Fatal(err)
	}
	saved, err := h.st.SaveNotifyChannel(context.Background(), ch, false)
	if err != nil {
		h.t.Fatal(err)
	}
	return saved
}

func (h *hub) outbox() []store.OutboxItem {
	h.t.Helper()
	items, err := h.st.Outbox(context.Background(), 0, 100)
	if err != nil {
		h.t.Fatal(err)
	}
	return items
}

// run starts a notifier over the store until the test ends or stop is called.
func (h *hub) run(cfg notify.Config) (n *notify.Notifier, stop func()) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BaseDelay == 0 {
		cfg.BaseDelay = time.Millisecond
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "https://hub.example.cn"
	}
	n = notify.New(cfg, h.st, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { n.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	h.t.Cleanup(stop)
	return n, stop
}

// waitFor polls cond until it holds, failing the test after a generous deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// robot is a fake DingTalk or WeCom group robot.
type robot struct {
	srv *httptest.Server

	mu       sync.Mutex
	got      []robotCall
	failures int           // answer HTTP 500 this many more times
	errcode  int           // answer this errcode (0: ok)
	hang     chan struct{} // when set, block every call until it is closed
	entered  chan struct{} // receives once per call that started hanging
}

type robotCall struct {
	Query query
	Body  map[string]any
}

type query = map[string]string

func newRobot(t *testing.T) *robot {
	r := &robot{entered: make(chan struct{}, 16)}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		r.mu.Lock()
		if r.hang != nil {
			select {
			case <-r.hang:
			default:
				close(r.hang)
			}
		}
		r.mu.Unlock()
		r.srv.Close()
	})
	return r
}

func (r *robot) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	hang := r.hang
	r.mu.Unlock()
	if hang != nil {
		r.entered <- struct{}{}
		select {
		case <-hang:
		case <-req.Context().Done():
			return
		}
	}
	b, _ := io.ReadAll(req.Body)
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	q := query{}
	for k, v := range req.URL.Query() {
		q[k] = v[0]
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failures > 0 {
		r.failures--
		http.Error(w, "busy", http.StatusInternalServerError)
		return
	}
	r.got = append(r.got, robotCall{Query: q, Body: body})
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"errcode":%d,"errmsg":"%s"}`, r.errcode, map[bool]string{true: "ok", false: "sign not match"}[r.errcode == 0])
}

func (r *robot) calls() []robotCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]robotCall(nil), r.got...)
}

func (r *robot) url(token string) string { return r.srv.URL + "/robot/send?access_token=" + token }

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
