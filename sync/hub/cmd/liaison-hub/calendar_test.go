package main

import (
	"strings"
	"testing"
)

func TestCalendarCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addAdmin(t, dir)
	steps := []struct {
		args    []string
		code    int
		want    string
		wantErr string
	}{
		{[]string{"calendar", "show", "2026"}, 0, "2026-10-10  Sat  workday  国庆节调休上班", ""},
		{[]string{"calendar", "show", "2027"}, 0, "shipped with the product, provisional", ""},
		{[]string{"calendar", "show", "1999"}, 2, "", "年份须在 2000 至 2100 之间"},
		{[]string{"calendar", "holiday", "add", "2027-02-06", "春节"}, 0, "2027 saved: 7 holidays", ""},
		{[]string{"calendar", "workday", "add", "2027-02-13", "春节调休上班"}, 0, "2027 saved: 7 holidays, 1 make-up", ""},
		{[]string{"calendar", "holiday", "add", "2027-02-06", "春节"}, 0, "2027 unchanged", ""},
		{[]string{"calendar", "show", "2027"}, 0, "2027-02-13  Sat  workday  春节调休上班", ""},
		// a Wednesday cannot be a make-up working day: refused with the reason, nothing saved
		{[]string{"calendar", "workday", "add", "2027-02-10", "补班"}, 1, "", "调休上班日应是周六或周日"},
		// adding the make-up Saturday as a holiday moves it
		{[]string{"calendar", "holiday", "add", "2027-02-13", "春节"}, 0, "8 holidays, 0 make-up", ""},
		{[]string{"calendar", "holiday", "remove", "2027-02-13"}, 0, "7 holidays", ""},
		{[]string{"calendar", "holiday", "remove", "2027-02-13"}, 1, "", "not listed"},
		{[]string{"calendar", "holiday", "add", "2027-02-30", "x"}, 2, "", "not a date"},
		{[]string{"calendar", "holiday", "add", "2027-03-01"}, 2, "", "usage"},
		{[]string{"calendar", "show", "2027"}, 0, "edited by an admin, provisional", ""},
	}
	for _, st := range steps {
		args := append(st.args, "--data", dir)
		if st.args[1] != "show" {
			args = append(args, "--user", "lijie")
		}
		code, out, errOut := runCmd(t, args...)
		if code != st.code || !strings.Contains(out, st.want) || !strings.Contains(errOut, st.wantErr) {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, out, errOut)
		}
	}
}
