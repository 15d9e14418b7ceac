package backup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/backup"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
)

// history makes n hub events of one station: cases submitted and supervised, with a
// category update every tenth event, in chunks for Import.
func history(n int, at time.Time) [][]domain.Event {
	var chunks [][]domain.Event
	var evs []domain.Event
	for i := 0; n > 0; i++ {
		stream := fmt.Sprintf("HX01-bench-%d", i)
		sub, _ := json.Marshal(domain.CaseSubmitted{Number: fmt.Sprintf("HX01-B-%07d", i), Token: domain.NewToken(), Category: "road",
			Text: fmt.Sprintf("小区东门路灯不亮，晚上出行不便，请尽快维修（测试 %d）", i), Community: "测试社区", ResidentID: "r-bench", SurnameMask: "李*"})
		note, _ := json.Marshal(domain.CaseNote{Note: "已转交街道城管科处理"})
		evs = append(evs,
			domain.Event{ID: domain.NewEventID(), Station: "HX01", Stream: stream, Kind: domain.KindCaseSubmitted,
				At: at, Actor: domain.Actor{Role: domain.RoleResident, ID: "r-bench", Name: "李*"}, Data: sub},
			domain.Event{ID: domain.NewEventID(), Station: "HX01", Stream: stream, Kind: domain.KindCaseSupervised,
				At: at, Actor: staff, Data: note})
		n -= 2
		if i%5 == 4 {
			cat, _ := json.Marshal(domain.Category{Code: "road", Name: fmt.Sprintf("道路交通%d", i)})
			evs = append(evs, domain.Event{ID: domain.NewEventID(), Stream: "category:road", Kind: domain.KindCategoryUpserted,
				At: at, Actor: staff, Data: cat})
			n--
		}
		if len(evs) >= 5000 || n <= 0 {
			chunks, evs = append(chunks, evs), nil
		}
	}
	return chunks
}

// BenchmarkBackupRestore: one backup (copy, chain check, archive) and one restore (extract,
// checks, new epoch) of the demo street and of a synthetic log of 200,000 events, with the
// database and archive sizes. make bench writes the figures docs/operations.md quotes.
func BenchmarkBackupRestore(b *testing.B) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		fill func(b *testing.B, st *sqlitestore.Store)
	}{
		{"demo", func(b *testing.B, st *sqlitestore.Store) {
			if _, err := seed.Load(context.Background(), st, seed.DefaultSeed, at); err != nil {
				b.Fatal(err)
			}
		}},
		{"events=200k", func(b *testing.B, st *sqlitestore.Store) {
			if _, err := seed.Load(context.Background(), st, seed.DefaultSeed, at); err != nil {
				b.Fatal(err)
			}
			for i, evs := range history(200_000, at) {
				if _, err := st.Import(context.Background(), fmt.Sprintf("bench-%d", i), evs); err != nil {
					b.Fatal(err)
				}
			}
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			base := b.TempDir()
			_, st := newHub(b, base)
			defer st.Close()
			tc.fill(b, st)
			last, _ := st.LastSeq(ctx)
			var backupTime, restoreTime time.Duration
			var c backup.Created
			var err error
			i := 0
			for b.Loop() {
				i++
				t0 := time.Now()
				c, err = backup.Create(ctx, st, filepath.Join(base, "backups"), backup.Options{})
				if err != nil {
					b.Fatal(err)
				}
				backupTime += time.Since(t0)
				t0 = time.Now()
				if _, err := backup.Restore(ctx, c.Path, filepath.Join(base, fmt.Sprint("restored-", i)), nil); err != nil {
					b.Fatal(err)
				}
				restoreTime += time.Since(t0)
				os.Remove(c.Path)
			}
			dbSize := c.Manifest.Files[0].Size
			b.ReportMetric(float64(last), "events")
			b.ReportMetric(float64(dbSize)/1e6, "db-MB")
			b.ReportMetric(float64(c.Size)/1e6, "archive-MB")
			b.ReportMetric(float64(backupTime.Milliseconds())/float64(i), "backup-ms")
			b.ReportMetric(float64(restoreTime.Milliseconds())/float64(i), "restore-ms")
		})
	}
}
