package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"slices"
	"sort"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/store"
)

// putActivity writes an activity of the demo station.
func (f *fixture) putActivity(t *testing.T, a domain.Activity) error {
	t.Helper()
	a.Station = "HX01"
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.st.PutRefs(context.Background(), []store.RefWrite{{Kind: domain.KindActivityUpserted, Key: a.ID, Data: data}}, staff)
	return err
}

func TestRepSignsUpForActivitiesTheyAreInvitedTo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.addRep(t, "lisi", "李四", "HX01-R02")
	zhang, li := f.login(t, "daibiao"), f.login(t, "lisi")
	starts := t0.Add(72 * time.Hour)
	invited := domain.Activity{ID: "HX01-A90", Title: "代表进社区听民声", Kind: "接待日", Place: "幸福里社区活动室",
		Starts: starts, Ends: starts.Add(2 * time.Hour), Capacity: 1, Invited: []string{"HX01-R01"}}
	if err := f.putActivity(t, invited); err != nil {
		t.Fatal(err)
	}
	other := invited
	other.ID, other.Invited = "HX01-A91", nil
	if err := f.putActivity(t, other); err != nil {
		t.Fatal(err)
	}
	// an invitation names representatives that exist
	bad := invited
	bad.ID, bad.Invited = "HX01-A92", []string{"HX01-R99"}
	var refused *store.RefRefused
	if err := f.putActivity(t, bad); !errors.As(err, &refused) || refused.Problems[0].Field != "invited[0]" ||
		refused.Problems[0].Code != domain.CodeRefDangling {
		t.Fatalf("invitation of an unknown representative: %v", err)
	}

	list := func(c *client) []console.RepActivity {
		t.Helper()
		resp, body := c.do(t, "GET", "/api/v1/rep/activities", nil)
		var l console.RepActivityList
		if resp.StatusCode != 200 || json.Unmarshal(body, &l) != nil {
			t.Fatalf("activities: %d %s", resp.StatusCode, body)
		}
		return l.Activities
	}
	find := func(l []console.RepActivity, id string) (console.RepActivity, bool) {
		for _, a := range l {
			if a.ID == id {
				return a, true
			}
		}
		return console.RepActivity{}, false
	}
	got := list(zhang)
	a, ok := find(got, invited.ID)
	if !ok || a.Status != "" || a.Refusal != "" || a.Title != invited.Title {
		t.Fatalf("invited activities: %+v", got)
	}
	if _, ok := find(got, other.ID); ok {
		t.Error("an activity without the invitation is listed")
	}
	// the demo street invites everyone to its inspections, meetings and training: those to come
	// soonest first, then those that ended, latest first
	upcoming := slices.IndexFunc(got, func(a console.RepActivity) bool { return a.Ended })
	if _, ok := find(got, "HX01-A06"); !ok || upcoming < 1 ||
		!sort.SliceIsSorted(got[:upcoming], func(i, j int) bool { return got[i].Starts.Before(got[j].Starts) }) ||
		!sort.SliceIsSorted(got[upcoming:], func(i, j int) bool { return got[upcoming+i].Starts.After(got[upcoming+j].Starts) }) ||
		slices.ContainsFunc(got[upcoming:], func(a console.RepActivity) bool { return !a.Ended }) {
		t.Errorf("the demo's invitations: %+v", got)
	}
	if _, ok := find(list(li), invited.ID); ok {
		t.Fatal("a representative not invited sees the activity")
	}
	signUp := func(c *client, id, action string) (int, console.RepActivity, []byte) {
		t.Helper()
		resp, body := c.do(t, "POST", "/api/v1/rep/activities/"+id+"/"+action, nil)
		var a console.RepActivity
		_ = json.Unmarshal(body, &a)
		return resp.StatusCode, a, body
	}
	if status, a, body := signUp(zhang, invited.ID, "signup"); status != 200 || a.Status != domain.SignUpConfirmed || a.Confirmed != 1 {
		t.Fatalf("sign-up: %d %s", status, body)
	}
	if status, a, _ := signUp(zhang, invited.ID, "signup"); status != 200 || a.Confirmed != 1 {
		t.Errorf("a repeat sign-up changed the roster: %d %+v", status, a)
	}
	evs, err := f.st.StreamEvents(context.Background(), "activity:"+invited.ID)
	if err != nil {
		t.Fatal(err)
	}
	var mark domain.ActivityCheckIn
	var signed []domain.Event
	for _, ev := range evs {
		if ev.Kind == domain.KindActivitySignedUp {
			signed = append(signed, ev)
		}
	}
	if len(signed) != 1 || signed[0].Actor != (domain.Actor{Role: domain.RoleRepresentative, ID: "HX01-R01", Name: "张三"}) ||
		signed[0].Station != "HX01" || json.Unmarshal(signed[0].Data, &mark) != nil ||
		mark != (domain.ActivityCheckIn{ActivityID: invited.ID, PersonID: "HX01-R01", Via: domain.ViaRepPhone}) {
		t.Fatalf("sign-up events %+v", signed)
	}
	for _, id := range []string{invited.ID, other.ID} {
		if status, _, body := signUp(li, id, "signup"); status != 403 || errorCode(t, body) != domain.CodeRepNotInvited {
			t.Errorf("sign-up without an invitation to %s: %d %s", id, status, body)
		}
	}
	if status, _, body := signUp(zhang, "HX01-A99", "signup"); status != 404 || errorCode(t, body) != domain.CodeActivityNotFound {
		t.Errorf("unknown activity: %d %s", status, body)
	}
	if status, a, body := signUp(zhang, invited.ID, "cancel"); status != 200 || a.Status != domain.SignUpCancelled || a.Confirmed != 0 {
		t.Fatalf("cancel: %d %s", status, body)
	}
	if status, _, body := signUp(zhang, invited.ID, "cancel"); status != 409 || errorCode(t, body) != domain.CodeSignUpNone {
		t.Errorf("second cancel: %d %s", status, body)
	}
	// after the start the sign-up is closed
	f.clk.Advance(73 * time.Hour)
	zhang = f.login(t, "daibiao")
	if a, _ := find(list(zhang), invited.ID); a.Refusal != domain.CodeSignUpClosed || a.Status != domain.SignUpCancelled {
		t.Fatalf("started activity: %+v", a)
	}
	if status, _, body := signUp(zhang, invited.ID, "signup"); status != 409 || errorCode(t, body) != domain.CodeSignUpClosed {
		t.Errorf("sign-up after the start: %d %s", status, body)
	}
}

func TestRepBadgeQR(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	zhang := f.login(t, "daibiao")
	ctx := context.Background()
	if resp, body := zhang.do(t, "GET", "/api/v1/rep/badge", nil); resp.StatusCode != 404 || errorCode(t, body) != domain.CodeRepBadgeNone {
		t.Fatalf("without a badge: %d %s", resp.StatusCode, body)
	}
	old, err := f.st.IssueBadge(ctx, "HX01-R01", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	f.clk.Advance(time.Minute)
	zhang = f.login(t, "daibiao")
	cur, err := f.st.IssueBadge(ctx, "HX01-R01", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.IssueBadge(ctx, "HX01-R02", time.Time{}); err != nil { // another's: never shown
		t.Fatal(err)
	}
	resp, body := zhang.do(t, "GET", "/api/v1/rep/badge", nil)
	var b console.RepBadge
	if resp.StatusCode != 200 || json.Unmarshal(body, &b) != nil || b.Serial != cur.Serial || b.RepName != "张三" || b.LastDay == "" {
		t.Fatalf("badge: %d %s (issued %s then %s)", resp.StatusCode, body, old.Serial, cur.Serial)
	}
	resp, body = zhang.do(t, "GET", "/api/v1/rep/badge.png", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("badge image: %d %v", resp.StatusCode, resp.Header)
	}
	if img, err := png.Decode(bytes.NewReader(body)); err != nil || img.Bounds().Dx() != 512 {
		t.Fatalf("badge image does not decode: %v", err)
	}
	// revoked, the newest gives way to the older one still valid; with both revoked there is none
	for i, serial := range []string{cur.Serial, old.Serial} {
		if _, err := f.st.RevokeBadge(ctx, serial, "遗失", staff); err != nil {
			t.Fatal(err)
		}
		resp, body := zhang.do(t, "GET", "/api/v1/rep/badge", nil)
		if i == 0 && (resp.StatusCode != 200 || json.Unmarshal(body, &b) != nil || b.Serial != old.Serial) {
			t.Errorf("after revoking the newest: %d %s", resp.StatusCode, body)
		}
		if i == 1 && (resp.StatusCode != 404 || errorCode(t, body) != domain.CodeRepBadgeNone) {
			t.Errorf("after revoking both: %d %s", resp.StatusCode, body)
		}
	}
	if resp, _ := zhang.do(t, "GET", "/api/v1/rep/badge.png", nil); resp.StatusCode != 404 {
		t.Errorf("image of no badge: %d", resp.StatusCode)
	}
}
