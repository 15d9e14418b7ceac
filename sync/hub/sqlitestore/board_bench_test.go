package sqlitestore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"liaison/sync/pgdb/pgtest"
)

// benchDeskCases is the size of the district board benchmark: a city district's cases over a
// few years, on benchDeskStations stations.
const (
	benchDeskCases    = 1_000_000
	benchDeskStations = 500
)

// BenchmarkDistrictBoard1M reads the per-station figures a district's or a city's board adds
// up (BoardCounts) over a desk of a million cases, on SQLite and, with LIAISON_TEST_POSTGRES,
// on PostgreSQL in the same run. The desk is filled with its rows directly (going through
// ingest would take most of an hour and measure ingest): states, acceptances, ratings and
// deadlines drawn like a working district's.
func BenchmarkDistrictBoard1M(b *testing.B) {
	now := t0
	b.Run("engine=sqlite", func(b *testing.B) {
		s, err := Open(context.Background(), b.TempDir(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		benchBoard(b, s, now)
	})
	b.Run("engine=postgres", func(b *testing.B) {
		pgtest.Skip(b)
		s, err := OpenPostgres(context.Background(), newPostgresDB(b), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		benchBoard(b, s, now)
	})
}

func benchBoard(b *testing.B, s *Store, now time.Time) {
	ctx := context.Background()
	start := time.Now()
	fillDesk(b, s, now, benchDeskCases)
	b.Logf("desk of %d cases filled in %s", benchDeskCases, time.Since(start).Round(time.Millisecond))
	if s.pg {
		// what autovacuum does on its own a little later
		if _, err := s.db.ExecContext(ctx, `ANALYZE desk`); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		counts, err := s.BoardCounts(ctx, now)
		if err != nil {
			b.Fatal(err)
		}
		if len(counts) != benchDeskStations {
			b.Fatalf("figures of %d stations, want %d", len(counts), benchDeskStations)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/board")
}

// fillDesk writes n desk rows, 500 to a statement.
func fillDesk(b *testing.B, s *Store, now time.Time, n int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	const chunk = 500
	cols := `id, station, state, category, community, rep_id, dept_code, submitted_at, deadline,
		accepted_at, accept_by, rating, closed_unrated, escalated_to`
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", 14), ", ") + ")"
	states := []string{"closed", "closed", "closed", "closed", "closed", "closed", "replied", "assigned",
		"in_progress", "accepted", "submitted", "returned", "reopened", "withdrawn", "merged"}
	ratings := []string{"satisfied", "satisfied", "satisfied", "basically", "unsatisfied", ""}
	for done := 0; done < n; {
		k := min(chunk, n-done)
		args := make([]any, 0, k*14)
		for i := range k {
			id := done + i
			submitted := now.Add(-time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
			state := states[rng.IntN(len(states))]
			var accepted, deadline any
			if state != "submitted" && !(state == "withdrawn" && rng.IntN(2) == 0) {
				accepted = submitted.Add(time.Duration(rng.Int64N(int64(48 * time.Hour)))).UnixNano()
			}
			switch state {
			case "submitted", "accepted", "returned", "assigned", "in_progress", "reopened", "replied":
				deadline = now.Add(time.Duration(rng.Int64N(int64(10*24*time.Hour))) - 2*24*time.Hour).UnixNano()
			}
			rating, unrated := "", false
			if state == "closed" {
				rating = ratings[rng.IntN(len(ratings))]
				unrated = rating == ""
			}
			escalated := ""
			if rng.IntN(50) == 0 {
				escalated = fmt.Sprintf("D%d", rng.IntN(2))
			}
			args = append(args, fmt.Sprintf("bench-%07d", id), fmt.Sprintf("S%03d", id%benchDeskStations), state,
				"env", "测试社区", "", "", submitted.UnixNano(), deadline, accepted,
				submitted.Add(24*time.Hour).UnixNano(), rating, unrated, escalated)
		}
		q := `INSERT INTO desk(` + cols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", k), ", ")
		if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("fill desk: %v", err)
		}
		done += k
	}
}
