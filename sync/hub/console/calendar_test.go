package console_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
)

func TestCalendarShowsTheShippedYears(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	resp, body := admin.do(t, "GET", "/api/v1/admin/calendar", nil)
	var v console.CalendarYearView
	if err := json.Unmarshal(body, &v); err != nil || resp.StatusCode != 200 {
		t.Fatalf("calendar: %d %s", resp.StatusCode, body)
	}
	// the current year by default: 2026 at the fixture's clock
	if v.Year != 2026 || !v.Shipped || v.Edited || v.Provisional || len(v.Holidays) != 33 || len(v.Workdays) != 6 ||
		!slices.Equal(v.Years, []int{2026, 2027}) || v.Holidays[0].Date != "2026-01-01" {
		t.Fatalf("2026: %+v", v)
	}
	_, body = admin.do(t, "GET", "/api/v1/admin/calendar?year=2027", nil)
	if err := json.Unmarshal(body, &v); err != nil || !v.Provisional || len(v.Holidays) != 6 || len(v.Workdays) != 0 {
		t.Fatalf("2027: %s", body)
	}
	_, body = admin.do(t, "GET", "/api/v1/admin/calendar?year=2031", nil)
	if err := json.Unmarshal(body, &v); err != nil || v.Shipped || v.Edited || len(v.Holidays) != 0 {
		t.Fatalf("2031: %s", body)
	}
	resp, body = admin.do(t, "GET", "/api/v1/admin/calendar?year=1999", nil)
	var e console.APIError
	if json.Unmarshal(body, &e); resp.StatusCode != http.StatusBadRequest || e.Code != domain.CodeCalendarYear || e.Message == "" {
		t.Fatalf("1999: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.login(t, "wangzr").do(t, "GET", "/api/v1/admin/calendar", nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("staff reads the calendar admin: %d", resp.StatusCode)
	}
	if resp, _ := f.login(t, "wangzr").do(t, "PUT", "/api/v1/admin/calendar/2026", console.CalendarEdit{}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("staff edits the calendar: %d", resp.StatusCode)
	}
}

// A holiday entered in the console moves a waiting case's deadline.
func TestCalendarEditMovesDeadlines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	cs := f.newCase(t, domain.StateSubmitted, "")
	deadline := func() time.Time {
		t.Helper()
		_, body := admin.do(t, "GET", "/api/v1/cases/"+cs.Number, nil)
		var d console.CaseDetail
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		return d.Case.Deadline
	}
	cst := domain.DefaultRules().Location
	// submitted Monday 23 November 10:00: nine working hours end Tuesday 10:00
	if got, want := deadline(), time.Date(2026, 11, 24, 10, 0, 0, 0, cst); !got.Equal(want) {
		t.Fatalf("deadline %v, want %v", got, want)
	}
	_, body := admin.do(t, "GET", "/api/v1/admin/calendar?year=2026", nil)
	var v console.CalendarYearView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	edit := console.CalendarEdit{Holidays: append(v.Holidays, domain.CalendarDay{Date: "2026-11-24", Name: "区运动会"}),
		Workdays: v.Workdays, Source: v.Source}
	resp, body := admin.do(t, "PUT", "/api/v1/admin/calendar/2026", edit)
	if err := json.Unmarshal(body, &v); err != nil || resp.StatusCode != 200 || !v.Edited || !v.Changed ||
		len(v.Holidays) != 34 || v.Holidays[33].Date != "2026-11-24" {
		t.Fatalf("save: %d %s", resp.StatusCode, body)
	}
	if got, want := deadline(), time.Date(2026, 11, 25, 10, 0, 0, 0, cst); !got.Equal(want) {
		t.Fatalf("deadline after the holiday %v, want %v", got, want)
	}
	resp, body = admin.do(t, "PUT", "/api/v1/admin/calendar/2026", edit)
	if err := json.Unmarshal(body, &v); err != nil || resp.StatusCode != 200 || v.Changed {
		t.Fatalf("the same year again: %d %s", resp.StatusCode, body)
	}
	evs, err := f.st.StreamEvents(t.Context(), "calendar:2026")
	if err != nil || len(evs) != 1 || evs[0].Actor.ID != "admin" {
		t.Fatalf("calendar events %+v %v", evs, err)
	}
}

func TestCalendarEditIsChecked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	edit := console.CalendarEdit{
		Holidays: []domain.CalendarDay{
			{Date: "2027-01-01", Name: "元旦"},     // another year
			{Date: "2026-12-12", Name: "冲突"},     // also a workday
			{Date: "2026-12-01", Name: ""},       // no name
			{Date: "2026-13-01", Name: "不存在的日子"}, // not a date
		},
		Workdays: []domain.CalendarDay{
			{Date: "2026-12-12", Name: "冲突"}, // a Saturday, and a holiday
			{Date: "2026-12-14", Name: "周一"}, // a Monday is a working day already
		},
	}
	resp, body := admin.do(t, "PUT", "/api/v1/admin/calendar/2026", edit)
	var refused console.CalendarRefused
	if err := json.Unmarshal(body, &refused); err != nil || resp.StatusCode != http.StatusUnprocessableEntity ||
		refused.Code != domain.CodeRefRefused {
		t.Fatalf("refused: %d %s", resp.StatusCode, body)
	}
	codes := map[string]string{}
	for _, p := range refused.Problems {
		if p.Message == "" {
			t.Errorf("problem without words: %+v", p)
		}
		codes[p.Field] = p.Code
	}
	want := map[string]string{
		"holidays[0].date": domain.CodeRefDateYear,
		"holidays[2].name": domain.CodeFieldRequired,
		"holidays[3].date": domain.CodeFieldBadDate,
		"workdays[0].date": domain.CodeRefHolidayWork,
		"workdays[1].date": domain.CodeRefWorkdayDay,
	}
	for field, code := range want {
		if codes[field] != code {
			t.Errorf("%s: %q, want %q (all: %v)", field, codes[field], code, codes)
		}
	}
	if resp, body := admin.do(t, "PUT", "/api/v1/admin/calendar/abc", edit); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("year abc: %d %s", resp.StatusCode, body)
	}
	if evs, _ := f.st.StreamEvents(t.Context(), "calendar:2026"); len(evs) != 0 {
		t.Fatalf("a refused edit was recorded: %d events", len(evs))
	}
}
