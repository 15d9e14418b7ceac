package store

import (
	"context"
	"testing"
	"time"

	"liaison/sync/domain"
)

// The calendar and the categories' deadlines the hub sends decide the station's deadlines:
// the board's overdue count and a case's due date follow them.
func TestRulesFollowTheHubsReferenceData(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	if err := s.ResetRemote(ctx, "ep"); err != nil {
		t.Fatal(err)
	}
	resident := domain.Actor{Role: domain.RoleResident, ID: "res-2"}
	submitted := domain.Event{ID: "h1-s", Device: "dev-k2", DevSeq: 1, Station: "HX01", Stream: "case-1",
		Kind: domain.KindCaseSubmitted, At: t0, HubSeq: 1, Actor: resident,
		Data: js(t, domain.CaseSubmitted{Number: "HX01-K2-20261123-0001", Token: "tok", Category: "env",
			Text: "楼道堆物", Community: "测试社区", ResidentID: "res-2", SurnameMask: "王*"})}
	if err := s.ApplyRemote(ctx, "ep", []domain.Event{submitted}, 1); err != nil {
		t.Fatal(err)
	}
	// submitted Monday 10:00: nine working hours end Tuesday 10:00
	tue := time.Date(2026, 11, 24, 2, 30, 0, 0, time.UTC) // 10:30 in the stations' zone
	overdue := func() int {
		t.Helper()
		f, err := s.BoardFigures(ctx, "HX01", tue, 0)
		if err != nil {
			t.Fatal(err)
		}
		return f.Rates.Overdue
	}
	if n := overdue(); n != 1 {
		t.Fatalf("overdue on Tuesday 10:30 with the shipped calendar: %d, want 1", n)
	}
	year, _ := s.Rules().Calendar.Year(2026)
	year.Holidays = append(year.Holidays, domain.CalendarDay{Date: "2026-11-24", Name: "临时休假"})
	refs := []domain.Event{
		hubEvent(t, 2, domain.KindCalendarUpserted, "calendar:2026", "", year),
		hubEvent(t, 3, domain.KindCategoryUpserted, "category:env", "", domain.Category{Code: "env", Name: "环境卫生", HandleDays: 2}),
	}
	if err := s.ApplyRemote(ctx, "ep", refs, 3); err != nil {
		t.Fatal(err)
	}
	r := s.Rules()
	if r.IsWorkingDay(tue) || r.HandleDaysFor("env") != 2 {
		t.Fatalf("rules after the edits: Tuesday working %v, env handle days %d", r.IsWorkingDay(tue), r.HandleDaysFor("env"))
	}
	if n := overdue(); n != 0 {
		t.Fatalf("overdue on the new holiday: %d, want 0", n)
	}
	// a due date set now takes the category's two days, over the holiday: Wed 25, Thu 26
	reopenDue := r.HandleDeadline(t0, "env")
	if want := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC); !reopenDue.Equal(want) {
		t.Fatalf("handle deadline %v, want %v", reopenDue, want)
	}
}
