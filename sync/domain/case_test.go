package domain

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestCaseJSON: a case's JSON leaves out what is unset and decodes back to the same case,
// whether nothing or everything is set.
func TestCaseJSON(t *testing.T) {
	at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	fresh := Case{ID: "d-c-1", Number: "HX01-20261123-001", Token: "tok", Station: "HX01",
		Category: "road", Text: "路灯坏了", State: StateSubmitted, SubmittedAt: at, UpdatedAt: at, Version: 1}
	full := fresh
	full.Community, full.Building, full.Phone, full.ResidentID = "一社区", "3 栋", "138****8000", "r-1"
	full.Anonymous, full.SurnameMask, full.State = true, "张*", StateClosed
	full.RepID, full.RepName = "rep-1", "李代表"
	full.CoHandlers = []CoHandler{{RepID: "rep-2", RepName: "王代表"}}
	full.DeptCode, full.DeptName, full.Due = "jt", "交通局", at.Add(72*time.Hour)
	full.Reply, full.Rating, full.RatingComment, full.ClosedUnrated = "已修复", "satisfied", "好", true
	full.SupervisedCount, full.ReopenCount, full.ReturnCount, full.MergedInto = 1, 2, 3, "d-c-0"
	for i, p := range []*time.Time{&full.AcceptedAt, &full.AssignedAt, &full.ReturnedAt,
		&full.RepliedAt, &full.RatedAt, &full.ReopenedAt, &full.ClosedAt, &full.WithdrawnAt} {
		*p = at.Add(time.Duration(i+1) * time.Hour)
	}
	for _, c := range []Case{fresh, full} {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back Case
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, c) {
			t.Errorf("round trip of %s:\n got  %+v\n want %+v", b, back, c)
		}
	}
	b, _ := json.Marshal(fresh)
	for _, unset := range []string{"accepted_at", "due", "rep_id", "co_handlers", "anonymous", "reopen_count"} {
		if strings.Contains(string(b), `"`+unset+`"`) {
			t.Errorf("unset %s written: %s", unset, b)
		}
	}
	for _, core := range []string{"id", "number", "token", "station", "category", "text", "state",
		"submitted_at", "updated_at", "version"} {
		if !strings.Contains(string(b), `"`+core+`":`) {
			t.Errorf("core field %s missing: %s", core, b)
		}
	}
}
