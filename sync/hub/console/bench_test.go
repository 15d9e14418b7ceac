package console_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"liaison/internal/clocktest"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
)

// benchCases is the size of the street the inbox benchmark runs over.
const benchCases = 1_000_000

// benchGen names the generator below: change it when the generated data changes, so a cached
// database made by an older generator is not reused.
const benchGen = "g1"

// BenchmarkConsoleInbox1M: one page of the inbox (list + the seven tab counts + names +
// JSON, through the HTTP handler with an API token) over a street with a million cases.
// The database is made once and cached under os.TempDir, keyed by schema version and
// generator; delete liaison-console-bench-* there to make it anew.
func BenchmarkConsoleInbox1M(b *testing.B) {
	dir, token := benchDB(b)
	clk := clocktest.New(t0)
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{Now: clk.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	con := console.New(console.Config{Now: clk.Now}, st, nil)
	mux := http.NewServeMux()
	con.Mount(mux)
	for _, q := range []struct{ name, query string }{
		{"to_assign+dept", "tab=to_assign&dept=Q-ZJ&page=1"},
		{"overdue+dept", "tab=overdue&dept=Q-ZJ&page=1"},
		{"all+dept", "tab=all&dept=Q-ZJ&page=1"},
		{"all", "page=1"},
		{"all_page_100", "page=100"},
	} {
		b.Run(q.name, func(b *testing.B) {
			var total int
			for b.Loop() {
				r := httptest.NewRequest("GET", "/api/v1/cases?"+q.query, nil)
				r.Header.Set("Authorization", "Bearer "+token)
				w := httptest.NewRecorder()
				mux.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatalf("%s: %d %s", q.query, w.Code, w.Body)
				}
				var l console.CaseList
				if err := json.Unmarshal(w.Body.Bytes(), &l); err != nil {
					b.Fatal(err)
				}
				total = l.Total
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
			b.ReportMetric(float64(total), "matches")
		})
	}
}

// benchDB returns the cached million-case data directory and an admin's API token in it,
// making them when missing.
func benchDB(b *testing.B) (string, string) {
	b.Helper()
	ver, err := schemaVersion()
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("liaison-console-bench-%d-v%d-%s", benchCases, ver, benchGen))
	if tok, err := os.ReadFile(filepath.Join(dir, "bench.token")); err == nil {
		return dir, string(tok)
	}
	start := time.Now()
	building := dir + ".building"
	if err := os.RemoveAll(building); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(building, 0o700); err != nil {
		b.Fatal(err)
	}
	tok, err := buildBenchDB(building)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(building, "bench.token"), []byte(tok), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(building, dir); err != nil {
		b.Fatal(err)
	}
	b.Logf("made %d cases in %s (%v)", benchCases, dir, time.Since(start).Round(time.Second))
	return dir, tok
}

// schemaVersion is the version a new hub database is migrated to.
func schemaVersion() (int, error) {
	dir, err := os.MkdirTemp("", "schema-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{})
	if err != nil {
		return 0, err
	}
	st.Close()
	db, err := sql.Open("sqlite", filepath.Join(dir, sqlitestore.DBFile))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v int
	return v, db.QueryRow(`PRAGMA user_version`).Scan(&v)
}

// buildBenchDB makes the demo street's reference data and an admin through the store, then
// writes the cases straight into the projection tables (cases and desk) in large
// transactions, with the indexes dropped meanwhile and made again at the end. The log is not
// filled: the inbox reads only the projections. The full-text index is left empty.
func buildBenchDB(dir string) (string, error) {
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, dir, sqlitestore.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		return "", err
	}
	if _, err := seed.Load(ctx, st, seed.DefaultSeed, t0); err != nil {
		st.Close()
		return "", err
	}
	con := console.New(console.Config{Argon: cheapArgon}, st, nil)
	if _, err := con.Accounts().Add(ctx, console.NewUser{Login: "admin", Role: "admin", Password: password}); err != nil {
		st.Close()
		return "", err
	}
	tok, err := con.Accounts().CreateToken(ctx, "admin")
	st.Close()
	if err != nil {
		return "", err
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, sqlitestore.DBFile))
	if err != nil {
		return "", err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`PRAGMA synchronous = OFF; PRAGMA cache_size = -262144`); err != nil {
		return "", err
	}
	var indexes []string
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('cases', 'desk')`)
	if err != nil {
		return "", err
	}
	var drop []string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return "", err
		}
		drop, indexes = append(drop, name), append(indexes, q)
	}
	rows.Close()
	for _, name := range drop {
		if _, err := db.Exec(`DROP INDEX ` + name); err != nil {
			return "", err
		}
	}
	if err := insertBenchCases(db); err != nil {
		return "", err
	}
	for _, q := range indexes {
		if _, err := db.Exec(q); err != nil {
			return "", err
		}
	}
	return tok, nil
}

func insertBenchCases(db *sql.DB) error {
	rules := domain.DefaultRules()
	rnd := rand.New(rand.NewPCG(1, 2))
	depts := []struct{ code, name string }{{"JD-CG", "街道城管科"}, {"Q-ZJ", "区住建局"}, {"Q-JT", "区交通局"},
		{"Q-MZ", "区民政局"}, {"WY", "物业公司"}, {"JD-SQ", "街道社区建设办"}, {"Q-SW", "区水务局"}}
	cats := []string{"env", "traffic", "property", "elderly", "facility", "other"}
	comms := []string{"幸福里社区", "和平社区", "光明社区", "新华社区", "东风社区"}
	const batch = 50_000
	for from := 0; from < benchCases; from += batch {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		insCase, err := tx.Prepare(`INSERT INTO cases(id, station, number, token, state, category, submitted_at,
			last_seq, data) VALUES (?, 'HX01', ?, ?, ?, ?, ?, 0, ?)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		insDesk, err := tx.Prepare(`INSERT INTO desk(id, station, state, category, community, rep_id, dept_code,
			submitted_at, deadline) VALUES (?, 'HX01', ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			tx.Rollback()
			return err
		}
		for i := from; i < min(from+batch, benchCases); i++ {
			c := benchCase(rnd, i, rules, depts, cats, comms)
			data, err := json.Marshal(c)
			if err != nil {
				tx.Rollback()
				return err
			}
			if _, err := insCase.Exec(c.ID, c.Number, c.Token, string(c.State), c.Category,
				c.SubmittedAt.Format(time.RFC3339Nano), string(data)); err != nil {
				tx.Rollback()
				return err
			}
			var deadline any
			if d := domain.Deadline(c, rules); !d.IsZero() {
				deadline = d.UnixNano()
			}
			if _, err := insDesk.Exec(c.ID, string(c.State), c.Category, c.Community, c.RepID, c.DeptCode,
				c.SubmittedAt.UnixNano(), deadline); err != nil {
				tx.Rollback()
				return err
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// benchCase makes case i of the street: submitted over the three years before t0; cases of
// the last month in every state, older ones almost all finished, a few left open and overdue.
func benchCase(rnd *rand.Rand, i int, rules domain.Rules, depts []struct{ code, name string }, cats, comms []string) domain.Case {
	const span = 3 * 365 * 24 * time.Hour
	at := t0.Add(-time.Duration(rnd.Int64N(int64(span))))
	c := domain.Case{ID: fmt.Sprintf("bench-%07d", i), Number: fmt.Sprintf("HX01-K1-%s-%07d", at.Format("20060102"), i),
		Token: fmt.Sprintf("tok%019d", i), Station: "HX01", Category: cats[rnd.IntN(len(cats))],
		Text: "小区路灯不亮，晚上出行不便，请尽快修复。", Community: comms[rnd.IntN(len(comms))],
		SurnameMask: "张*", SubmittedAt: at, UpdatedAt: at, Version: 1}
	recent := t0.Sub(at) < 30*24*time.Hour
	states := []domain.State{domain.StateClosed}
	switch {
	case recent:
		states = []domain.State{domain.StateSubmitted, domain.StateAccepted, domain.StateAssigned,
			domain.StateInProgress, domain.StateReturned, domain.StateReplied, domain.StateReopened, domain.StateClosed}
	case rnd.IntN(100) == 0:
		states = []domain.State{domain.StateAssigned, domain.StateInProgress, domain.StateWithdrawn, domain.StateMerged}
	}
	c.State = states[rnd.IntN(len(states))]
	if c.State == domain.StateSubmitted || c.State == domain.StateWithdrawn || c.State == domain.StateMerged {
		return c
	}
	c.RepID, c.RepName = fmt.Sprintf("HX01-R%02d", 1+rnd.IntN(16)), "代表"
	c.AcceptedAt = at.Add(time.Duration(1+rnd.IntN(30)) * time.Hour)
	if c.State == domain.StateAccepted {
		return c
	}
	d := depts[rnd.IntN(len(depts))]
	c.DeptCode, c.DeptName = d.code, d.name
	c.AssignedAt = c.AcceptedAt.Add(2 * time.Hour)
	c.Due = rules.HandleDeadline(c.AssignedAt, c.Category)
	c.Version = 3
	switch c.State {
	case domain.StateReturned:
		c.ReturnedAt, c.ReturnCount = c.AssignedAt.Add(24*time.Hour), 1
	case domain.StateReplied, domain.StateClosed, domain.StateReopened:
		c.RepliedAt = c.AssignedAt.Add(time.Duration(1+rnd.IntN(9*24)) * time.Hour)
		c.Reply = "已处理。"
	}
	switch c.State {
	case domain.StateClosed:
		c.ClosedAt = c.RepliedAt.Add(48 * time.Hour)
		c.Rating = []domain.Rating{domain.RatingSatisfied, domain.RatingBasically, domain.RatingUnsatisfied}[rnd.IntN(3)]
	case domain.StateReopened:
		c.ReopenedAt, c.ReopenCount = c.RepliedAt.Add(24*time.Hour), 1
		c.Due = rules.HandleDeadline(c.ReopenedAt, c.Category)
	}
	return c
}
