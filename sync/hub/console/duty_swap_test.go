package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/store"
)

// putDutyDay writes a duty day of HX01, 09:00–17:00 in the station.
func (f *fixture) putDutyDay(t *testing.T, day string, reps ...string) {
	t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	starts := d.Add(time.Hour) // 09:00 in China
	data, _ := json.Marshal(domain.DutyShift{Station: "HX01", Day: day, RepIDs: reps, Starts: starts, Ends: starts.Add(8 * time.Hour)})
	if _, err := f.st.PutRefs(context.Background(), []store.RefWrite{{Kind: domain.KindDutyRosterUpserted,
		Key: "HX01:" + day, Data: data}}, staff); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) dutyDay(t *testing.T, day string) []string {
	t.Helper()
	raw, err := f.st.RefItem(context.Background(), domain.KindDutyRosterUpserted, "HX01:"+day)
	if err != nil {
		t.Fatal(err)
	}
	var d domain.DutyShift
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d.RepIDs
}

func repDuty(t *testing.T, c *client) console.RepDuty {
	t.Helper()
	resp, body := c.do(t, "GET", "/api/v1/rep/duty", nil)
	var out console.RepDuty
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil {
		t.Fatalf("rep duty: %d %s", resp.StatusCode, body)
	}
	return out
}

func shiftOn(d console.RepDuty, day string) *console.RepShift {
	for i := range d.Shifts {
		if d.Shifts[i].Day == day {
			return &d.Shifts[i]
		}
	}
	return nil
}

func TestDutySwapRequestAndApproval(t *testing.T) {
	f := newFixture(t)
	const day, past = "2026-11-26", "2026-11-20" // today is 2026-11-23
	f.putDutyDay(t, day, "HX01-R01", "HX01-R02")
	f.putDutyDay(t, past, "HX01-R01")
	rep, wang := f.login(t, "daibiao"), f.login(t, "wangzr")

	d := repDuty(t, rep)
	if d.Today != "2026-11-23" {
		t.Fatalf("today %s", d.Today)
	}
	if s := shiftOn(d, day); s == nil || !s.Swappable || len(s.With) != 1 || s.With[0].ID != "HX01-R02" || s.StationName == "" {
		t.Fatalf("the coming duty day %+v", s)
	}
	if s := shiftOn(d, past); s == nil || s.Swappable {
		t.Fatalf("the past duty day %+v", s)
	}
	if slices.ContainsFunc(d.Colleagues, func(p console.DutyPerson) bool { return p.ID == "HX01-R01" }) || len(d.Colleagues) == 0 {
		t.Fatalf("colleagues %+v", d.Colleagues)
	}

	refusals := []struct {
		req  console.SwapRequest
		code string
	}{
		{console.SwapRequest{Station: "HX01", Day: past}, domain.CodeSwapPast},
		{console.SwapRequest{Station: "HX01", Day: "2026-11-27"}, domain.CodeSwapNotOnDuty},
		{console.SwapRequest{Station: "HX01", Day: day, Colleague: "HX01-R02"}, domain.CodeSwapColleague},
		{console.SwapRequest{Station: "HX01", Day: day, Colleague: "HX01-R99"}, domain.CodeSwapColleague},
	}
	for _, c := range refusals {
		resp, body := rep.do(t, "POST", "/api/v1/rep/duty/swaps", c.req)
		if resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != c.code {
			t.Errorf("%+v: %d %s, want %s", c.req, resp.StatusCode, body, c.code)
		}
	}
	resp, body := rep.do(t, "POST", "/api/v1/rep/duty/swaps", console.SwapRequest{Station: "HX01", Day: day,
		Colleague: "HX01-R03", Reason: "外出开会"})
	var asked console.DutySwap
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &asked) != nil || asked.State != "pending" ||
		asked.ColleagueName == "" || asked.RepName != "张三" {
		t.Fatalf("request: %d %s", resp.StatusCode, body)
	}
	if resp, body := rep.do(t, "POST", "/api/v1/rep/duty/swaps", console.SwapRequest{Station: "HX01", Day: day}); resp.StatusCode != http.StatusConflict ||
		errorCode(t, body) != domain.CodeSwapPending {
		t.Fatalf("second request: %d %s", resp.StatusCode, body)
	}
	if s := shiftOn(repDuty(t, rep), day); s == nil || s.Swappable {
		t.Fatalf("a day with a pending request is offered again: %+v", s)
	}

	// Only staff decide; only representatives ask.
	if resp, _ := rep.do(t, "GET", "/api/v1/duty/swaps", nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("representative lists all requests: %d", resp.StatusCode)
	}
	if resp, _ := wang.do(t, "POST", "/api/v1/rep/duty/swaps", console.SwapRequest{Station: "HX01", Day: day}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("staff asks for a swap: %d", resp.StatusCode)
	}
	resp, body = wang.do(t, "GET", "/api/v1/duty/swaps?state=pending", nil)
	var list console.DutySwapList
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &list) != nil || len(list.Swaps) != 1 || list.Swaps[0].ID != asked.ID {
		t.Fatalf("pending list: %d %s", resp.StatusCode, body)
	}

	events := func() int {
		evs, err := f.st.StreamEvents(context.Background(), "duty:HX01:"+day)
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}
	before := events()
	path := "/api/v1/duty/swaps/" + jsonInt(asked.ID)
	resp, body = wang.do(t, "POST", path+"/approve", console.SwapDecision{Note: "同意"})
	var decided console.DutySwap
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &decided) != nil || decided.State != "approved" ||
		decided.Replacement != "HX01-R03" || decided.Decided == nil || decided.DecidedBy == "" {
		t.Fatalf("approve: %d %s", resp.StatusCode, body)
	}
	if got := f.dutyDay(t, day); !slices.Equal(got, []string{"HX01-R03", "HX01-R02"}) {
		t.Fatalf("roster after approval %v", got)
	}
	evs, _ := f.st.StreamEvents(context.Background(), "duty:HX01:"+day)
	if len(evs) != before+1 || evs[len(evs)-1].Actor.ID != "wangzr" || evs[len(evs)-1].Station != "HX01" {
		t.Fatalf("roster fact %+v", evs[len(evs)-1])
	}
	if resp, body := wang.do(t, "POST", path+"/reject", console.SwapDecision{}); resp.StatusCode != http.StatusConflict ||
		errorCode(t, body) != domain.CodeSwapDecided {
		t.Fatalf("decide twice: %d %s", resp.StatusCode, body)
	}
	d = repDuty(t, rep)
	if shiftOn(d, day) != nil || len(d.Swaps) != 1 || d.Swaps[0].State != "approved" {
		t.Fatalf("rep's calendar after approval %+v", d)
	}

	// R02 asks too, and is refused: nothing is written to the roster.
	r2 := f.repAccount(t, "lisi", "HX01-R02")
	resp, body = r2.do(t, "POST", "/api/v1/rep/duty/swaps", console.SwapRequest{Station: "HX01", Day: day})
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &asked) != nil {
		t.Fatalf("second rep's request: %d %s", resp.StatusCode, body)
	}
	before = events()
	if resp, body := wang.do(t, "POST", "/api/v1/duty/swaps/"+jsonInt(asked.ID)+"/approve",
		console.SwapDecision{Replacement: ptr("HX01-R03")}); resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != domain.CodeSwapColleague {
		t.Fatalf("replacement already on duty: %d %s", resp.StatusCode, body)
	}
	resp, body = wang.do(t, "POST", "/api/v1/duty/swaps/"+jsonInt(asked.ID)+"/reject", console.SwapDecision{Note: "当天人手不足"})
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &decided) != nil || decided.State != "rejected" || decided.Note != "当天人手不足" {
		t.Fatalf("reject: %d %s", resp.StatusCode, body)
	}
	if events() != before || !slices.Equal(f.dutyDay(t, day), []string{"HX01-R03", "HX01-R02"}) {
		t.Fatal("a rejection changed the roster")
	}
	if resp, _ := wang.do(t, "POST", "/api/v1/duty/swaps/999/approve", console.SwapDecision{}); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown request: %d", resp.StatusCode)
	}
}

// repAccount adds a representative account and logs it in.
func (f *fixture) repAccount(t *testing.T, login, rep string) *client {
	t.Helper()
	if _, err := f.con.Accounts().Add(context.Background(), console.NewUser{Login: login, Name: login, Role: "representative",
		RepID: rep, Password: password}); err != nil {
		t.Fatal(err)
	}
	return f.login(t, login)
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

func ptr[T any](v T) *T { return &v }
