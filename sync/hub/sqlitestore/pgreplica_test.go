package sqlitestore

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
)

// Two hub replicas on one PostgreSQL database: an append committed by one reaches the other's
// subscribers by the database's notification, not by polling (Watch polls once an hour
// here); when the listening connection is cut, the replica listens again and catches up
// from the log with what it missed meanwhile.
func TestReplicasHearEachOther(t *testing.T) {
	t.Parallel()
	dsn := newPostgresDB(t)
	ctx := context.Background()
	clk := clocktest.New(t0)
	openPG := func() *Store {
		s, err := OpenPostgres(ctx, dsn, Options{Now: clk.Now})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := openPG(), openPG()
	if a.Epoch() != b.Epoch() || a.Keys().SignPublicKey().Equal(b.Keys().SignPublicKey()) == false {
		t.Fatal("two replicas of one database disagree on the epoch or the keys")
	}
	ch, cancel := a.Subscribe()
	defer cancel()
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go a.Watch(wctx, time.Hour)

	station := func(code string) int64 {
		t.Helper()
		if _, err := b.UpsertStation(ctx, domain.Station{Code: code, Name: "测试联络站" + code}, domain.Actor{Role: domain.RoleStaff}); err != nil {
			t.Fatal(err)
		}
		seq, err := b.LastSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return seq
	}
	await := func(want int64, what string) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case seq := <-ch:
				if seq >= want {
					return
				}
			case <-timeout:
				t.Fatalf("replica a did not hear of %s (seq %d)", what, want)
			}
		}
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	const listeners = `FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN ` + LogChannel + `'`
	listening := func() {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			var n int
			if err := admin.QueryRowContext(ctx, `SELECT count(*) `+listeners).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("replica a does not listen")
			}
		}
	}
	listening()
	await(station("HX01"), "an append by replica b")

	// Cut a's listening connection; append while it is away.
	var cut int
	if err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) `+listeners).Scan(&cut); err != nil || cut == 0 {
		t.Fatalf("cut the listener: %d cut, %v", cut, err)
	}
	await(station("HX02"), "an append made while its listener was cut")
	await(station("HX03"), "an append after it listens again")
}
