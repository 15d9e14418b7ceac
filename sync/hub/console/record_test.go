package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"liaison/internal/pdftext"
	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/record"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

// feb is a month the demo street has no acts in: the test's own acts are all there is.
var feb = time.Date(2027, 2, 3, 1, 0, 0, 0, time.UTC) // 09:00 in the stations' zone

const (
	r1 = "HX01-R01" // the fixture's representative account daibiao
	r2 = "HX01-R02"
)

func repName(t *testing.T, f *fixture, id string) string {
	t.Helper()
	raw, err := f.st.RefData(context.Background(), domain.KindRepresentativeUpserted, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range raw {
		var rep domain.Representative
		if err := json.Unmarshal(r, &rep); err == nil && rep.ID == id {
			return rep.Name
		}
	}
	t.Fatalf("no representative %s in the demo street", id)
	return ""
}

// repActs records, on a kiosk in February 2027: r1 claims a case and replies to the resident
// after 2 hours, signs in on duty twice on one day, logs a reception and checks in at an
// activity; r2's claim of the same case, made offline, loses and makes r2 co-handler.
func repActs(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	f.clk.Set(feb)
	k := &storetest.Facts{Dev: storetest.Pair(t, f.st, seed.StationCode, store.RoleKiosk, ""), Now: f.clk.Now}
	apply := func(evs ...domain.Event) {
		t.Helper()
		if _, err := f.st.ApplyFacts(ctx, k.Dev.ID, evs); err != nil {
			t.Fatal(err)
		}
	}
	name1, name2 := repName(t, f, r1), repName(t, f, r2)
	act := anActivity(t, f)
	rep1 := domain.Actor{Role: domain.RoleRepresentative, ID: r1, Name: name1}
	sub := k.SubmissionOf(t, "rec-case-1", domain.CaseSubmitted{Number: "1", Category: "env",
		Text: "小区门口积水严重，出行不便", Community: "幸福里社区"})
	f.clk.Advance(time.Hour)
	claim1 := k.Claim(t, "rec-case-1", r1, name1)
	claim2 := k.Claim(t, "rec-case-1", r2, name2)
	apply(sub, claim1, claim2)
	f.clk.Advance(time.Hour)
	apply(k.Fact(t, "rec-case-1", domain.KindCaseProgress, rep1, domain.CaseNote{Note: "已联系物业，今天处理", ToResident: true}))
	duty := "duty:" + seed.StationCode + ":" + r1
	apply(k.Fact(t, duty, domain.KindDutySignedIn, rep1, domain.DutySign{RepID: r1, RepName: name1, Nonce: "a1"}),
		k.Fact(t, duty, domain.KindDutySignedIn, rep1, domain.DutySign{RepID: r1, RepName: name1, Nonce: "a2"}),
		k.Fact(t, "0190a6f0-0000-7000-8000-000000000001", domain.KindReceptionLogged, rep1,
			domain.Reception{RepID: r1, RepName: name1, SurnameMask: "李*", Community: "幸福里社区", Topic: "停车难", Outcome: "已解释政策"}),
		k.Fact(t, "activity:"+act.ID, domain.KindActivityCheckedIn, rep1,
			domain.ActivityCheckIn{ActivityID: act.ID, PersonID: r1, Via: domain.ViaKioskBadge, Nonce: "b1"}))
}

// anActivity is an activity of the demo station.
func anActivity(t *testing.T, f *fixture) domain.Activity {
	t.Helper()
	raw, err := f.st.RefData(context.Background(), domain.KindActivityUpserted, seed.StationCode)
	if err != nil || len(raw) == 0 {
		t.Fatalf("activities: %d, %v", len(raw), err)
	}
	var a domain.Activity
	if err := json.Unmarshal(raw[0], &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func getJSON[T any](t *testing.T, c *client, path string) T {
	t.Helper()
	resp, body := c.do(t, "GET", path, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return v
}

func totalOf(ts []record.Total, a record.Act) record.Total {
	for _, t := range ts {
		if t.Act == a {
			return t
		}
	}
	return record.Total{}
}

func TestRecordOfRepresentative(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	repActs(t, f)
	staffC := f.login(t, "wangzr")
	got := getJSON[console.RepRecord](t, staffC, "/api/v1/record/reps/"+r1+"?period=2027-02")
	// defaults: duty 2 (one day), claim 3, on-time reply 2, reception 1, activity 2
	want := map[record.Act]int{record.ActDuty: 2, record.ActClaim: 3, record.ActReplyOnTime: 2,
		record.ActReception: 1, record.ActActivity: 2}
	for _, tot := range got.Record.Totals {
		if tot.Points != want[tot.Act] {
			t.Errorf("%s: %+v, want %d points", tot.Act, tot, want[tot.Act])
		}
	}
	if got.Record.Points != 10 || got.Record.Stars != 2 || got.Period.Key != "2027-02" || got.Rep.Name != repName(t, f, r1) {
		t.Errorf("record: %d points %d stars, period %s, rep %+v", got.Record.Points, got.Record.Stars, got.Period.Key, got.Rep)
	}
	if got.Record.Replies != 1 || got.Record.AvgReplyMinutes != 120 || len(got.Record.Entries) != 5 {
		t.Errorf("replies %d avg %d, %d entries", got.Record.Replies, got.Record.AvgReplyMinutes, len(got.Record.Entries))
	}

	// the representative reads their own record, not a colleague's
	rep := f.login(t, "daibiao")
	mine := getJSON[console.RepRecord](t, rep, "/api/v1/record/me?period=2027-02")
	if mine.Record.Points != 10 || mine.Rep.ID != r1 {
		t.Errorf("own record: %+v", mine.Record)
	}
	for _, path := range []string{"/api/v1/record/reps/" + r2, "/api/v1/record/reps/" + r2 + "/annual.pdf?year=2027",
		"/api/v1/record/ranking", "/api/v1/record/rules"} {
		if resp, _ := rep.do(t, "GET", path, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("representative GET %s: %d", path, resp.StatusCode)
		}
	}
	dept := f.login(t, "zhujianju")
	if resp, _ := dept.do(t, "GET", "/api/v1/record/reps/"+r1, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("department reads a record: %d", resp.StatusCode)
	}
	if resp, body := staffC.do(t, "GET", "/api/v1/record/reps/"+r1+"?period=2027-13", nil); resp.StatusCode != http.StatusBadRequest ||
		errorCode(t, body) != domain.CodeRecordPeriod {
		t.Errorf("bad period: %d %s", resp.StatusCode, body)
	}
	if resp, body := staffC.do(t, "GET", "/api/v1/record/reps/NOBODY", nil); resp.StatusCode != http.StatusNotFound ||
		errorCode(t, body) != domain.CodeUnknownRep {
		t.Errorf("unknown rep: %d %s", resp.StatusCode, body)
	}
}

func TestRecordRankingRescoresAfterRuleChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	repActs(t, f)
	admin := f.login(t, "admin")
	rk := getJSON[console.RecordRanking](t, admin, "/api/v1/record/ranking?period=2027-02&station="+seed.StationCode)
	if len(rk.Rows) < 2 || rk.Rows[0].RepID != r1 || rk.Rows[0].Points != 10 || rk.Rows[0].Rank != 1 {
		t.Fatalf("ranking: %+v", rk.Rows[:min(2, len(rk.Rows))])
	}
	var row2 console.RecordRankRow
	for _, r := range rk.Rows {
		if r.RepID == r2 {
			row2 = r
		}
	}
	if row2.Points != 1 || row2.Rank != 2 || totalOf(row2.Totals, record.ActCoHandle).Count != 1 {
		t.Errorf("co-handler's row: %+v", row2)
	}

	if _, body := admin.do(t, "GET", "/api/v1/record/rules", nil); !strings.Contains(string(body), `"history":[]`) {
		t.Errorf("a fresh hub's history is not an empty list: %s", body)
	}
	view := getJSON[console.RecordRulesView](t, admin, "/api/v1/record/rules")
	if view.Edited || len(view.History) != 0 || view.ReplyTargetHours != 24 {
		t.Fatalf("fresh rules: %+v", view)
	}
	rules := view.Rules
	for i := range rules.Acts {
		if rules.Acts[i].Act == record.ActClaim {
			rules.Acts[i].Points = 10
		}
		if rules.Acts[i].Act == record.ActCoHandle {
			rules.Acts[i].Points = 4
		}
	}
	rules.Stars = []int{120, 240}
	resp, body := admin.do(t, "PUT", "/api/v1/record/rules", rules)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("save rules: %d %s", resp.StatusCode, body)
	}
	var saved console.RecordRulesView
	if err := json.Unmarshal(body, &saved); err != nil || !saved.Edited || len(saved.History) != 1 ||
		saved.History[0].Login != "admin" || saved.History[0].Name != "管理员" {
		t.Fatalf("saved rules: %s", body)
	}
	rk = getJSON[console.RecordRanking](t, admin, "/api/v1/record/ranking?period=2027-02")
	if rk.Rows[0].RepID != r1 || rk.Rows[0].Points != 17 || rk.Rows[0].Stars != 1 || rk.Rows[1].Points != 4 {
		t.Errorf("rescored: %+v / %+v, want 17 points 1 star (February's thresholds 10, 20), then 4",
			rk.Rows[0], rk.Rows[1])
	}
	if len(rk.Thresholds) != 2 || rk.Thresholds[0] != 10 {
		t.Errorf("thresholds %v", rk.Thresholds)
	}

	// the workbook holds the same ranking
	resp, body = admin.do(t, "GET", "/api/v1/record/ranking.xlsx?period=2027-02", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "xlsx") {
		t.Fatalf("xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows("2027-02")
	if err != nil || len(rows) != len(rk.Rows)+1 {
		t.Fatalf("xlsx rows: %d, %v", len(rows), err)
	}
	if rows[0][0] != "排名" || rows[1][1] != repName(t, f, r1) || rows[1][5] != "17" || rows[1][6] != "1" {
		t.Errorf("xlsx: %v / %v", rows[0], rows[1])
	}

	// refused rules change nothing
	rules.Stars = []int{5, 3}
	resp, body = admin.do(t, "PUT", "/api/v1/record/rules", rules)
	if resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != domain.CodeRecordStars {
		t.Errorf("descending stars: %d %s", resp.StatusCode, body)
	}
	staffC := f.login(t, "wangzr")
	if resp, _ := staffC.do(t, "PUT", "/api/v1/record/rules", record.DefaultRules()); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff edits the rules: %d", resp.StatusCode)
	}
	if v := getJSON[console.RecordRulesView](t, admin, "/api/v1/record/rules"); len(v.History) != 1 {
		t.Errorf("history after refusals: %+v", v.History)
	}
}

func TestRecordAnnualPDF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	repActs(t, f)
	rep := f.login(t, "daibiao")
	resp, body := rep.do(t, "GET", "/api/v1/record/reps/"+r1+"/annual.pdf?year=2027", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %s", resp.StatusCode, body[:min(200, len(body))])
	}
	text, err := pdftext.Text(body)
	if err != nil {
		t.Fatal(err)
	}
	name := repName(t, f, r1)
	for _, want := range []string{name, "2027年度人大代表履职档案", "履职积分：10 分", "履职明细（5 项）", anActivity(t, f).Title} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if resp, body := rep.do(t, "GET", "/api/v1/record/reps/"+r1+"/annual.pdf?year=1900", nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("year 1900: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(resp.Header.Get("Content-Disposition"), fmt.Sprint("2027")) {
		t.Errorf("file name: %s", resp.Header.Get("Content-Disposition"))
	}
}
