package main

import (
	"context"
	"strings"
	"testing"

	"liaison/sync/hub/sqlitestore"
	"liaison/sync/pgdb/pgtest"
)

// The subcommands work on a PostgreSQL database given by --db, from any data directory: what
// one hub's tools write, another's read. The file backups refuse, naming PostgreSQL's own.
func TestCommandsOnPostgres(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	one, two := t.TempDir(), t.TempDir()
	steps := []struct {
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"", []string{"seed", "--data", one}, 0, "demo street HX01 loaded"},
		{"", []string{"seed", "--data", two}, 0, "already loaded"},
		{"", []string{"device", "add", "--station", "HX01", "--role", "kiosk", "--name", "大厅", "--data", one}, 0, "pairing code: "},
		{"admin-pass-2026\n", []string{"user", "add", "wangzr", "--role", "admin", "--name", "王主任", "--password-stdin", "--data", two}, 0, "王主任"},
		{"", []string{"user", "list", "--data", one}, 0, "wangzr"},
		{"", []string{"station", "add", "--code", "HX02", "--name", "测试二站", "--communities", "甲社区", "--user", "wangzr", "--data", one}, 0, ""},
		{"", []string{"ref", "list", "station", "--data", two}, 0, "测试二站"},
		{"", []string{"case", "list", "--state", "submitted", "--data", two}, 0, "HX01-D0-"},
		{"", []string{"verify", "--data", one}, 0, "hash chain intact"},
		{"", []string{"rebuild", "--data", two}, 0, "projections rebuilt from"},
		{"", []string{"backup", t.TempDir(), "--data", one}, 1, ""},
		{"", []string{"restore", "x.tar.gz", "--data", one}, 1, ""},
		{"", []string{"epoch", "new", "--data", one}, 0, "new epoch "},
	}
	for _, st := range steps {
		code, out, errOut := runIn(t, st.stdin, append(st.args, "--db", db)...)
		if code != st.code || !strings.Contains(out, st.want) {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, out, errOut)
		}
		if st.args[0] == "backup" || st.args[0] == "restore" {
			if !strings.Contains(errOut, "pg_dump") {
				t.Errorf("%s on PostgreSQL: %q does not say how to back it up", st.args[0], errOut)
			}
		}
	}
	// the new epoch is the one the next hub to open the database serves
	st, err := sqlitestore.OpenPostgres(context.Background(), db, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := runIn(t, "", "epoch", "new", "--data", one, "--db", db)
	if strings.Contains(out, st.Epoch()) {
		t.Errorf("epoch new said %q: the epoch %s did not change", out, st.Epoch())
	}
	st.Close()
	st, err = sqlitestore.OpenPostgres(context.Background(), db, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, st.Epoch()) {
		t.Errorf("epoch new said %q; the store opened after it has epoch %s", out, st.Epoch())
	}
	st.Close()
	if code, _, _ := runCmd(t, "epoch", "new", "--data", one); code != 2 {
		t.Errorf("epoch new without --db: exit %d, want 2", code)
	}
	// --db wants a PostgreSQL address, and a wrong password is not echoed.
	if code, _, errOut := runCmd(t, "verify", "--data", one, "--db", "/var/lib/hub.db"); code != 2 || !strings.Contains(errOut, "postgres://") {
		t.Errorf("a path as --db: exit %d, %q", code, errOut)
	}
	bad := strings.Replace(db, "postgres://", "postgres://nobody:hunter2-secret@", 1)
	if i := strings.Index(db, "@"); i >= 0 {
		bad = "postgres://nobody:hunter2-secret@" + db[i+1:]
	}
	if code, _, errOut := runCmd(t, "verify", "--data", one, "--db", bad); code != 1 || strings.Contains(errOut, "hunter2-secret") {
		t.Errorf("a wrong login: exit %d, %q", code, errOut)
	}
}
