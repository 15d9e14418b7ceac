package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRefCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addAdmin(t, dir)
	file := filepath.Join(dir, "depts.json")
	if err := os.WriteFile(file, []byte("\xef\xbb\xbf"+`[{"code":"JD-CG","name":"街道城管科","contact":"李四"},
		{"code":"Q-ZJ","name":"区住建局"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		stdin   string
		args    []string
		code    int
		want    string
		wantErr string
	}{
		{"", []string{"ref", "put", "station", "-"}, 0, "1 saved, 0 unchanged", ""},
		{"", []string{"ref", "put", "department", file}, 0, "2 saved, 0 unchanged", ""},
		// the same file again changes nothing
		{"", []string{"ref", "put", "department", file}, 0, "0 saved, 2 unchanged", ""},
		{"", []string{"ref", "list", "department"}, 0, "区住建局", ""},
		{"", []string{"ref", "retire", "department", "Q-ZJ"}, 0, "department Q-ZJ retired", ""},
		{"", []string{"ref", "retire", "department", "Q-ZJ"}, 0, "already retired", ""},
		{"", []string{"ref", "list", "department"}, 0, "retired", ""},
		{"", []string{"ref", "restore", "department", "Q-ZJ"}, 0, "department Q-ZJ active", ""},
		{"", []string{"ref", "list", "department", "--json"}, 0, `"contact": "李四"`, ""},
		{"", []string{"ref", "retire", "department", "Q-XX"}, 1, "", "not found"},
		// a representative of a station that does not exist: refused with the reason
		{`{"id":"HX01-R01","name":"张三","level":"区","stations":["HX09"]}`, []string{"ref", "put", "representative", "-"},
			1, "", "引用的 HX09 不存在"},
		{`{"id":"HX01-R01","name":"张三","level":"区","stations":["HX01"]}`, []string{"ref", "put", "representative", "-"},
			0, "1 saved", ""},
		{"", []string{"ref", "list", "representative", "--station", "HX01"}, 0, "张三", ""},
		{"", []string{"ref", "list", "representative", "--station", "HX02"}, 0, "KEY", ""},
		{"", []string{"ref", "retire", "words", "sensitive"}, 2, "", "not retired"},
		{"", []string{"ref", "list", "planet"}, 2, "", "KIND is one of org_node, station"},
		{"", []string{"ref", "put", "department"}, 2, "", "usage"},
		{"not json", []string{"ref", "put", "department", "-"}, 1, "", "not JSON"},
	}
	for i, st := range steps {
		stdin := st.stdin
		if i == 0 {
			stdin = `{"code":"HX01","name":"和谐街道联络站","communities":["幸福里社区"]}`
		}
		args := append(st.args, "--data", dir)
		if st.args[1] != "list" {
			args = append(args, "--user", "lijie")
		}
		code, out, errOut := runIn(t, stdin, args...)
		if code != st.code || !strings.Contains(out, st.want) || !strings.Contains(errOut, st.wantErr) {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, out, errOut)
		}
	}
	// list --json reads back with put, changing nothing
	_, list, _ := runCmd(t, "ref", "list", "department", "--json", "--data", dir)
	if code, out, errOut := runIn(t, list, "ref", "put", "department", "-", "--user", "lijie", "--data", dir); code != 0 || out != "0 saved, 2 unchanged\n" {
		t.Fatalf("round trip: %d %q %q", code, out, errOut)
	}
	if _, out, _ := runCmd(t, "ref", "list", "representative", "--station", "HX02", "--data", dir); strings.Contains(out, "张三") {
		t.Errorf("another station's representative listed: %q", out)
	}
}
