package console_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"liaison/internal/clocktest"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/hubtest"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/sqlitestore/enginetest"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 10:00 in the stations' zone

// seededDir holds a closed data directory with the demo street, made once by TestMain.
var seededDir string

func TestMain(m *testing.M) {
	hubtest.Main(m, &seededDir, "console-seeded-", openSQLite, seed.DefaultSeed, t0)
}

func openSQLite(ctx context.Context, dir string, now func() time.Time) (hubtest.SeedStore, error) {
	return sqlitestore.Open(ctx, dir, sqlitestore.Options{Now: now})
}

var cheapArgon = console.ArgonParams{Time: 1, Memory: 64, Threads: 1}

const (
	deptCode  = "JD-CG" // 街道城管科, the department of the fixture's department user
	otherDept = "Q-ZJ"
	password  = "correct horse"
)

type fixture struct {
	st    *sqlitestore.Store
	con   *console.Console
	srv   *httptest.Server
	clk   *clocktest.Clock
	kiosk *storetest.Facts // the kiosk the fixture's cases are submitted on
	n     int
	media string // the hub's media directory (representatives' photos under reps/)
	ended *endedSessions
}

// endedSessions records the devices whose sessions the console ended.
type endedSessions struct {
	mu  sync.Mutex
	ids []string
}

func (e *endedSessions) end(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ids = append(e.ids, id)
	return true
}

func (e *endedSessions) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.ids...)
}

// newFixture serves the console over a copy of the demo street, with accounts admin,
// wangzr (staff, 王主任), zhujianju (department 街道城管科) and daibiao (representative HX01-R01).
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith is newFixture with the console's configuration changed by edit.
func newFixtureWith(t *testing.T, edit func(*console.Config)) *fixture {
	t.Helper()
	clk := clocktest.New(t0)
	st := enginetest.OpenSeeded(t, seededDir, seed.DefaultSeed, t0, sqlitestore.Options{Now: clk.Now})
	media := t.TempDir()
	ended := &endedSessions{}
	cfg := console.Config{PublicURL: "https://hub.test", Now: clk.Now, Argon: cheapArgon,
		Heartbeat: 50 * time.Millisecond, MediaDir: media, EndSession: ended.end, HotWords: reportTokenizer}
	if edit != nil {
		edit(&cfg)
	}
	con := console.New(cfg, st, nil)
	for _, u := range []console.NewUser{
		{Login: "admin", Name: "管理员", Role: "admin"},
		{Login: "wangzr", Name: "王主任", Role: "staff"},
		{Login: "zhujianju", Name: "朱建军", Role: "department", DeptCode: deptCode},
		{Login: "daibiao", Name: "张三", Role: "representative", RepID: "HX01-R01"},
	} {
		u.Password = password
		if _, err := con.Accounts().Add(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	mux := http.NewServeMux()
	con.Mount(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{st: st, con: con, srv: srv, clk: clk, media: media, ended: ended}
}

// client is a browser: a cookie jar and the CSRF token of its session.
type client struct {
	f    *fixture
	http *http.Client
	csrf string
	tok  string // an API token instead of the cookie
}

func (f *fixture) anonymous(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{f: f, http: &http.Client{Jar: jar}}
}

// login signs in and fails the test if that does not work.
func (f *fixture) login(t *testing.T, login string) *client {
	t.Helper()
	c := f.anonymous(t)
	resp, body := c.do(t, "POST", "/api/v1/login", map[string]string{"login": login, "password": password})
	if resp.StatusCode != 200 {
		t.Fatalf("login %s: %d %s", login, resp.StatusCode, body)
	}
	var me console.Me
	if err := json.Unmarshal(body, &me); err != nil || me.CSRF == "" {
		t.Fatalf("login %s: %s", login, body)
	}
	c.csrf = me.CSRF
	return c
}

// token is a client with an API token of login and no cookie.
func (f *fixture) token(t *testing.T, login string) *client {
	t.Helper()
	tok, err := f.con.Accounts().CreateToken(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return &client{f: f, http: &http.Client{}, tok: tok}
}

func (c *client) req(t *testing.T, method, path string, body any, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	h := map[string]string{}
	if c.tok != "" {
		h["Authorization"] = "Bearer " + c.tok
	}
	for k, v := range header {
		h[k] = v
	}
	return hubtest.Do(t, c.http, method, c.f.srv.URL+path, body, h)
}

// do sends a request with the session's CSRF token on unsafe methods.
func (c *client) do(t *testing.T, method, path string, body any) (*http.Response, []byte) {
	t.Helper()
	h := map[string]string{}
	if method != "GET" && c.csrf != "" {
		h[console.CSRFHeader] = c.csrf
	}
	return c.req(t, method, path, body, h)
}

func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e console.APIError
	if err := json.Unmarshal(body, &e); err != nil || e.Message == "" {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e.Code
}

var staff = domain.Actor{Role: domain.RoleStaff, ID: "setup", Name: "测试（街道人大工委）"}

// newCase submits a case through a kiosk and takes it, as staff, to state: submitted,
// accepted, assigned (to dept), in_progress, replied or closed.
func (f *fixture) newCase(t *testing.T, state domain.State, dept string) domain.Case {
	t.Helper()
	ctx := context.Background()
	if f.kiosk == nil {
		f.kiosk = &storetest.Facts{Dev: storetest.Pair(t, f.st, seed.StationCode, store.RoleKiosk, ""), Now: f.clk.Now}
	}
	f.n++
	number := fmt.Sprintf("%s20261123-%04d", domain.CaseNumberPrefix(seed.StationCode, f.kiosk.Dev.Code), f.n)
	ev := f.kiosk.SubmissionOf(t, number, domain.CaseSubmitted{Number: number, Category: "env",
		Text: fmt.Sprintf("第%d件：小区路灯不亮，晚上出行不便", f.n), Community: "幸福里社区", Phone: "13800000000"})
	if _, err := f.st.ApplyFacts(ctx, f.kiosk.Dev.ID, []domain.Event{ev}); err != nil {
		t.Fatal(err)
	}
	steps := map[domain.State][]struct {
		kind    domain.Kind
		actor   domain.Actor
		payload any
	}{}
	accept := struct {
		kind    domain.Kind
		actor   domain.Actor
		payload any
	}{domain.KindCaseAccepted, staff, domain.CaseAccepted{RepID: "HX01-R01", RepName: "张三"}}
	assign := accept
	assign.kind, assign.payload = domain.KindCaseAssigned, domain.CaseAssigned{DeptCode: dept, DeptName: dept, Due: t0.Add(72 * time.Hour)}
	progress := assign
	progress.kind, progress.actor, progress.payload = domain.KindCaseProgress,
		domain.Actor{Role: domain.RoleDepartment, ID: dept, Name: dept}, domain.CaseNote{Note: "已派人查看"}
	reply := accept
	reply.kind, reply.payload = domain.KindCaseReplied, domain.CaseReplied{Reply: "路灯已修复"}
	closeIt := accept
	closeIt.kind, closeIt.payload = domain.KindCaseClosed, domain.CaseNote{Note: "已办结"}
	steps[domain.StateAccepted] = append(steps[domain.StateAccepted], accept)
	steps[domain.StateAssigned] = append(steps[domain.StateAccepted], assign)
	steps[domain.StateInProgress] = append(steps[domain.StateAssigned], progress)
	steps[domain.StateReplied] = append(steps[domain.StateAssigned], reply)
	steps[domain.StateClosed] = append(steps[domain.StateReplied], closeIt)
	for _, s := range steps[state] {
		if _, err := f.st.Act(ctx, ev.Stream, s.kind, s.actor, s.payload); err != nil {
			t.Fatalf("take case to %s: %v", state, err)
		}
	}
	c, err := f.st.Case(ctx, ev.Stream)
	if err != nil || c.State != state && state != domain.StateSubmitted {
		t.Fatalf("case in %s, want %s (%v)", c.State, state, err)
	}
	return c
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// openStream opens the event stream as login and waits for its first line, after which the
// subscription is in place. The returned func closes it.
func (f *fixture) openStream(t *testing.T, login string) (<-chan string, func()) {
	t.Helper()
	c := f.token(t, login)
	ctx, cancel := context.WithCancel(context.Background())
	r, _ := http.NewRequestWithContext(ctx, "GET", f.srv.URL+"/api/v1/events/stream", nil)
	r.Header.Set("Authorization", "Bearer "+c.tok)
	resp, err := http.DefaultClient.Do(r)
	if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		t.Fatalf("stream: %v %v", resp, err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	if l := <-lines; !strings.HasPrefix(l, "retry:") {
		cancel()
		t.Fatalf("first line %q", l)
	}
	return lines, func() { cancel(); resp.Body.Close() }
}
