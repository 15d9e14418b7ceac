package main

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
)

func TestDutyCopyWeekCommand(t *testing.T) {
	t.Parallel()
	dir := refSetup(t, map[string]string{"station": testStations, "representative": testReps})
	// The week of Monday 2027-01-04 at HX01: Monday and Wednesday. Not copied: the next
	// Monday, and HX02's Monday. The target week already has a Tuesday, which stays.
	roster := `[
		{"station":"HX01","day":"2027-01-04","rep_ids":["HX01-R01","HX01-R02"],"starts":"2027-01-04T09:00:00+08:00","ends":"2027-01-04T11:30:00+08:00"},
		{"station":"HX01","day":"2027-01-06","rep_ids":["HX01-R02"],"starts":"2027-01-06T14:00:00+08:00","ends":"2027-01-06T17:00:00+08:00"},
		{"station":"HX01","day":"2027-01-11","rep_ids":["HX01-R01"],"starts":"2027-01-11T09:00:00+08:00","ends":"2027-01-11T11:00:00+08:00"},
		{"station":"HX02","day":"2027-01-04","rep_ids":["HX01-R01"],"starts":"2027-01-04T09:00:00+08:00","ends":"2027-01-04T11:00:00+08:00"},
		{"station":"HX01","day":"2027-01-19","rep_ids":["HX01-R01"],"starts":"2027-01-19T09:00:00+08:00","ends":"2027-01-19T10:00:00+08:00"}]`
	if code, out, errOut := runIn(t, roster, "ref", "put", "duty_roster", "-", "--user", "lijie", "--data", dir); code != 0 {
		t.Fatalf("put roster: %d %q %q", code, out, errOut)
	}
	steps := []struct {
		args    []string
		code    int
		want    string
		wantErr string
	}{
		{[]string{"--station", "HX01", "--from", "2027-01-04", "--to", "2027-01-18"}, 0,
			"2 duty days of HX01 copied from the week of 2027-01-04 to the week of 2027-01-18: 2 saved, 0 unchanged", ""},
		// the same copy again changes nothing
		{[]string{"--station", "HX01", "--from", "2027-01-04", "--to", "2027-01-18"}, 0,
			"2 duty days of HX01 copied from the week of 2027-01-04 to the week of 2027-01-18: 0 saved, 2 unchanged", ""},
		{[]string{"--station", "HX01", "--from", "2027-01-05", "--to", "2027-01-18"}, 2, "", "起止日期都必须是星期一"},
		{[]string{"--station", "HX01", "--from", "2027-01-04", "--to", "2027-01-04"}, 2, "", "起止日期都必须是星期一，且不能相同"},
		{[]string{"--station", "HX01", "--from", "4.1.2027", "--to", "2027-01-18"}, 2, "", "星期一"},
		{[]string{"--station", "HX01", "--from", "2027-01-04"}, 2, "", "usage"},
	}
	for _, st := range steps {
		args := append([]string{"duty", "copy-week"}, st.args...)
		code, out, errOut := runCmd(t, append(args, "--user", "lijie", "--data", dir)...)
		if code != st.code || !strings.Contains(out, st.want) || !strings.Contains(errOut, st.wantErr) {
			t.Fatalf("%v: exit %d, out %q, err %q", args, code, out, errOut)
		}
	}
	if code, _, errOut := runCmd(t, "duty", "paste-week", "--data", dir); code != 2 || !strings.Contains(errOut, "duty copy-week") {
		t.Errorf("unknown duty subcommand: %d %q", code, errOut)
	}

	_, list, _ := runCmd(t, "ref", "list", "duty_roster", "--json", "--station", "HX01", "--data", dir)
	var days []domain.DutyShift
	if err := json.Unmarshal([]byte(list), &days); err != nil {
		t.Fatalf("list: %v %q", err, list)
	}
	byDay := map[string]domain.DutyShift{}
	for _, d := range days {
		if d.Station != "HX01" {
			t.Errorf("another station's day listed: %+v", d)
		}
		byDay[d.Day] = d
	}
	want := []struct {
		day, starts, ends string
		reps              []string
	}{
		{"2027-01-18", "2027-01-18T09:00:00+08:00", "2027-01-18T11:30:00+08:00", []string{"HX01-R01", "HX01-R02"}},
		{"2027-01-19", "2027-01-19T09:00:00+08:00", "2027-01-19T10:00:00+08:00", []string{"HX01-R01"}}, // kept
		{"2027-01-20", "2027-01-20T14:00:00+08:00", "2027-01-20T17:00:00+08:00", []string{"HX01-R02"}},
	}
	for _, w := range want {
		d, ok := byDay[w.day]
		starts, _ := time.Parse(time.RFC3339, w.starts)
		ends, _ := time.Parse(time.RFC3339, w.ends)
		if !ok || !d.Starts.Equal(starts) || !d.Ends.Equal(ends) || !slices.Equal(d.RepIDs, w.reps) {
			t.Errorf("%s: %+v, want %+v", w.day, d, w)
		}
	}
	for _, day := range []string{"2027-01-22", "2027-01-25"} {
		if _, ok := byDay[day]; ok {
			t.Errorf("%s was copied: only the week of 2027-01-04 was asked for", day)
		}
	}
	if len(days) != 6 {
		t.Errorf("HX01 has %d duty days, want 3 before the copy and 3 in the target week", len(days))
	}

	// one fact per copied day, recorded as the admin who ran it
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.StreamEvents(context.Background(), "duty:HX01:2027-01-18")
	if err != nil || len(evs) != 1 {
		t.Fatalf("duty:HX01:2027-01-18 has %d events, %v", len(evs), err)
	}
	if a, want := evs[0].Actor, (domain.Actor{Role: domain.RoleStaff, ID: "lijie", Name: "李洁（街道人大工委）"}); a != want {
		t.Errorf("copy recorded as %+v, want %+v", a, want)
	}
	if evs, _ := st.StreamEvents(context.Background(), "duty:HX02:2027-01-18"); len(evs) != 0 {
		t.Errorf("HX02's day was copied: %d events", len(evs))
	}
}
