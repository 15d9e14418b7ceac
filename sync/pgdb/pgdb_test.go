package pgdb

import "testing"

func TestRebindNumbersPlaceholdersOutsideQuotes(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`SELECT '?' , ? FROM t`, `SELECT '?' , $1 FROM t`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`SELECT "odd?name" FROM t WHERE x = ?`, `SELECT "odd?name" FROM t WHERE x = $1`},
		{"SELECT ? -- why?\nFROM t WHERE y = ?", "SELECT $1 -- why?\nFROM t WHERE y = $2"},
		{`INSERT INTO t VALUES (?, '`, `INSERT INTO t VALUES ($1, '`}, // an unfinished quote runs to the end
		{`UPDATE t SET a = '路灯?' WHERE id = ?`, `UPDATE t SET a = '路灯?' WHERE id = $1`},
	}
	for _, c := range cases {
		if got := Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIsDSN(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"postgres://u@h/db": true, "postgresql://u@h:5432/db": true,
		"/var/lib/liaison-hub": false, "liaison-hub-data": false, "": false,
	} {
		if IsDSN(s) != want {
			t.Errorf("IsDSN(%q) = %v", s, !want)
		}
	}
}
