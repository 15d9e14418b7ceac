package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"liaison/sync/domain"
)

// BenchmarkRecordSubmission measures one durable Record of a case submission (number
// allocation, validation, event + outbox + projection, fsync at commit).
func BenchmarkRecordSubmission(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	ev := submission(b, "res-1")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := s.Record(ctx, ev); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkRebuild100k rebuilds every projection from 100,000 events: 20,000 cases of five
// events each (submitted, accepted, assigned, progress, replied).
func BenchmarkRebuild100k(b *testing.B) {
	const casesN, perCase = 20000, 5
	s := openAt(b, filepath.Join(b.TempDir(), "station.db"))
	defer s.Close()
	ctx := context.Background()
	if err := seedEvents(ctx, b, s, casesN); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.RebuildProjections(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var n int
	s.db.QueryRow(`SELECT count(*) FROM cases WHERE state = 'replied'`).Scan(&n)
	if n != casesN {
		b.Fatalf("%d replied cases after rebuild, want %d", n, casesN)
	}
	b.ReportMetric(float64(casesN*perCase)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func seedEvents(ctx context.Context, b *testing.B, s *Store, casesN int) error {
	return withTx(ctx, s.db, "seed", func(tx *sql.Tx) error {
		var seq int64
		rep := domain.Actor{Role: domain.RoleRepresentative, ID: "rep-1"}
		staff := domain.Actor{Role: domain.RoleStaff, ID: "staff-1"}
		dept := domain.Actor{Role: domain.RoleDepartment, ID: "D01"}
		for i := 0; i < casesN; i++ {
			id := fmt.Sprintf("case-%06d", i)
			at := t0.Add(time.Duration(i) * time.Minute)
			p := domain.CaseSubmitted{Number: fmt.Sprintf("HX01-K1-20261123-%05d", i), Token: "tok",
				Category: "env", Text: "小区路灯不亮已经一周", ResidentID: "res-1", SurnameMask: "张*"}
			steps := []struct {
				k     domain.Kind
				actor domain.Actor
				data  any
			}{
				{domain.KindCaseSubmitted, resident, p},
				{domain.KindCaseAccepted, rep, domain.CaseAccepted{}},
				{domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: "D01", DeptName: "测试科"}},
				{domain.KindCaseProgress, dept, domain.CaseNote{Note: "已到现场查看"}},
				{domain.KindCaseReplied, dept, domain.CaseReplied{Reply: "已更换灯具"}},
			}
			for j, st := range steps {
				seq++
				ev := domain.Event{ID: fmt.Sprintf("%s-%d", id, j), Device: "dev-k2", DevSeq: seq, Station: "HX01",
					Stream: id, Kind: st.k, At: at.Add(time.Duration(j) * time.Hour), Actor: st.actor,
					Data: js(b, st.data), HubSeq: seq}
				if err := insertEvent(ctx, tx, ev, false); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
