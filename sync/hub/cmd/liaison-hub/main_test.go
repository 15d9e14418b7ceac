package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"liaison/sync/hub/sqlitestore"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
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
		{[]string{"station", "add", "--code", "HX02", "--name", "测试二站", "--communities", "甲社区,乙社区", "--data", dir}, 0, "station HX02"},
		{[]string{"device", "list", "--data", dir}, 0, "STATION"},
		{[]string{"case", "list", "--state", "submitted", "--data", dir}, 0, "HX01-D0-"},
		{[]string{"verify", "--data", dir}, 0, "hash chain intact"},
		{[]string{"rebuild", "--data", dir}, 0, "projections rebuilt from"},
		{[]string{"token", "--data", dir}, 0, ""},
	}
	for _, st := range steps {
		code, out, errOut := runCmd(t, st.args...)
		if code != st.code || !strings.Contains(out, st.want) {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, out, errOut)
		}
	}
	tok, err := os.ReadFile(filepath.Join(dir, "staff.token"))
	if err != nil || len(strings.TrimSpace(string(tok))) < 32 {
		t.Fatalf("staff token %q, %v", tok, err)
	}
	if st, err := os.Stat(filepath.Join(dir, "staff.token")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("staff token mode %v, %v", st.Mode(), err)
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
		{[]string{"case", "act", number, "return", "--note", "x"}, 1, ""},
		{[]string{"case", "show", number}, 0, "提交 · "},
		{[]string{"case", "act", number, "accept", "--rep", "HX01-R01", "--rep-name", "张三"}, 0, "now accepted"},
		{[]string{"case", "act", number, "assign", "--dept", "JD-CG", "--by", "测试"}, 0, "now assigned"},
		{[]string{"case", "act", number, "assign", "--dept", "JD-CG", "--due", "yesterday"}, 2, ""},
		{[]string{"case", "act", number, "reply", "--reply", "已处理", "--as", "department"}, 0, "now replied"},
		{[]string{"case", "act", "HX01-NOPE", "close"}, 1, ""},
		{[]string{"case", "show", number}, 0, "代表领办 · 街道人大工委  由代表 张三 领办"},
		{[]string{"case", "show", "HX01-NOPE"}, 1, ""},
	}
	for _, a := range acts {
		code, out, errOut := runCmd(t, append(a.args, "--data", dir)...)
		if code != a.code || !strings.Contains(out, a.want) {
			t.Fatalf("%v: exit %d, out %q, err %q", a.args, code, out, errOut)
		}
	}
	// the refusal is worded from the catalogue, not a Go string
	if code, _, errOut := runCmd(t, "case", "act", number, "accept", "--rep", "HX01-R01", "--data", dir); code != 1 ||
		!strings.Contains(errOut, "事项当前的状态不能进行这项操作") {
		t.Fatalf("refused accept: exit %d, stderr %q", code, errOut)
	}
	logged, err := os.ReadFile(filepath.Join(dir, LogFile))
	if err != nil || !bytes.Contains(logged, []byte(`"level":"ERROR"`)) {
		t.Fatalf("JSON log lacks the refused commands: %v", err)
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
		done <- run(ctx, []string{"--listen", addr, "--data", dir, "--seed-demo"}, &bytes.Buffer{}, &errOut)
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
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after shutdown", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not shut down")
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
