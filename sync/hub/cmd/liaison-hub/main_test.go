package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runIn(t, "", args...)
}

// runIn runs a command with stdin as its standard input.
func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVersionAndUsage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"version", []string{"version"}, 0, "liaison-hub dev"},
		{"help", []string{"help"}, 0, "device add --station"},
		{"unknown", []string{"frobnicate"}, 2, ""},
		{"bad flag", []string{"seed", "--nope"}, 2, ""},
	}
	for _, tc := range cases {
		code, out, _ := runCmd(t, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) {
			t.Errorf("%s: exit %d, output %q", tc.name, code, out)
		}
	}
}

func TestCommandsOnOneDataDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"device", "add", "--station", "HX01", "--role", "kiosk", "--data", dir}, 1, ""},
		{[]string{"seed", "--data", dir}, 0, "demo street HX01 loaded"},
		{[]string{"seed", "--data", dir}, 0, "already loaded"},
		{[]string{"device", "add", "--station", "HX01", "--role", "kiosk", "--name", "大厅", "--data", dir}, 0, "pairing code: "},
		{[]string{"device", "add", "--station", "HX01", "--role", "printer", "--data", dir}, 1, ""},
		{[]string{"station", "add", "--code", "HX02", "--name", "测试二站", "--communities", "甲社区,乙社区", "--data", dir}, 2, ""},
		{[]string{"device", "list", "--data", dir}, 0, "STATION"},
		{[]string{"case", "list", "--state", "submitted", "--data", dir}, 0, "HX01-D0-"},
		{[]string{"verify", "--data", dir}, 0, "hash chain intact"},
		{[]string{"rebuild", "--data", dir}, 0, "projections rebuilt from"},
		{[]string{"token", "--data", dir}, 2, ""},
		{[]string{"token", "create", "--user", "wangzr", "--data", dir}, 1, ""},
	}
	for _, st := range steps {
		code, out, errOut := runCmd(t, st.args...)
		if code != st.code || !strings.Contains(out, st.want) {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, out, errOut)
		}
	}
	users := []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"secret-pass-1\n", []string{"user", "add", "wangzr", "--role", "staff", "--name", "王主任", "--password-stdin"}, 0, "王主任（街道人大工委）"},
		{"secret-pass-1\n", []string{"user", "add", "wangzr", "--role", "staff", "--password-stdin"}, 1, ""},
		{"short\n", []string{"user", "add", "li", "--role", "staff", "--password-stdin"}, 1, ""},
		{"secret-pass-2\n", []string{"user", "add", "zhujianju", "--role", "department", "--dept", "JD-CG", "--name", "朱建军", "--password-stdin"}, 0, "朱建军（街道城管科）"},
		{"secret-pass-2\n", []string{"user", "add", "nobody", "--role", "department", "--dept", "NOPE", "--password-stdin"}, 1, ""},
		{"", []string{"user", "add", "x1", "--role", "staff"}, 2, ""},
		{"", []string{"user", "list"}, 0, "zhujianju"},
		{"new-secret-3\n", []string{"user", "password", "zhujianju", "--password-stdin"}, 0, "password of zhujianju changed"},
		{"", []string{"token", "create", "--user", "wangzr"}, 0, "lht_"},
	}
	for _, u := range users {
		code, out, errOut := runIn(t, u.stdin, append(u.args, "--data", dir)...)
		if code != u.code || !strings.Contains(out, u.want) {
			t.Fatalf("%v: exit %d, out %q, err %q", u.args, code, out, errOut)
		}
	}
	_, list, _ := runCmd(t, "case", "list", "--state", "submitted", "--data", dir)
	number := regexp.MustCompile(`HX01-D0-\d{8}-\d{4}`).FindString(list)
	if number == "" {
		t.Fatalf("no submitted case in %q", list)
	}
	acts := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"case", "act", number, "accept", "--rep", "HX01-R01"}, 2, ""},
		{[]string{"case", "act", number, "return", "--note", "x", "--user", "wangzr"}, 1, ""},
		{[]string{"case", "act", number, "accept", "--rep", "HX01-R01", "--user", "wangzr"}, 0, "now accepted"},
		{[]string{"case", "act", number, "assign", "--dept", "JD-CG", "--user", "zhujianju"}, 1, ""},
		{[]string{"case", "act", number, "assign", "--dept", "JD-CG", "--user", "wangzr"}, 0, "now assigned"},
		{[]string{"case", "act", number, "assign", "--dept", "JD-CG", "--due", "yesterday", "--user", "wangzr"}, 2, ""},
		{[]string{"case", "act", number, "progress", "--note", "已派人查看", "--user", "zhujianju"}, 0, "now in_progress"},
		{[]string{"case", "act", number, "reply", "--reply", "已处理", "--as", "department", "--user", "wangzr"}, 0, "now replied"},
		{[]string{"case", "act", "HX01-NOPE", "close", "--user", "wangzr"}, 1, ""},
		{[]string{"case", "show", number}, 0, "代表领办 · 王主任（街道人大工委）"},
		{[]string{"case", "show", "HX01-NOPE"}, 1, ""},
	}
	for _, a := range acts {
		code, out, errOut := runCmd(t, append(a.args, "--data", dir)...)
		if code != a.code || !strings.Contains(out, a.want) {
			t.Fatalf("%v: exit %d, out %q, err %q", a.args, code, out, errOut)
		}
	}
	// a refusal is worded from the catalogue, not a Go string
	if code, _, errOut := runCmd(t, "case", "act", number, "accept", "--rep", "HX01-R01", "--user", "wangzr", "--data", dir); code != 1 ||
		!strings.Contains(errOut, "事项当前的状态不能进行这项操作") {
		t.Fatalf("refused accept: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "user", "disable", "wangzr", "--data", dir); code != 0 {
		t.Fatalf("disable: %s", errOut)
	}
	if code, _, _ := runCmd(t, "case", "act", number, "close", "--user", "wangzr", "--data", dir); code != 1 {
		t.Fatalf("a disabled user acted: exit %d", code)
	}
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.CaseByNumber(context.Background(), number)
	evs, _ := st.StreamEvents(context.Background(), c.ID)
	st.Close()
	if err != nil || len(evs) < 4 {
		t.Fatalf("case %s: %d events, %v", number, len(evs), err)
	}
	if a := evs[len(evs)-2].Actor; a.Role != "department" || a.ID != "JD-CG" || a.Name != "朱建军（街道城管科）" {
		t.Fatalf("progress recorded as %+v", a)
	}
	if a := evs[len(evs)-3].Actor; a.ID != "wangzr" || a.Name != "王主任（街道人大工委）" {
		t.Fatalf("assignment recorded as %+v", a)
	}
	logged, err := os.ReadFile(filepath.Join(dir, LogFile))
	if err != nil || !bytes.Contains(logged, []byte(`"level":"ERROR"`)) {
		t.Fatalf("JSON log lacks the refused commands: %v", err)
	}

	// a claim made at a kiosk that arrives late shows, marked with why, beside its co-handler
	if st, err = sqlitestore.Open(context.Background(), dir, sqlitestore.Options{}); err != nil {
		t.Fatal(err)
	}
	kiosk := &storetest.Facts{Dev: storetest.Pair(t, st, c.Station, store.RoleKiosk, ""), Now: time.Now}
	_, err = st.ApplyFacts(context.Background(), kiosk.Dev.ID, []domain.Event{kiosk.Claim(t, c.ID, "HX01-R02", "李四")})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, out, errOut := runCmd(t, "case", "show", number, "--data", dir)
	for _, want := range []string{"代表领办 · 代表 李四", "由代表 李四 领办 (not applied: 事项当前的状态不能进行这项操作)",
		"增加协办代表 · 系统", "代表 李四 协同办理"} {
		if !strings.Contains(out, want) {
			t.Errorf("case show lacks %q: %s %s", want, out, errOut)
		}
	}
}

func TestServeRefusesBusyPortAndBadDir(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, errOut := runCmd(t, "--listen", ln.Addr().String(), "--data", t.TempDir())
	if code != 1 || !strings.Contains(errOut, "cannot listen") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("busy port: exit %d, stderr %q", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, "--data", filepath.Join(file, "sub"), "--listen", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "not usable") {
		t.Fatalf("bad data dir: exit %d, stderr %q", code, errOut)
	}
}

func TestServeUntilCancelled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Find a free port, then let the server take it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var errOut bytes.Buffer
	go func() {
		done <- run(ctx, []string{"--listen", addr, "--data", dir, "--seed-demo"}, strings.NewReader(""), &bytes.Buffer{}, &errOut)
	}()
	var h struct {
		Epoch   string `json:"epoch"`
		LastSeq int64  `json:"last_seq"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&h)
			resp.Body.Close()
			if err == nil && h.LastSeq > 0 {
				break
			}
		}
		select {
		case code := <-done:
			t.Fatalf("server exited %d early: %s", code, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not come up")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A test build embeds no frontend: the console says how to build it.
	resp, err := http.Get("http://" + addr + "/console/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(page), "控制台未构建（make hub 构建）") {
		t.Fatalf("console page: %d %q", resp.StatusCode, page)
	}
	// While it serves: backups are taken, a restore and a second server are refused.
	backups := t.TempDir()
	for i := 0; i < 2; i++ {
		code, out, errOut := runCmd(t, "backup", backups, "--keep", "1", "--data", dir)
		if code != 0 || !strings.Contains(out, "hash chain intact") {
			t.Fatalf("backup: exit %d, out %q, err %q", code, out, errOut)
		}
	}
	archives, err := filepath.Glob(filepath.Join(backups, "liaison-hub-*.tar.gz"))
	if err != nil || len(archives) != 1 {
		t.Fatalf("--keep 1 left %v (%v)", archives, err)
	}
	if code, _, errOut := runCmd(t, "restore", archives[0], "--data", dir); code != 1 || !strings.Contains(errOut, "a hub is running on") {
		t.Fatalf("restore under a serving hub: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "--listen", "127.0.0.1:0", "--data", dir); code != 1 || !strings.Contains(errOut, "already serving") {
		t.Fatalf("second server: exit %d, stderr %q", code, errOut)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after shutdown", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not shut down")
	}
	defer func() {
		code, out, errOut := runCmd(t, "restore", archives[0], "--data", dir)
		if code != 0 || !strings.Contains(out, "new epoch") || strings.Contains(out, h.Epoch) {
			t.Fatalf("restore: exit %d, out %q, err %q", code, out, errOut)
		}
	}()
	if !strings.Contains(errOut.String(), "liaison-hub user add admin --role admin") {
		t.Fatalf("no hint about the first administrator in %q", errOut.String())
	}
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Epoch() != h.Epoch {
		t.Fatalf("epoch changed across a clean restart: %s -> %s", h.Epoch, st.Epoch())
	}
}

// TestServeNotifiesSystemd: under systemd (NOTIFY_SOCKET, WATCHDOG_USEC) the hub says READY
// once it serves, pings the watchdog while its store answers, and says STOPPING on shutdown.
func TestServeNotifiesSystemd(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)
	t.Setenv("WATCHDOG_USEC", "200000")
	t.Setenv("WATCHDOG_PID", "")
	next := func() string {
		t.Helper()
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		buf := make([]byte, 64)
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("no message from the hub: %v", err)
		}
		return string(buf[:n])
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--data", t.TempDir()}, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	}()
	if got := next(); got != "READY=1" {
		t.Fatalf("first message %q", got)
	}
	for i := 0; i < 2; i++ {
		if got := next(); got != "WATCHDOG=1" {
			t.Fatalf("message %q, want a watchdog ping", got)
		}
	}
	cancel()
	for {
		if got := next(); got == "STOPPING=1" {
			break
		} else if got != "WATCHDOG=1" {
			t.Fatalf("message %q while stopping", got)
		}
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
}
