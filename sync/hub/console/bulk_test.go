package console_test

import (
	"context"
	"encoding/json"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
)

type bulkAnswer struct {
	Results []console.BulkResult `json:"results"`
}

// TestBulkAssign: staff assign several selected cases at once from a signed-in session; each
// case the lifecycle lets through gets its own case.assigned naming the person, with the
// category's deadline, and the others are refused one by one with their reason, unchanged.
func TestBulkAssign(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	a, b, c := f.newCase(t, domain.StateAccepted, ""), f.newCase(t, domain.StateAccepted, ""), f.newCase(t, domain.StateAccepted, "")
	submitted := f.newCase(t, domain.StateSubmitted, "")
	closed := f.newCase(t, domain.StateClosed, otherDept)
	before := map[string]int{}
	for _, cs := range []domain.Case{submitted, closed} {
		evs, err := f.st.StreamEvents(ctx, cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		before[cs.ID] = len(evs)
	}

	// the selection as the inbox sends it: ids, or numbers typed in
	ids := []string{a.ID, b.Number, submitted.ID, closed.ID, "HX01-K1-20261123-9999", c.ID}
	resp, body := f.login(t, "wangzr").do(t, "POST", "/api/v1/cases/bulk/assign",
		map[string]any{"ids": ids, "dept_code": deptCode})
	var got bulkAnswer
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != 200 || len(got.Results) != len(ids) {
		t.Fatalf("bulk assign: %d %s", resp.StatusCode, body)
	}
	want := []struct {
		ok   bool
		code string
	}{{true, ""}, {true, ""}, {false, "transition_state"}, {false, "transition_state"}, {false, "case_not_found"}, {true, ""}}
	for i, r := range got.Results {
		if r.ID != ids[i] || r.OK != want[i].ok || r.Code != want[i].code || (!r.OK && r.Message == "") {
			t.Errorf("result %d: %+v, want ok=%v code %q", i, r, want[i].ok, want[i].code)
		}
	}

	person := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}
	for _, cs := range []domain.Case{a, b, c} {
		evs, err := f.st.StreamEvents(ctx, cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := evs[len(evs)-1]
		var p domain.CaseAssigned
		if err := json.Unmarshal(last.Data, &p); err != nil || last.Kind != domain.KindCaseAssigned || last.Actor != person {
			t.Fatalf("%s: last event %s by %+v (%v), want case.assigned by %+v", cs.Number, last.Kind, last.Actor, err, person)
		}
		now, err := f.st.Case(ctx, cs.ID)
		if err != nil || now.State != domain.StateAssigned || now.DeptCode != deptCode || p.DeptCode != deptCode ||
			!now.Due.Equal(domain.DefaultRules().HandleDeadline(t0, cs.Category)) {
			t.Errorf("%s after bulk assign: %s to %q due %v (%v)", cs.Number, now.State, now.DeptCode, now.Due, err)
		}
	}
	for _, cs := range []domain.Case{submitted, closed} {
		evs, _ := f.st.StreamEvents(ctx, cs.ID)
		now, _ := f.st.Case(ctx, cs.ID)
		if len(evs) != before[cs.ID] || now.State != cs.State || now.DeptCode != cs.DeptCode {
			t.Errorf("%s refused but changed: %d events (was %d), %s to %q", cs.Number, len(evs), before[cs.ID], now.State, now.DeptCode)
		}
	}
}

// TestBulkAssignIsTheDesks: a department's people, or a representative, may not assign; the
// whole request is refused and no case moves. An empty or oversized selection is a bad request.
func TestBulkAssignIsTheDesks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cs := f.newCase(t, domain.StateAccepted, "")
	for _, login := range []string{"zhujianju", "daibiao"} {
		resp, body := f.login(t, login).do(t, "POST", "/api/v1/cases/bulk/assign",
			map[string]any{"ids": []string{cs.ID}, "dept_code": deptCode})
		if resp.StatusCode != 403 || errorCode(t, body) != "forbidden" {
			t.Errorf("%s bulk assign: %d %s, want 403 forbidden", login, resp.StatusCode, body)
		}
	}
	if now, err := f.st.Case(context.Background(), cs.ID); err != nil || now.State != domain.StateAccepted {
		t.Fatalf("case after refused bulk assigns: %s (%v)", now.State, err)
	}
	admin := f.login(t, "admin")
	many := make([]string, 201)
	for i := range many {
		many[i] = cs.ID
	}
	for name, ids := range map[string][]string{"none": {}, "201": many} {
		resp, body := admin.do(t, "POST", "/api/v1/cases/bulk/assign", map[string]any{"ids": ids, "dept_code": deptCode})
		if resp.StatusCode != 400 || errorCode(t, body) != domain.CodeBulkAssignInvalid {
			t.Errorf("%s selected: %d %s, want 400 bulk_assign_invalid", name, resp.StatusCode, body)
		}
	}
}
