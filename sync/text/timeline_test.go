package text

import (
	"encoding/json"
	"testing"
	"time"

	"liaison/sync/domain"
)

func event(t *testing.T, kind domain.Kind, actor domain.Actor, at time.Time, payload any) domain.Event {
	t.Helper()
	ev := domain.Event{ID: string(kind) + at.String(), Kind: kind, Stream: "c1", Actor: actor, At: at}
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			t.Fatal(err)
		}
		ev.Data = b
	}
	return ev
}

func TestTimelineWording(t *testing.T) {
	t.Parallel()
	cst := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	resident := domain.Actor{Role: domain.RoleResident, ID: "res-1", Name: "张*"}
	staff := domain.Actor{Role: domain.RoleStaff, ID: "staff", Name: "街道人大工委"}
	dept := domain.Actor{Role: domain.RoleDepartment, ID: "D1", Name: "街道城管科"}
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "R2", Name: "李四"}
	hub := domain.Actor{Role: domain.RoleSystem, ID: domain.HubDevice}
	evs := []domain.Event{
		event(t, domain.KindCaseSubmitted, resident, at, domain.CaseSubmitted{Text: "楼下垃圾未清运"}),
		event(t, domain.KindCaseAccepted, staff, at.Add(time.Hour), domain.CaseAccepted{RepID: "R1", RepName: "张三"}),
		event(t, domain.KindCaseAccepted, rep, at.Add(2*time.Hour), domain.CaseAccepted{}),
		event(t, domain.KindCaseCoHandler, hub, at.Add(2*time.Hour), domain.CaseCoHandler{RepID: "R2", RepName: "李四"}),
		event(t, domain.KindCaseAssigned, staff, at.Add(3*time.Hour), domain.CaseAssigned{DeptName: "街道城管科", Due: time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC)}),
		event(t, domain.KindCaseProgress, dept, at.Add(4*time.Hour), domain.CaseNote{Note: "已联系13900000000处理"}),
		event(t, domain.KindCaseReplied, dept, at.Add(5*time.Hour), domain.CaseReplied{Reply: "垃圾已清运"}),
		event(t, domain.KindCaseRated, resident, at.Add(6*time.Hour), domain.CaseRated{Rating: domain.RatingUnsatisfied, Comment: "还有味道"}),
		event(t, domain.KindCaseClosed, hub, at.Add(7*time.Hour), domain.CaseNote{}),
		event(t, domain.Kind("case.future"), hub, at.Add(8*time.Hour), nil),
		event(t, domain.KindCaseEscalated, staff, at.Add(9*time.Hour), domain.CaseEscalated{To: "QU", ToName: "示范区", Note: "需区住建局协调，联系13900000000"}),
		event(t, domain.KindCaseEscalated, staff, at.Add(10*time.Hour), domain.CaseEscalated{To: "SHI", ToName: "示范市"}),
	}
	applied := make([]domain.Applied, len(evs))
	for i := range applied {
		applied[i].Effective = i != 2 // the losing claim
	}
	type line struct{ label, actor, text string }
	public := []line{
		{"提交", "张*", ""},
		{"代表领办", "街道人大工委", "由代表 张三 领办"},
		{"增加协办代表", "系统", "代表 李四 协同办理"},
		{"交办", "街道人大工委", "交由 街道城管科 办理，办理期限 2026-03-10"},
		{"办理进展", "街道城管科", "已联系" + domain.ScrubbedNumber + "处理"},
		{"答复", "街道城管科", "垃圾已清运"},
		{"评价", "张*", "不满意"},
		{"办结", "系统", "评价期已过，系统自动办结"},
		{"事项更新", "系统", ""},
		{"上报上级", "街道人大工委", "上报至示范区：需区住建局协调，联系" + domain.ScrubbedNumber},
		{"上报上级", "街道人大工委", "上报至示范市"},
	}
	check := func(name string, got []Entry, want []line) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d: %+v", name, len(got), len(want), got)
		}
		for i, w := range want {
			if g := got[i]; g.Label != w.label || g.Actor != w.actor || g.Text != w.text {
				t.Errorf("%s %d: got %q · %q · %q, want %q · %q · %q", name, i, g.Label, g.Actor, g.Text, w.label, w.actor, w.text)
			}
		}
	}
	o := Options{Lang: ZhCN, Loc: cst, Audience: Public, Submitter: "张*"}
	check("public", Timeline(evs, applied, o), public)

	owner := append([]line(nil), public...)
	owner[4].text = "已联系13900000000处理"
	owner[6].text = "不满意：还有味道"
	owner[9].text = "上报至示范区：需区住建局协调，联系13900000000"
	o.Audience = Owner
	check("owner", Timeline(evs, applied, o), owner)

	if all := Timeline(evs, nil, o); len(all) != len(evs) || all[2].Actor != "代表 李四" {
		t.Errorf("without a verdict every event is shown: %+v", all)
	}
	o.Lang = En
	if got := Timeline(evs[:2], nil, o); got[1].Label != "Taken up by a representative" || got[1].Text != "Taken up by representative 张三" {
		t.Errorf("en: %+v", got)
	}
}

func TestTimelineLeavesOutTheResidentsWordsInPublic(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	anon := domain.Actor{Role: domain.RoleAnonymous}
	evs := []domain.Event{
		event(t, domain.KindCaseWithdrawn, anon, at, domain.CaseNote{Note: "我叫王五，电话13800000000"}),
		event(t, domain.KindCaseMerged, domain.Actor{Role: domain.RoleStaff}, at, domain.CaseMerged{Into: "c2"}),
	}
	numbers := func(id string) string { return map[string]string{"c2": "HX01-0002"}[id] }
	got := Timeline(evs, nil, Options{Lang: ZhCN, Audience: Public, Submitter: Submitter(ZhCN, domain.Case{Anonymous: true, SurnameMask: "王*"}), CaseNumber: numbers})
	if got[0].Text != "" || got[0].Actor != "匿名群众" {
		t.Errorf("withdrawal: %+v", got[0])
	}
	if got[1].Actor != "工作人员" || got[1].Text != "与事项 HX01-0002 合并办理" {
		t.Errorf("merge: %+v", got[1])
	}
	if got := Timeline(evs[1:], nil, Options{Lang: ZhCN}); got[0].Text != "与其他相同诉求合并办理" {
		t.Errorf("merge without numbers: %+v", got[0])
	}
}

func TestTimelineWordsARepresentativesReplyToTheResident(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "R2", Name: "李四"}
	evs := []domain.Event{
		event(t, domain.KindCaseProgress, rep, at, domain.CaseNote{Note: "已到现场看过，明天联系物业"}),
		event(t, domain.KindCaseProgress, rep, at.Add(time.Hour), domain.CaseNote{Note: "已请物业答复，电话13900000000", ToResident: true}),
	}
	got := Timeline(evs, nil, Options{Lang: ZhCN, Audience: Public})
	if got[0].Label != "办理进展" || got[1].Label != "代表答复" || got[1].Actor != "代表 李四" ||
		got[1].Text != "已请物业答复，电话"+domain.ScrubbedNumber {
		t.Errorf("zh: %+v", got)
	}
	if en := Timeline(evs[1:], nil, Options{Lang: En, Audience: Owner}); en[0].Label != "Representative's reply" {
		t.Errorf("en: %+v", en)
	}
}

// Staff see what the others do not: the events that did not take effect, with why, and the
// hub's audit of who was shown the resident's contact.
func TestTimelineForStaffKeepsEverything(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	resident := domain.Actor{Role: domain.RoleResident, ID: "res-1"}
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "R2", Name: "李四"}
	wang := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}
	evs := []domain.Event{
		event(t, domain.KindCaseSubmitted, resident, at, domain.CaseSubmitted{Text: "楼下垃圾未清运"}),
		event(t, domain.KindCaseAccepted, rep, at.Add(time.Hour), domain.CaseAccepted{RepID: "R2", RepName: "李四"}),
		event(t, domain.KindCaseSupervised, wang, at.Add(2*time.Hour), domain.CaseNote{Note: "请尽快"}),
		event(t, domain.KindContactRevealed, wang, at.Add(3*time.Hour), map[string]string{"field": "phone"}),
		event(t, domain.KindCaseWithdrawn, resident, at.Add(4*time.Hour), domain.CaseNote{Note: "已自行解决"}),
	}
	applied := make([]domain.Applied, len(evs))
	for i := range applied {
		applied[i].Effective = i != 2 && i != 3 // a supervision refused; the audit has no verdict
	}
	applied[2].Reason, applied[2].Params = domain.CodeStateForbidden, map[string]string{"state": "accepted"}
	applied[3].Reason = domain.CodeEventNotCase
	o := Options{Lang: ZhCN, Audience: Staff, Submitter: "张*"}
	got := Timeline(evs, applied, o)
	if len(got) != len(evs) {
		t.Fatalf("staff see %d entries, want %d: %+v", len(got), len(evs), got)
	}
	if s := got[2]; s.Effective || s.Reason != domain.CodeStateForbidden || s.Params["state"] != "accepted" ||
		s.Label != "督办" || s.Text != "请尽快" || s.Role != domain.RoleStaff {
		t.Errorf("the supervision that did not take effect: %+v", s)
	}
	if c := got[3]; !c.Effective || c.Label != "查看联系方式" || c.Actor != "王主任（街道人大工委）" || c.Text != "查看了群众的联系电话" {
		t.Errorf("contact look: %+v", c)
	}
	if w := got[4]; !w.Effective || w.Actor != "张*" || w.Text != "已自行解决" || w.Role != domain.RoleResident {
		t.Errorf("withdrawal: %+v", w)
	}
	if en := Timeline(evs[3:4], nil, Options{Lang: En, Audience: Staff}); en[0].Label != "Contact details viewed" ||
		en[0].Text != "Viewed the resident's phone number" {
		t.Errorf("en: %+v", en)
	}
	for _, a := range []Audience{Public, Owner} {
		o.Audience = a
		got := Timeline(evs, applied, o)
		if len(got) != 3 || got[1].Kind != domain.KindCaseAccepted || got[2].Kind != domain.KindCaseWithdrawn {
			t.Errorf("audience %d sees %+v", a, got)
		}
		if all := Timeline(evs, nil, o); len(all) != 4 {
			t.Errorf("audience %d without a verdict sees the audit: %+v", a, all)
		}
	}
}
