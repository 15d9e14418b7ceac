package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
)

// TestSignUpsMigrationFillsFromEvents: the migration that adds the signups table fills it
// from the sign-ups a station already holds exactly as the projection does (a person's
// latest sign-up of each activity).
func TestSignUpsMigrationFillsFromEvents(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	for i, m := range []struct{ activity, person string }{
		{"HX01-A01", "R-00000000000000000001"}, {"HX01-A01", "R-00000000000000000002"},
		{"HX01-A02", "R-00000000000000000001"}, {"HX01-A01", "R-00000000000000000001"},
	} {
		ev := domain.Event{Kind: domain.KindActivitySignedUp, Stream: "activity:" + m.activity, At: at.Add(time.Duration(i) * time.Minute),
			Actor: domain.Actor{Role: domain.RoleResident, ID: m.person},
			Data:  js(t, domain.ActivityCheckIn{ActivityID: m.activity, PersonID: m.person, Via: domain.ViaKioskCard})}
		if _, err := s.Record(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	rows := func() []string {
		r, err := s.db.QueryContext(ctx, `SELECT person_id || ' ' || activity_id || ' ' || fact_id || ' ' || cancelled
			FROM signups ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out []string
		for r.Next() {
			var line string
			if err := r.Scan(&line); err != nil {
				t.Fatal(err)
			}
			out = append(out, line)
		}
		return out
	}
	projected := rows()
	if len(projected) != 3 {
		t.Fatalf("projected %v", projected)
	}
	sqlText, err := migrationFiles.ReadFile("migrations/005_signups.sql")
	if err != nil {
		t.Fatal(err)
	}
	fill := string(sqlText[strings.Index(string(sqlText), "INSERT INTO signups"):])
	if _, err := s.db.ExecContext(ctx, `DELETE FROM signups`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, fill); err != nil {
		t.Fatalf("fill: %v", err)
	}
	if filled := rows(); !slices.Equal(filled, projected) {
		t.Fatalf("migration filled %v, projection %v", filled, projected)
	}
}
