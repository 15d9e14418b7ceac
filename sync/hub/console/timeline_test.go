package console_test

import (
	"context"
	"encoding/json"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/store/storetest"
	"liaison/sync/text"
)

// The console's and the phone's timelines are text.Timeline's for the Staff audience, word
// for word: the claim that lost kept and marked, the contact look shown to staff only, the
// merge worded with the other case's number.
func TestTimelineIsTheSharedStaffWording(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	wang, dept, zhang := f.login(t, "wangzr"), f.login(t, "zhujianju"), f.login(t, "daibiao")
	cs := f.newCase(t, domain.StateSubmitted, "")
	dup := f.newCase(t, domain.StateSubmitted, "")

	// 李四 claims at an offline kiosk; 张三's claim on the phone arrives first and leads
	kioskClaim := f.kiosk.Claim(t, cs.ID, "HX01-R02", "李四")
	repDo(t, zhang, "POST", "/api/v1/rep/cases/"+cs.ID+"/claim", nil)
	if _, err := f.st.ApplyFacts(ctx, f.kiosk.Dev.ID, []domain.Event{kioskClaim}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		c    *client
		path string
		body any
	}{
		{wang, "/api/v1/cases/" + cs.ID + "/assign", map[string]any{"dept_code": deptCode}},
		{wang, "/api/v1/cases/" + dup.ID + "/merge", map[string]any{"into": cs.Number}},
		{wang, "/api/v1/cases/" + cs.ID + "/supervise", map[string]any{"note": "请联系13900000000尽快处理"}},
		{wang, "/api/v1/cases/" + cs.ID + "/contact", nil},
		{dept, "/api/v1/cases/" + cs.ID + "/progress", map[string]any{"note": "已派人查看"}},
		{dept, "/api/v1/cases/" + cs.ID + "/reply", map[string]any{"reply": "路灯已修复"}},
	}
	for _, s := range steps {
		if resp, body := s.c.do(t, "POST", s.path, s.body); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", s.path, resp.StatusCode, body)
		}
	}
	rating := f.kiosk.Fact(t, cs.ID, domain.KindCaseRated,
		domain.Actor{Role: domain.RoleResident, ID: storetest.Resident, Name: "张*"},
		domain.CaseRated{Rating: domain.RatingBasically, Comment: "修得还算及时"})
	if _, err := f.st.ApplyFacts(ctx, f.kiosk.Dev.ID, []domain.Event{rating}); err != nil {
		t.Fatal(err)
	}

	// want is text.Timeline's wording of a case's events, as kept in the store
	want := func(id string, withAudit bool) []text.Entry {
		t.Helper()
		c, err := f.st.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := f.st.StreamEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		shown := evs[:0:0]
		for _, ev := range evs {
			if ev.Kind != domain.KindContactRevealed || withAudit {
				shown = append(shown, ev)
			}
		}
		_, applied := domain.Fold(shown, domain.DefaultRules())
		number := func(other string) string {
			if o, err := f.st.Case(ctx, other); err == nil {
				return o.Number
			}
			return ""
		}
		return text.Timeline(shown, applied, text.Options{Lang: text.ZhCN, Loc: domain.DefaultRules().Location,
			Audience: text.Staff, Submitter: text.Submitter(text.ZhCN, c), CaseNumber: number})
	}
	same := func(who string, got []console.TimelineEntry, want []text.Entry) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d: %+v", who, len(got), len(want), got)
		}
		for i, w := range want {
			g := got[i]
			if !g.At.Equal(w.At) || g.Kind != w.Kind || g.Label != w.Label || g.Actor != w.Actor || g.Role != w.Role ||
				g.Text != w.Text || g.Effective != w.Effective || g.Reason != w.Reason {
				t.Errorf("%s %d: got %+v, want %+v", who, i, g, w)
			}
		}
	}
	detail := func(c *client, id string) []console.TimelineEntry {
		t.Helper()
		resp, body := c.do(t, "GET", "/api/v1/cases/"+id, nil)
		var d console.CaseDetail
		if resp.StatusCode != 200 || json.Unmarshal(body, &d) != nil {
			t.Fatalf("detail of %s: %d %s", id, resp.StatusCode, body)
		}
		return d.Timeline
	}

	forStaff := want(cs.ID, true)
	same("staff", detail(wang, cs.ID), forStaff)
	same("department", detail(dept, cs.ID), want(cs.ID, false))
	same("phone", repDo(t, zhang, "GET", "/api/v1/rep/cases/"+cs.ID, nil).Timeline, want(cs.ID, false))
	same("merged case", detail(wang, dup.ID), want(dup.ID, true))

	// and the shared wording is the one the desk has always read for these
	lines := map[domain.Kind]text.Entry{}
	var lost *text.Entry
	for i, e := range forStaff {
		if !e.Effective {
			lost = &forStaff[i]
			continue
		}
		lines[e.Kind] = e
	}
	if lost == nil || lost.Kind != domain.KindCaseAccepted || lost.Actor != "代表 李四" || lost.Reason == "" {
		t.Errorf("the losing claim: %+v", lost)
	}
	checks := []struct {
		kind               domain.Kind
		label, actor, text string
	}{
		{domain.KindCaseSubmitted, "提交", "张*", ""},
		{domain.KindCaseCoHandler, "增加协办代表", "系统", "代表 李四 协同办理"},
		{domain.KindCaseSupervised, "督办", "王主任（街道人大工委）", "请联系13900000000尽快处理"},
		{domain.KindContactRevealed, "查看联系方式", "王主任（街道人大工委）", "查看了群众的联系电话"},
		{domain.KindCaseReplied, "答复", "朱建军（街道城管科）", "路灯已修复"},
		{domain.KindCaseRated, "评价", "张*", "基本满意：修得还算及时"},
	}
	for _, c := range checks {
		if e := lines[c.kind]; e.Label != c.label || e.Actor != c.actor || e.Text != c.text {
			t.Errorf("%s: %q · %q · %q, want %q · %q · %q", c.kind, e.Label, e.Actor, e.Text, c.label, c.actor, c.text)
		}
	}
	merged := want(dup.ID, true)
	if m := merged[len(merged)-1]; m.Kind != domain.KindCaseMerged || m.Text != "与事项 "+cs.Number+" 合并办理" {
		t.Errorf("merge: %+v", m)
	}
}
