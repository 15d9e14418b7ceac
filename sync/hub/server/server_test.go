package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/hubtest"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/sqlitestore/enginetest"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
	"liaison/sync/protocol"
)

var _ Store = (*sqlitestore.Store)(nil)

// seededDir holds a closed hub data directory with the demo street, made once by TestMain and
// copied by the tests that need it: seeding takes seconds under the race detector.
var seededDir string

func TestMain(m *testing.M) {
	hubtest.Main(m, &seededDir, "hub-seeded-", func(ctx context.Context, dir string, now func() time.Time) (hubtest.SeedStore, error) {
		return sqlitestore.Open(ctx, dir, sqlitestore.Options{Now: now})
	}, seed.DefaultSeed, t0)
}

var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

type fixture struct {
	store *sqlitestore.Store
	srv   *httptest.Server
	clk   *clocktest.Clock
	reg   *prometheus.Registry
	token string // an admin's API token (王主任)
}

// cheapArgon keeps password hashing fast in tests.
var cheapArgon = console.ArgonParams{Time: 1, Memory: 64, Threads: 1}

// staffConsole makes the console over st with an admin, 王主任 (login wangzr), and returns
// it with an API token of theirs.
func staffConsole(t *testing.T, st *sqlitestore.Store, now func() time.Time, publicURL string) (*console.Console, string) {
	t.Helper()
	con := console.New(console.Config{PublicURL: publicURL, Now: now, Argon: cheapArgon}, st, nil)
	ctx := context.Background()
	if _, err := con.Accounts().Add(ctx, console.NewUser{Login: "wangzr", Name: "王主任", Role: "admin",
		Password: "test-password"}); err != nil {
		t.Fatal(err)
	}
	tok, err := con.Accounts().CreateToken(ctx, "wangzr")
	if err != nil {
		t.Fatal(err)
	}
	return con, tok
}

// newFixture opens a store in a temp dir, optionally seeded, and serves it with a sync
// handler that answers 418 so tests can see the mount point.
func newFixture(t *testing.T, seeded bool) *fixture {
	t.Helper()
	clk := clocktest.New(t0)
	opt := sqlitestore.Options{Now: clk.Now}
	var st *sqlitestore.Store
	if seeded {
		st = enginetest.OpenSeeded(t, seededDir, seed.DefaultSeed, t0, opt)
	} else {
		st = enginetest.Open(t, t.TempDir(), opt)
	}
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	syncH := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	con, tok := staffConsole(t, st, clk.Now, "https://hub.test")
	s := New(Config{Version: "1.2.3", PublicURL: "https://hub.test", Console: con,
		SignKey: st.Keys().SignPublicKey(), BoxKey: st.Keys().BoxPublicKey(), Now: clk.Now}, st, syncH, m, nil)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &fixture{store: st, srv: srv, clk: clk, reg: reg, token: tok}
}

func (f *fixture) do(t *testing.T, method, path, token string, body any) (*http.Response, []byte) {
	t.Helper()
	var h map[string]string
	if token != "" {
		h = map[string]string{"Authorization": "Bearer " + token}
	}
	return hubtest.Do(t, f.srv.Client(), method, f.srv.URL+path, body, h)
}

func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e APIError
	if err := json.Unmarshal(body, &e); err != nil || e.Message == "" {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e.Code
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	resp, body := f.do(t, "GET", "/healthz", "", nil)
	var h health
	if err := json.Unmarshal(body, &h); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz %d %s", resp.StatusCode, body)
	}
	if h.Version != "1.2.3" || h.Epoch != f.store.Epoch() || h.Store != "ok" || h.LastSeq != 0 {
		t.Fatalf("health %+v", h)
	}
	f.store.Close()
	resp, body = f.do(t, "GET", "/healthz", "", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"unavailable"`) {
		t.Fatalf("healthz with a closed store: %d %s", resp.StatusCode, body)
	}
}

func TestMetricsAndSyncMount(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	if resp, _ := f.do(t, "GET", "/sync", "", nil); resp.StatusCode != http.StatusTeapot {
		t.Fatalf("/sync answered %d, want the mounted handler's 418", resp.StatusCode)
	}
	m, _ := NewMetrics(prometheus.NewRegistry())
	m.ObserveLastSeq(0, 5)
	f.do(t, "GET", "/healthz", "", nil)
	resp, body := f.do(t, "GET", "/metrics", "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("metrics %d", resp.StatusCode)
	}
	for _, want := range []string{`liaison_hub_http_requests_total{code="200",route="GET /healthz"} 1`,
		`liaison_hub_http_requests_total{code="418",route="/sync"} 1`, "liaison_hub_log_last_seq 0"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

func TestObserveLastSeqCountsAppends(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.ObserveLastSeq(10, 14)
	m.ObserveLastSeq(14, 14)
	m.ObserveLastSeq(14, 20)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, fam := range families {
		for _, mm := range fam.GetMetric() {
			if c := mm.GetCounter(); c != nil {
				got[fam.GetName()] = c.GetValue()
			}
			if g := mm.GetGauge(); g != nil {
				got[fam.GetName()] = g.GetValue()
			}
		}
	}
	if got["liaison_hub_events_appended_total"] != 10 || got["liaison_hub_log_last_seq"] != 20 {
		t.Fatalf("metrics %v", got)
	}
}

func TestPair(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := context.Background()
	pc, err := f.store.CreatePairingCode(ctx, seed.StationCode, store.RoleKiosk, "大厅")
	if err != nil {
		t.Fatal(err)
	}
	expiring, err := f.store.CreatePairingCode(ctx, seed.StationCode, store.RoleWall, "")
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	key := base64.StdEncoding.EncodeToString(pub)
	resp, body := f.do(t, "POST", "/api/v1/pair", "", protocol.PairRequest{Code: pc.Code, PublicKey: key, Name: "一楼大厅"})
	if resp.StatusCode != 200 {
		t.Fatalf("pair %d %s", resp.StatusCode, body)
	}
	var pr protocol.PairResponse
	if err := json.Unmarshal(body, &pr); err != nil {
		t.Fatal(err)
	}
	sign := base64.StdEncoding.EncodeToString(f.store.Keys().SignPublicKey())
	boxKey := f.store.Keys().BoxPublicKey()
	if pr.DeviceCode != "K1" || pr.Station != seed.StationCode || pr.StationName == "" || pr.Role != "kiosk" ||
		pr.HubURL != "https://hub.test" || pr.HubSignKey != sign ||
		pr.HubBoxKey != base64.StdEncoding.EncodeToString(boxKey[:]) || pr.DeviceID == "" {
		t.Fatalf("pair response %+v", pr)
	}
	d, err := f.store.Device(ctx, pr.DeviceID)
	if err != nil || !d.PublicKey.Equal(pub) {
		t.Fatalf("enrolled device %+v, %v", d, err)
	}
	f.clk.Advance(store.PairingTTL + time.Second)
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"used", protocol.PairRequest{Code: pc.Code, PublicKey: key}, 403, CodePairingUsed},
		{"expired", protocol.PairRequest{Code: expiring.Code, PublicKey: key}, 403, CodePairingExpired},
		{"wrong", protocol.PairRequest{Code: "ZZZZZZZZ", PublicKey: key}, 403, CodePairingUnknown},
		{"bad key", protocol.PairRequest{Code: expiring.Code, PublicKey: "AAAA"}, 400, "bad_public_key"},
		{"unknown field", map[string]string{"code": "x", "pubkey": key}, 400, "bad_request"},
	}
	for _, tc := range cases {
		resp, body := f.do(t, "POST", "/api/v1/pair", "", tc.body)
		if resp.StatusCode != tc.status || errorCode(t, body) != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, resp.StatusCode, body, tc.status, tc.code)
		}
	}
}

func TestStaffAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	for _, tok := range []string{"", "wrong", f.token + "x"} {
		resp, body := f.do(t, "GET", "/api/v1/cases", tok, nil)
		if resp.StatusCode != 401 || errorCode(t, body) != "unauthorized" {
			t.Errorf("token %q: %d %s", tok, resp.StatusCode, body)
		}
	}
	resp, body := f.do(t, "GET", "/api/v1/cases", f.token, nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"cases":[]`) {
		t.Fatalf("empty list: %d %s", resp.StatusCode, body)
	}
}

func TestListCases(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	cases := []struct {
		query  string
		status int
		min    int
	}{
		{"", 200, seed.CaseCount},
		{"?state=replied", 200, 1},
		{"?state=replied&station=NOPE", 200, 0},
		{"?state=bogus", 400, 0},
	}
	for _, tc := range cases {
		resp, body := f.do(t, "GET", "/api/v1/cases"+tc.query, f.token, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%q: %d %s", tc.query, resp.StatusCode, body)
			continue
		}
		if tc.status != 200 {
			continue
		}
		var l console.CaseList
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		if l.Total < tc.min || (tc.min == 0 && l.Total != 0) || len(l.Cases) != min(l.Total, console.DefaultPerPage) {
			t.Errorf("%q: %d cases of %d", tc.query, len(l.Cases), l.Total)
		}
		if strings.Contains(tc.query, "state=replied") {
			for _, c := range l.Cases {
				if c.State != domain.StateReplied {
					t.Errorf("%q returned a %s case", tc.query, c.State)
				}
			}
		}
	}
}

// submit puts a fresh submitted case in the store through a paired kiosk.
func submit(t *testing.T, f *fixture, number string) domain.Case {
	t.Helper()
	ctx := context.Background()
	d := storetest.Pair(t, f.store, seed.StationCode, store.RoleKiosk, "")
	// The number is the paired device's own: its station and code, then the test's day and counter.
	number = domain.CaseNumberPrefix(d.Station, d.Code) + strings.TrimPrefix(number, "HX01-K1-")
	data, _ := json.Marshal(domain.CaseSubmitted{Number: number, Token: "tok-" + number, Category: "env",
		Text: "测试：我的电话13800000000，楼下垃圾未清运", Community: "幸福里社区", Building: "3号楼",
		Phone: "13800000000", ResidentID: "R-00000000000000000009", SurnameMask: "张*"})
	ev := domain.Event{ID: domain.NewEventID(), Device: d.ID, DevSeq: 1, Station: seed.StationCode,
		Stream: domain.NewEventID(), Kind: domain.KindCaseSubmitted, At: f.clk.Now(),
		Actor: domain.Actor{Role: domain.RoleResident, ID: "R-00000000000000000009", Name: "张*"}, Data: data}
	if _, err := f.store.ApplyFacts(ctx, d.ID, []domain.Event{ev}); err != nil {
		t.Fatal(err)
	}
	c, err := f.store.CaseByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCaseActions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	c := submit(t, f, "HX01-K1-20261123-0001")
	other := submit(t, f, "HX01-K1-20261123-0002")
	steps := []struct {
		name   string
		ref    string // id or number in the path
		action string
		body   any
		status int
		code   string
		state  domain.State
	}{
		{"return too early", c.ID, "return", console.ActionRequest{Note: "不归我们管"}, 409, "transition_state", domain.StateSubmitted},
		{"accept", c.Number, "accept", console.ActionRequest{RepID: "HX01-R01", RepName: "张三"}, 200, "", domain.StateAccepted},
		{"accept without rep", c.ID, "accept", console.ActionRequest{}, 400, "unknown_representative", domain.StateAccepted},
		{"assign unknown dept", c.ID, "assign", console.ActionRequest{DeptCode: "NOPE"}, 400, "unknown_department", domain.StateAccepted},
		{"assign", c.ID, "assign", console.ActionRequest{DeptCode: "JD-CG"}, 200, "", domain.StateAssigned},
		{"progress", c.ID, "progress", console.ActionRequest{Note: "已安排清运，联系电话13900000000"}, 200, "", domain.StateInProgress},
		{"supervise", c.ID, "supervise", console.ActionRequest{Note: "请加快办理"}, 200, "", domain.StateInProgress},
		{"return", c.ID, "return", console.ActionRequest{Note: "地址不详"}, 200, "", domain.StateReturned},
		{"assign again", c.ID, "assign", console.ActionRequest{DeptCode: "WY"}, 200, "", domain.StateAssigned},
		{"reply", c.ID, "reply", console.ActionRequest{Reply: "垃圾已清运", As: "department"}, 200, "", domain.StateReplied},
		{"merge after reply", c.ID, "merge", console.ActionRequest{Into: other.Number}, 409, "transition_state", domain.StateReplied},
		{"close", c.ID, "close", console.ActionRequest{}, 200, "", domain.StateClosed},
		{"unknown action", c.ID, "explode", nil, 404, "unknown_action", domain.StateClosed},
		{"unknown case", "HX01-NOPE", "close", nil, 404, "case_not_found", domain.StateClosed},
		{"merge", other.ID, "merge", console.ActionRequest{Into: c.Number}, 200, "", ""},
	}
	for _, st := range steps {
		resp, body := f.do(t, "POST", "/api/v1/cases/"+st.ref+"/"+st.action, f.token, st.body)
		if resp.StatusCode != st.status {
			t.Fatalf("%s: %d %s, want %d", st.name, resp.StatusCode, body, st.status)
		}
		if st.code != "" && errorCode(t, body) != st.code {
			t.Fatalf("%s: code %s, want %s", st.name, errorCode(t, body), st.code)
		}
		if st.code == domain.CodeTransitionState {
			// a refusal names its registered reason, for a client to word
			var e APIError
			if err := json.Unmarshal(body, &e); err != nil || e.Reason != domain.CodeStateForbidden ||
				e.Params["state"] != string(st.state) || e.Params["kind"] == "" {
				t.Fatalf("%s: refusal %s", st.name, body)
			}
		}
		if st.state == "" {
			continue
		}
		got, err := f.store.Case(context.Background(), c.ID)
		if err != nil || got.State != st.state {
			t.Fatalf("%s: state %s (%v), want %s", st.name, got.State, err, st.state)
		}
	}
	merged, _ := f.store.Case(context.Background(), other.ID)
	if merged.State != domain.StateMerged || merged.MergedInto != c.ID {
		t.Fatalf("merged case %s into %q", merged.State, merged.MergedInto)
	}
	resp, body := f.do(t, "GET", "/api/v1/cases/"+c.Number, f.token, nil)
	var d console.CaseDetail
	if err := json.Unmarshal(body, &d); err != nil || resp.StatusCode != 200 {
		t.Fatalf("detail %d %s", resp.StatusCode, body)
	}
	if d.Case.ID != c.ID || len(d.Timeline) != 9 || d.Timeline[0].Kind != domain.KindCaseSubmitted {
		t.Fatalf("detail: case %s, %d timeline events", d.Case.ID, len(d.Timeline))
	}
	if d.StatusURL != "https://hub.test/c/"+c.Number+"?t="+c.Token {
		t.Fatalf("status url %s", d.StatusURL)
	}
}

func TestStatusPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	c := submit(t, f, "HX01-K1-20261123-0003")
	for _, a := range []struct {
		action string
		body   console.ActionRequest
	}{
		{"accept", console.ActionRequest{RepID: "HX01-R02", RepName: "李四"}},
		{"assign", console.ActionRequest{DeptCode: "JD-CG"}},
		{"progress", console.ActionRequest{Note: "已联系13900000000处理"}},
	} {
		if resp, body := f.do(t, "POST", "/api/v1/cases/"+c.ID+"/"+a.action, f.token, a.body); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", a.action, resp.StatusCode, body)
		}
	}
	resp, body := f.do(t, "GET", "/c/"+c.Number+"?t="+c.Token, "", nil)
	page := string(body)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status page %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{`lang="zh-CN"`, "viewport", c.Number, "环境卫生", "张*", "和谐街道人大代表联络站",
		"办理中", "代表 李四", "街道城管科", "王主任（街道人大工委）", domain.ScrubbedNumber} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, leak := range []string{"13800000000", "13900000000", "R-00000000000000000009", "3号楼", "楼下垃圾未清运"} {
		if strings.Contains(page, leak) {
			t.Errorf("page shows personal data %q", leak)
		}
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Error("status page may leak its token in the Referer header")
	}
	for _, path := range []string{"/c/" + c.Number + "?t=wrong", "/c/" + c.Number, "/c/HX01-NOPE?t=" + c.Token} {
		resp, body := f.do(t, "GET", path, "", nil)
		if resp.StatusCode != 404 || strings.Contains(string(body), c.Number) {
			t.Errorf("%s: %d, shows the case: %v", path, resp.StatusCode, strings.Contains(string(body), c.Number))
		}
	}
}

// serve runs s on a fresh local port until cancel is called; done then receives what Serve
// returned.
func serve(t *testing.T, s *Server) (ln net.Listener, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan error, 1)
	go func() { ch <- s.Serve(ctx, ln) }()
	return ln, cancel, ch
}

func TestServeShutsDownGracefully(t *testing.T) {
	t.Parallel()
	st, err := sqlitestore.Open(context.Background(), t.TempDir(), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	started, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		w.WriteHeader(http.StatusNoContent)
	})
	s := New(Config{Version: "t"}, st, slow, nil, nil)
	ln, cancel, done := serve(t, s)
	got := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/sync")
		if err != nil {
			got <- -1
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	<-started
	cancel()
	// A request in flight finishes; new connections are refused meanwhile.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still accepting after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if code := <-got; code != http.StatusNoContent {
		t.Fatalf("request in flight got %d", code)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func TestDevicesAPI(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"unknown station", PairingCodeRequest{Station: "NOPE", Role: "kiosk"}, 400, "unknown_station"},
		{"bad role", PairingCodeRequest{Station: seed.StationCode, Role: "printer"}, 400, "bad_role"},
		{"garbage", "x", 400, "bad_request"},
	}
	for _, tc := range cases {
		resp, body := f.do(t, "POST", "/api/v1/pairing-codes", f.token, tc.body)
		if resp.StatusCode != tc.status || errorCode(t, body) != tc.code {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
	if resp, _ := f.do(t, "POST", "/api/v1/pairing-codes", "", PairingCodeRequest{}); resp.StatusCode != 401 {
		t.Fatalf("pairing code without a token: %d", resp.StatusCode)
	}
	resp, body := f.do(t, "POST", "/api/v1/pairing-codes", f.token,
		PairingCodeRequest{Station: seed.StationCode, Role: "wall", Name: "大屏"})
	var pc PairingCodeJSON
	if err := json.Unmarshal(body, &pc); err != nil || resp.StatusCode != 201 || len(pc.Code) != store.PairingLength {
		t.Fatalf("pairing code: %d %s", resp.StatusCode, body)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	resp, body = f.do(t, "POST", "/api/v1/pair", "", protocol.PairRequest{Code: pc.Code, PublicKey: base64.StdEncoding.EncodeToString(pub)})
	var pr protocol.PairResponse
	if err := json.Unmarshal(body, &pr); err != nil || resp.StatusCode != 200 || pr.DeviceCode != "W1" {
		t.Fatalf("pair: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do(t, "GET", "/api/v1/devices", f.token, nil)
	var dl DeviceList
	if err := json.Unmarshal(body, &dl); err != nil || resp.StatusCode != 200 || len(dl.Devices) != 1 ||
		dl.Devices[0].Name != "大屏" || dl.Devices[0].PublicKey != base64.StdEncoding.EncodeToString(pub) {
		t.Fatalf("devices: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do(t, "POST", "/api/v1/devices/"+pr.DeviceID+"/revoke", f.token, nil); resp.StatusCode != 204 {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if resp, body := f.do(t, "POST", "/api/v1/devices/nobody/revoke", f.token, nil); resp.StatusCode != 404 || errorCode(t, body) != "device_not_found" {
		t.Fatalf("revoke unknown: %d %s", resp.StatusCode, body)
	}
	d, err := f.store.Device(context.Background(), pr.DeviceID)
	if err != nil || !d.Revoked {
		t.Fatalf("device after revoke %+v, %v", d, err)
	}
	// The audit trail names the person whose token revoked it, not the office.
	evs, err := f.store.StreamEvents(context.Background(), "device:"+pr.DeviceID)
	want := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}
	if err != nil || len(evs) != 1 || evs[0].Kind != domain.KindDeviceRevoked || evs[0].Actor != want {
		t.Fatalf("device.revoked events %+v, %v; want one by %+v", evs, err, want)
	}
}

func TestPairingAttemptsAreLimited(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	key := base64.StdEncoding.EncodeToString(pub)
	for i := range DefaultPairFailures {
		resp, body := f.do(t, "POST", "/api/v1/pair", "", protocol.PairRequest{Code: fmt.Sprintf("AAAA%04d", i), PublicKey: key})
		if resp.StatusCode != 403 {
			t.Fatalf("attempt %d: %d %s", i, resp.StatusCode, body)
		}
	}
	pc, err := f.store.CreatePairingCode(context.Background(), seed.StationCode, store.RoleKiosk, "")
	if err != nil {
		t.Fatal(err)
	}
	// Even the right code is refused while the client is blocked …
	resp, body := f.do(t, "POST", "/api/v1/pair", "", protocol.PairRequest{Code: pc.Code, PublicKey: key})
	if resp.StatusCode != http.StatusTooManyRequests || errorCode(t, body) != CodePairingLimited {
		t.Fatalf("blocked client: %d %s", resp.StatusCode, body)
	}
	// … and accepted once the window has passed.
	f.clk.Advance(DefaultPairWindow)
	pc, err = f.store.CreatePairingCode(context.Background(), seed.StationCode, store.RoleKiosk, "")
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := f.do(t, "POST", "/api/v1/pair", "", protocol.PairRequest{Code: pc.Code, PublicKey: key}); resp.StatusCode != 200 {
		t.Fatalf("after the window: %d %s", resp.StatusCode, body)
	}
}
