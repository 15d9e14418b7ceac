package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBadgeCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errOut := runCmd(t, "seed", "--data", dir); code != 0 {
		t.Fatalf("seed: %s", errOut)
	}
	addAdmin(t, dir)
	code, payload, errOut := runCmd(t, "badge", "issue", "--rep", "HX01-R01", "--payload-only", "--data", dir)
	if code != 0 || !strings.HasPrefix(payload, "LB1.") || strings.Count(payload, "\n") != 1 {
		t.Fatalf("issue: %d %q %q", code, payload, errOut)
	}
	steps := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"badge", "issue", "--rep", "HX01-R02", "--until", "2099-12-31", "--data", dir}, 0, "badge B0002"},
		{[]string{"badge", "issue", "--rep", "nobody", "--data", dir}, 1, ""},
		{[]string{"badge", "issue", "--rep", "HX01-R02", "--until", "31.12.2099", "--data", dir}, 2, ""},
		{[]string{"badge", "revoke", "B0001", "--reason", "遗失", "--data", dir}, 2, ""},
		{[]string{"badge", "revoke", "B0001", "--reason", "遗失", "--user", "lijie", "--data", dir}, 0, "revoked"},
		{[]string{"badge", "revoke", "B0001", "--user", "lijie", "--data", dir}, 1, ""},
		{[]string{"badge", "list", "--data", dir}, 0, "B0002"},
		{[]string{"badge", "frobnicate", "--data", dir}, 2, ""},
	}
	for _, st := range steps {
		code, out, errOut := runCmd(t, st.args...)
		if code != st.code || !strings.Contains(out, st.want) {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, out, errOut)
		}
	}
	sheet := filepath.Join(dir, "sheet.pdf")
	if code, out, errOut := runCmd(t, "badge", "sheet", "--pdf", sheet, "--data", dir); code != 0 || !strings.Contains(out, "1 badges on 1 pages") {
		t.Fatalf("sheet: %d %q %q", code, out, errOut)
	}
	b, err := os.ReadFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) || !bytes.Contains(b, []byte("/Count 1")) {
		t.Fatalf("sheet is not a one-page PDF: %q…", b[:min(len(b), 16)])
	}
	// Only revoked badges named: nothing to print, and no file written.
	none := filepath.Join(dir, "none.pdf")
	if code, _, errOut := runCmd(t, "badge", "sheet", "--pdf", none, "--data", dir, "B0001"); code == 0 || !strings.Contains(errOut, "no badge in force") {
		t.Fatalf("sheet of a revoked badge: %d %q", code, errOut)
	}
	if _, err := os.Stat(none); err == nil {
		t.Fatal("a sheet of nothing was written")
	}
}
