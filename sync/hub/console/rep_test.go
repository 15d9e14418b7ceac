package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
)

// addRep adds a representative account; HX01-R02 (李四) serves 幸福里社区 like the fixture's
// daibiao (HX01-R01, 张三), HX01-R03 (王五) serves 长青社区 and 明月社区.
func (f *fixture) addRep(t *testing.T, login, name, repID string) {
	t.Helper()
	if _, err := f.con.Accounts().Add(context.Background(), console.NewUser{Login: login, Name: name,
		Role: "representative", RepID: repID, Password: password}); err != nil {
		t.Fatal(err)
	}
}

func repList(t *testing.T, c *client, view string) []console.RepCase {
	t.Helper()
	resp, body := c.do(t, "GET", "/api/v1/rep/cases?view="+view, nil)
	var l console.RepCaseList
	if resp.StatusCode != 200 || json.Unmarshal(body, &l) != nil || l.View != view {
		t.Fatalf("list %s: %d %s", view, resp.StatusCode, body)
	}
	return l.Cases
}

// repDo sends a request that must answer a case's detail.
func repDo(t *testing.T, c *client, method, path string, body any) console.RepCaseDetail {
	t.Helper()
	resp, raw := c.do(t, method, path, body)
	return repDetail(t, resp, raw)
}

func repDetail(t *testing.T, resp *http.Response, body []byte) console.RepCaseDetail {
	t.Helper()
	var d console.RepCaseDetail
	if resp.StatusCode != 200 || json.Unmarshal(body, &d) != nil {
		t.Fatalf("detail: %d %s", resp.StatusCode, body)
	}
	return d
}

func has(cases []console.RepCase, id string) bool {
	return slices.ContainsFunc(cases, func(c console.RepCase) bool { return c.ID == id })
}

func TestRepSeesAndActsOnlyInTheirScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addRep(t, "lisi", "李四", "HX01-R02")
	f.addRep(t, "wangwu", "王五", "HX01-R03")
	zhang, li, wang := f.login(t, "daibiao"), f.login(t, "lisi"), f.login(t, "wangwu")
	c1 := f.newCase(t, domain.StateSubmitted, "")

	resp, body := zhang.do(t, "GET", "/api/v1/rep/me", nil)
	var me console.RepProfile
	if resp.StatusCode != 200 || json.Unmarshal(body, &me) != nil || me.RepID != "HX01-R01" ||
		!slices.Equal(me.Communities, []string{"幸福里社区"}) || me.FirstReplyTargetHours != 24 {
		t.Fatalf("me: %d %s", resp.StatusCode, body)
	}
	fresh := repList(t, zhang, console.RepViewNew)
	if !has(fresh, c1.ID) {
		t.Fatalf("a new case in my community is missing from 新事项")
	}
	for _, c := range fresh {
		if c.Community != "幸福里社区" || c.State != domain.StateSubmitted || c.Token != "" {
			t.Errorf("新事项 lists %s (%s, %s, token %q)", c.Number, c.Community, c.State, c.Token)
		}
	}
	if has(repList(t, wang, console.RepViewNew), c1.ID) {
		t.Error("a representative of other communities sees the case")
	}
	for _, path := range []string{"/api/v1/rep/cases/" + c1.ID} {
		if resp, body := wang.do(t, "GET", path, nil); resp.StatusCode != 404 || errorCode(t, body) != "case_not_found" {
			t.Errorf("another community's case: %d %s", resp.StatusCode, body)
		}
	}
	if resp, body := wang.do(t, "POST", "/api/v1/rep/cases/"+c1.ID+"/claim", nil); resp.StatusCode != 404 {
		t.Errorf("claim in another community: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.login(t, "wangzr").do(t, "GET", "/api/v1/rep/cases", nil); resp.StatusCode != 403 || errorCode(t, body) != "forbidden" {
		t.Errorf("staff on the phone API: %d %s", resp.StatusCode, body)
	}
	d := repDo(t, zhang, "GET", "/api/v1/rep/cases/"+c1.ID, nil)
	if !d.CanClaim || d.CanNote || d.StatusURL != "" || !d.FirstReplyDue.Equal(c1.SubmittedAt.Add(24*time.Hour)) {
		t.Fatalf("detail before the claim: %+v", d)
	}
	if resp, body := zhang.do(t, "POST", "/api/v1/rep/cases/"+c1.ID+"/notes", console.RepNote{Note: "先看看"}); resp.StatusCode != 409 ||
		errorCode(t, body) != domain.CodeHandlerOnly {
		t.Errorf("a note before the claim: %d %s", resp.StatusCode, body)
	}

	// 领办: recorded as the kiosk records it
	d = repDo(t, zhang, "POST", "/api/v1/rep/cases/"+c1.ID+"/claim", nil)
	if d.Case.State != domain.StateAccepted || d.Case.RepID != "HX01-R01" || !d.Case.Lead || d.CanClaim || !d.CanNote ||
		!strings.HasPrefix(d.StatusURL, "https://hub.test/c/"+c1.Number+"?t=") {
		t.Fatalf("after the claim: %+v", d)
	}
	evs, err := f.st.StreamEvents(context.Background(), c1.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	var acc domain.CaseAccepted
	if last.Kind != domain.KindCaseAccepted || last.Actor != (domain.Actor{Role: domain.RoleRepresentative, ID: "HX01-R01", Name: "张三"}) ||
		json.Unmarshal(last.Data, &acc) != nil || acc != (domain.CaseAccepted{RepID: "HX01-R01", RepName: "张三"}) {
		t.Fatalf("claim event %+v %s", last, last.Data)
	}
	// another representative's claim is refused, clearly
	resp, body = li.do(t, "POST", "/api/v1/rep/cases/"+c1.ID+"/claim", nil)
	var apiErr console.APIError
	if resp.StatusCode != 409 || json.Unmarshal(body, &apiErr) != nil || apiErr.Code != domain.CodeRepClaimed ||
		apiErr.Message != "该事项已由 张三 领办" {
		t.Fatalf("second claim: %d %s", resp.StatusCode, body)
	}
	if has(repList(t, li, console.RepViewNew), c1.ID) || !has(repList(t, zhang, console.RepViewMine), c1.ID) {
		t.Error("a claimed case is still new, or not in 我的事项")
	}
	if resp, body := li.do(t, "POST", "/api/v1/rep/cases/"+c1.ID+"/notes", console.RepNote{Note: "我也来", ToResident: true}); resp.StatusCode != 404 {
		t.Errorf("a note on another's case: %d %s", resp.StatusCode, body)
	}
	// a second tap of the one who claimed changes nothing
	d = repDo(t, zhang, "POST", "/api/v1/rep/cases/"+c1.ID+"/claim", nil)
	if d.Case.Version != 2 {
		t.Errorf("repeat claim recorded again: version %d", d.Case.Version)
	}

	// 秒回复 and a follow-up note
	f.clk.Advance(90 * time.Minute)
	zhang = f.login(t, "daibiao") // the session went idle meanwhile
	d = repDo(t, zhang, "POST", "/api/v1/rep/cases/"+c1.ID+"/notes",
		console.RepNote{Note: "您好，我是代表张三，已收到，明天到现场查看。", ToResident: true})
	reply := d.Timeline[len(d.Timeline)-1]
	if reply.Label != "代表答复" || reply.Actor != "代表 张三" || !d.FirstReplyAt.Equal(t0.Add(90*time.Minute)) {
		t.Fatalf("reply: %+v first %v", reply, d.FirstReplyAt)
	}
	f.clk.Advance(time.Hour)
	zhang = f.login(t, "daibiao")
	d = repDo(t, zhang, "POST", "/api/v1/rep/cases/"+c1.ID+"/notes", console.RepNote{Note: "已到现场，路灯线路老化"})
	if n := d.Timeline[len(d.Timeline)-1]; n.Label != "办理进展" || !d.FirstReplyAt.Equal(t0.Add(90*time.Minute)) {
		t.Fatalf("note: %+v first %v", n, d.FirstReplyAt)
	}
	if resp, body := zhang.do(t, "POST", "/api/v1/rep/cases/"+c1.ID+"/notes", console.RepNote{Note: "  "}); resp.StatusCode != 400 ||
		errorCode(t, body) != domain.CodeProgressRequired {
		t.Errorf("empty note: %d %s", resp.StatusCode, body)
	}
	long := strings.Repeat("字", domain.MaxNoteRunes+1)
	if resp, body := zhang.do(t, "POST", "/api/v1/rep/cases/"+c1.ID+"/notes", console.RepNote{Note: long}); resp.StatusCode != 400 ||
		errorCode(t, body) != domain.CodeRepNoteTooLong {
		t.Errorf("long note: %d %s", resp.StatusCode, body)
	}
	// a closed case with its rating is 已办结
	closed := f.newCase(t, domain.StateClosed, deptCode) // led by HX01-R01
	done := repList(t, zhang, console.RepViewDone)
	if !has(done, closed.ID) || has(done, c1.ID) || has(repList(t, zhang, console.RepViewMine), closed.ID) {
		t.Error("已办结 lists the wrong cases")
	}
}

func TestPhoneClaimAndOfflineKioskClaimSettleByCoHandler(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	zhang := f.login(t, "daibiao")
	c1 := f.newCase(t, domain.StateSubmitted, "")
	// 李四 claims at the kiosk while it is offline: the fact is made before the phone claim
	// and arrives after it
	kioskClaim := f.kiosk.Claim(t, c1.ID, "HX01-R02", "李四")
	repDo(t, zhang, "POST", "/api/v1/rep/cases/"+c1.ID+"/claim", nil)
	if _, err := f.st.ApplyFacts(context.Background(), f.kiosk.Dev.ID, []domain.Event{kioskClaim}); err != nil {
		t.Fatal(err)
	}
	d := repDo(t, zhang, "GET", "/api/v1/rep/cases/"+c1.ID, nil)
	if d.Case.RepID != "HX01-R01" || len(d.Case.CoHandlers) != 1 || d.Case.CoHandlers[0].RepID != "HX01-R02" {
		t.Fatalf("after both claims: lead %s, co-handlers %+v", d.Case.RepID, d.Case.CoHandlers)
	}
	// the co-handler finds it among their cases, may write on it, and does not lead it
	f.addRep(t, "lisi", "李四", "HX01-R02")
	li := f.login(t, "lisi")
	mine := repList(t, li, console.RepViewMine)
	i := slices.IndexFunc(mine, func(c console.RepCase) bool { return c.ID == c1.ID })
	if i < 0 || mine[i].Lead || !mine[i].Mine {
		t.Fatalf("李四's cases: %+v", mine)
	}
	if d := repDo(t, li, "POST", "/api/v1/rep/cases/"+c1.ID+"/notes", console.RepNote{Note: "我协助联系物业"}); !d.CanNote || d.Case.Lead {
		t.Errorf("co-handler's note: %+v", d)
	}
}

func TestRepAPIRefusesUnknownViewsAndStrangers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	zhang := f.login(t, "daibiao")
	if resp, body := zhang.do(t, "GET", "/api/v1/rep/cases?view=everything", nil); resp.StatusCode != 400 || errorCode(t, body) != "bad_view" {
		t.Errorf("unknown view: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.anonymous(t).do(t, "GET", "/api/v1/rep/me", nil); resp.StatusCode != 401 {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
}

func TestRepStreamTellsOfCasesInTheirCommunities(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addRep(t, "wangwu", "王五", "HX01-R03") // 长青社区, 明月社区
	open := func(login string) (<-chan string, func()) { return f.openStream(t, login) }
	zhangLines, stopZhang := open("daibiao")
	defer stopZhang()
	wangLines, stopWang := open("wangwu")
	defer stopWang()
	c1 := f.newCase(t, domain.StateSubmitted, "") // 幸福里社区
	marker := f.newCase(t, domain.StateSubmitted, "")
	// 张三 claims the second one: the stream tells him of both
	repDo(t, f.login(t, "daibiao"), "POST", "/api/v1/rep/cases/"+marker.ID+"/claim", nil)
	seen := func(lines <-chan string, until func(console.CaseEvent) bool) []console.CaseEvent {
		t.Helper()
		var got []console.CaseEvent
		deadline := time.After(10 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatal("stream ended")
				}
				data, found := strings.CutPrefix(l, "data: ")
				if !found {
					continue
				}
				var ev console.CaseEvent
				if err := json.Unmarshal([]byte(data), &ev); err != nil {
					t.Fatal(err)
				}
				got = append(got, ev)
				if until(ev) {
					return got
				}
			case <-deadline:
				return got
			}
		}
	}
	zhang := seen(zhangLines, func(ev console.CaseEvent) bool { return ev.ID == marker.ID && ev.State == domain.StateAccepted })
	if !slices.ContainsFunc(zhang, func(ev console.CaseEvent) bool { return ev.ID == c1.ID && ev.State == domain.StateSubmitted }) {
		t.Errorf("the representative was not told of a new case in his community: %+v", zhang)
	}
	// 王五 serves other communities: by the time a case of his own changes he has heard of neither
	mine := f.newCase(t, domain.StateSubmitted, "")
	if _, err := f.st.Act(context.Background(), mine.ID, domain.KindCaseAccepted, staff,
		domain.CaseAccepted{RepID: "HX01-R03", RepName: "王五"}); err != nil {
		t.Fatal(err)
	}
	wang := seen(wangLines, func(ev console.CaseEvent) bool { return ev.ID == mine.ID && ev.State == domain.StateAccepted })
	if len(wang) == 0 || wang[len(wang)-1].ID != mine.ID {
		t.Fatalf("王五 was not told of the case he leads: %+v", wang)
	}
	for _, ev := range wang {
		if ev.ID == c1.ID || ev.ID == marker.ID {
			t.Errorf("王五 was told of a case of another community: %+v", ev)
		}
	}
}
