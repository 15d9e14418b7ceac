package sqlitestore

import (
	"context"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// deskDeadline is the deadline the desk holds for a case.
func deskDeadline(t *testing.T, s *Store, id string) time.Time {
	t.Helper()
	var ns int64
	if err := s.db.QueryRow(`SELECT deadline FROM desk WHERE id = ?`, id).Scan(&ns); err != nil {
		t.Fatal(err)
	}
	return time.Unix(0, ns)
}

// openWithWaitingCase opens a copy of the seeded hub and returns it with a case waiting to
// be accepted.
func openWithWaitingCase(t *testing.T) (*Store, domain.Case) {
	t.Helper()
	s := open(t, copyOf(t, seededDir), clocktest.New(t0))
	waiting, err := s.Cases(context.Background(), store.CaseFilter{State: domain.StateSubmitted})
	if err != nil || len(waiting) == 0 {
		s.Close()
		t.Fatal("no submitted case", err)
	}
	return s, waiting[0]
}

// A holiday entered in the calendar moves the accept deadline of a waiting case, on the desk
// and in the rules, for this process and for another one opening the same data.
func TestCalendarEditRedatesTheDesk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openWithWaitingCase(t)
	defer s.Close()
	before, err := s.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d0 := domain.Deadline(c, before)
	if got := deskDeadline(t, s, c.ID); !got.Equal(d0) {
		t.Fatalf("desk deadline %v, rules %v", got, d0)
	}
	// the deadline's day becomes a holiday (the rest of its year as shipped)
	day := d0.In(before.Location)
	year, _ := before.Calendar.Year(day.Year())
	year.Holidays = append(year.Holidays, domain.CalendarDay{Date: day.Format(time.DateOnly), Name: "临时休假"})
	year.Provisional = false
	ev := domain.Event{Stream: "calendar:" + day.Format("2006"), Kind: domain.KindCalendarUpserted, At: t0,
		Actor: domain.Actor{Role: domain.RoleSystem, Name: "测试"}, Data: mustJSON(t, year)}
	if ok, err := s.Import(ctx, "holiday", []domain.Event{ev}); err != nil || !ok {
		t.Fatalf("import calendar: %v %v", ok, err)
	}
	after, err := s.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d1 := domain.Deadline(c, after)
	if !d1.After(d0) || after.IsWorkingDay(day) {
		t.Fatalf("deadline %v after the holiday on %s, was %v", d1, day.Format(time.DateOnly), d0)
	}
	if got := deskDeadline(t, s, c.ID); !got.Equal(d1) {
		t.Fatalf("desk deadline %v after the edit, rules %v", got, d1)
	}
	overdue, err := s.Desk(ctx, store.DeskFilter{Query: c.Number, Overdue: true, Now: d0.Add(time.Minute)})
	if err != nil || overdue.Total != 0 {
		t.Fatalf("overdue a minute after the old deadline: %d %v", overdue.Total, err)
	}

	other := open(t, s.Dir(), clocktest.New(t0))
	defer other.Close()
	if r, err := other.Rules(ctx); err != nil || r.Key() != after.Key() {
		t.Fatalf("another process reads other rules: %v", err)
	}
	if _, err := s.RebuildProjections(ctx); err != nil {
		t.Fatal(err)
	}
	if got := deskDeadline(t, s, c.ID); !got.Equal(d1) {
		t.Fatalf("desk deadline %v after a rebuild, want %v", got, d1)
	}
}

// A category's own deadline applies to its cases on the desk as soon as it is recorded.
func TestCategoryDeadlineRedatesTheDesk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openWithWaitingCase(t)
	defer s.Close()
	cat, err := s.Category(ctx, c.Category)
	if err != nil {
		t.Fatal(err)
	}
	cat.AcceptHours = 1
	ev := domain.Event{Stream: "category:" + cat.Code, Kind: domain.KindCategoryUpserted, At: t0,
		Actor: domain.Actor{Role: domain.RoleSystem, Name: "测试"}, Data: mustJSON(t, cat)}
	if ok, err := s.Import(ctx, "fast category", []domain.Event{ev}); err != nil || !ok {
		t.Fatalf("import category: %v %v", ok, err)
	}
	r, err := s.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := r.AddWorkingHours(c.SubmittedAt, 1)
	if got := deskDeadline(t, s, c.ID); !got.Equal(want) || !domain.Deadline(c, r).Equal(want) {
		t.Fatalf("desk deadline %v, want one working hour after submission: %v", got, want)
	}
}
