package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	"liaison/sync/domain"
)

// synthCase is a plausible case of a station with three years of history: old cases are
// mostly closed, recent ones spread over every state.
func synthCase(i int, rng *rand.Rand, now time.Time) domain.Case {
	h := time.Hour
	age := time.Duration(rng.Int63n(int64(3 * 365 * 24 * h)))
	if i%20 == 0 {
		age = time.Duration(rng.Int63n(int64(30 * 24 * h))) // a busier last month
	}
	sub := now.Add(-age)
	c := domain.Case{ID: fmt.Sprintf("case-%07d", i), Number: fmt.Sprintf("HX01-W1-%07d", i), Token: "t",
		Station: "HX01", Category: []string{"env", "traffic", "elder", "safety", "build", ""}[i%6],
		Text: boardTexts[i%len(boardTexts)], Community: "朝阳社区", SurnameMask: "张*",
		ResidentID: fmt.Sprintf("res-%d", i%5000), State: domain.StateSubmitted, SubmittedAt: sub,
		UpdatedAt: sub, Version: 1}
	step := func(at time.Time) bool {
		if at.After(now) {
			return false
		}
		c.UpdatedAt = at
		c.Version++
		return true
	}
	switch r := rng.Intn(100); {
	case r < 3:
		if at := sub.Add(time.Duration(rng.Int63n(int64(12 * h)))); step(at) {
			c.State, c.WithdrawnAt = domain.StateWithdrawn, at
		}
		return c
	case r < 4:
		if at := sub.Add(time.Duration(rng.Int63n(int64(12 * h)))); step(at) {
			c.State, c.MergedInto = domain.StateMerged, "case-0000000"
		}
		return c
	}
	at := sub.Add(time.Duration(rng.Int63n(int64(36 * h))))
	if !step(at) {
		return c
	}
	c.State, c.AcceptedAt, c.RepID = domain.StateAccepted, at, "rep-1"
	if at = at.Add(time.Duration(rng.Int63n(int64(30 * h)))); !step(at) {
		return c
	}
	c.State, c.AssignedAt, c.DeptCode, c.Due = domain.StateAssigned, at, "D01", at.Add(7*24*h)
	if at = at.Add(time.Duration(24*h + time.Duration(rng.Int63n(int64(10*24*h))))); !step(at) {
		return c
	}
	c.State, c.RepliedAt, c.Reply = domain.StateReplied, at, "已处理完毕"
	if at = at.Add(time.Duration(rng.Int63n(int64(8 * 24 * h)))); !step(at) {
		return c
	}
	c.State, c.ClosedAt = domain.StateClosed, at
	switch rng.Intn(10) {
	case 0:
		c.ClosedUnrated = true
	case 1:
		c.Rating = domain.RatingUnsatisfied
	case 2, 3:
		c.Rating = domain.RatingBasically
	default:
		c.Rating = domain.RatingSatisfied
	}
	return c
}

// fillCases writes n synthetic cases straight into the projection table of the (migrated)
// store at path, in one transaction, as a large synced station would have them.
func fillCases(b testing.TB, path string, n int, now time.Time) {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // the cache size is per connection
	if _, err := db.Exec(`PRAGMA cache_size = -262144`); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO cases(id, number, token, station, state, resident_id, rep_id,
		dept_code, submitted_at, updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	const tf = "2006-01-02T15:04:05.000000000Z"
	for i := range n {
		c := synthCase(i, rng, now)
		data, err := json.Marshal(c)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ins.Exec(c.ID, c.Number, c.Token, c.Station, string(c.State), c.ResidentID, c.RepID,
			c.DeptCode, c.SubmittedAt.UTC().Format(tf), c.UpdatedAt.UTC().Format(tf), data); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkBoard1M measures one Wall.Board() refresh over a store of 1,000,000 cases, and
// the hot words' refresh, once the aggregates and the word counts have caught up with the
// import (the catch-up and the dictionary load are reported as metrics of the parent).
func BenchmarkBoard1M(b *testing.B) {
	const n = 1_000_000
	now := boardNow
	dir := b.TempDir()
	// the station first (its cursor reset rebuilds projections from events, and these cases
	// have none), then the cases, through a second connection
	st := newWallStation(b, dir, &now)
	w := st.Wall
	w.hot.loading = true // no background hot-word work while the aggregates catch up
	path := filepath.Join(dir, "station.db")
	t0 := time.Now()
	fillCases(b, path, n, now)
	fill := time.Since(t0)
	t0 = time.Now()
	first, err := w.Board()
	if err != nil {
		b.Fatal(err)
	}
	catchUp := time.Since(t0)
	if first.Funnel.Submitted != n {
		b.Fatalf("board counts %d cases, want %d", first.Funnel.Submitted, n)
	}

	t0 = time.Now()
	tok, err := newEmbeddedTokenizer()
	if err != nil {
		b.Fatal(err)
	}
	load := time.Since(t0)
	src := hotWordsSource{store: st.store, station: "HX01", log: st.log}
	w.hot.mu.Lock()
	w.hot.tok, w.hot.busy, w.hot.loading = tok, true, false // no background refresh
	w.hot.mu.Unlock()
	t0 = time.Now()
	words, err := w.hot.compute(context.Background(), src, now)
	if err != nil {
		b.Fatal(err)
	}
	segment := time.Since(t0)
	if len(words) == 0 {
		b.Fatal("no hot words")
	}
	b.Logf("fill %v, aggregate catch-up %v, dictionary load %v, segmenting the last 30 days %v; totals %+v, hot words %v",
		fill.Round(time.Millisecond), catchUp.Round(time.Millisecond), load.Round(time.Millisecond),
		segment.Round(time.Millisecond), first.Totals, words)

	b.Run("board", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.Board(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("board-after-one-change", func(b *testing.B) {
		// a synced event rewrites one case's projection between two refreshes
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			if _, err := db.Exec(`UPDATE cases SET updated_at = updated_at WHERE id = ?`,
				fmt.Sprintf("case-%07d", i%n)); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := w.Board(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hot-words", func(b *testing.B) {
		for b.Loop() {
			if _, err := w.hot.compute(context.Background(), src, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}
