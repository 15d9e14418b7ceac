package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

const calendarUse = "calendar show YEAR | calendar holiday add|remove DATE [NAME] | calendar workday add|remove DATE [NAME]"

// calendar runs `liaison-hub calendar show|holiday|workday`: the working-day calendar that
// deadlines count, read and edited like the console's setup page does.
func (e *env) calendar(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, calendarUse)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "show", "holiday", "workday":
	default:
		return fmt.Errorf("%w: %s", errUsage, calendarUse)
	}
	fs := e.flags("calendar " + sub)
	var login *string
	if sub != "show" {
		login = userFlag(fs)
	}
	pos, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	cal := console.NewCalendars(st)
	if sub == "show" {
		if len(pos) != 1 {
			return fmt.Errorf("%w: calendar show YEAR", errUsage)
		}
		year, err := strconv.Atoi(pos[0])
		if err != nil {
			return fmt.Errorf("%w: calendar show YEAR (a year such as 2027)", errUsage)
		}
		v, err := cal.Year(ctx, year)
		if err != nil {
			return e.calendarError(err)
		}
		return e.printCalendar(v)
	}
	if len(pos) < 2 || len(pos) > 3 || (pos[0] != "add" && pos[0] != "remove") || (pos[0] == "add" && len(pos) != 3) {
		return fmt.Errorf("%w: calendar %s add DATE NAME | calendar %s remove DATE", errUsage, sub, sub)
	}
	name := ""
	if len(pos) == 3 {
		name = pos[2]
	}
	u, actor, err := actingUser(ctx, st, *login, "calendar "+sub, adminWrite...)
	if err != nil {
		return err
	}
	v, err := cal.SetDay(ctx, pos[1], sub == "holiday", pos[0] == "add", name, actor)
	if err != nil {
		return e.calendarError(err)
	}
	e.log.Info("calendar edited", "year", v.Year, "date", pos[1], "kind", sub, "op", pos[0], "by", u.Login, "via", "command line")
	if v.Changed {
		fmt.Fprintf(e.out, "%d saved: %d holidays, %d make-up working days; stations receive it on their next sync\n",
			v.Year, len(v.Holidays), len(v.Workdays))
	} else {
		fmt.Fprintf(e.out, "%d unchanged\n", v.Year)
	}
	return nil
}

// calendarError words a refused edit with every problem.
func (e *env) calendarError(err error) error {
	var refused *store.RefRefused
	if errors.As(err, &refused) {
		for _, p := range console.WordProblems(text.ZhCN, refused) {
			fmt.Fprintf(e.errOut, "  %s: %s (%s)\n", p.Field, p.Message, p.Code)
		}
		return fmt.Errorf("calendar edit refused, nothing saved")
	}
	if errors.Is(err, console.ErrCalendarYear) {
		return fmt.Errorf("%w: %s", errUsage, text.Message(text.ZhCN, domain.CodeCalendarYear,
			map[string]string{"min": strconv.Itoa(console.MinCalendarYear), "max": strconv.Itoa(console.MaxCalendarYear)}))
	}
	if errors.Is(err, console.ErrCalendarDay) {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return err
}

func (e *env) printCalendar(v console.CalendarYearView) error {
	origin := "no data: Monday to Friday are working days"
	switch {
	case v.Edited:
		origin = "edited by an admin"
	case v.Shipped:
		origin = "shipped with the product"
	}
	if v.Provisional {
		origin += ", provisional"
	}
	fmt.Fprintf(e.out, "%d: %s\n", v.Year, origin)
	if v.Source != "" {
		fmt.Fprintf(e.out, "source: %s\n", v.Source)
	}
	type row struct{ date, kind, name string }
	var rows []row
	for _, d := range v.Holidays {
		rows = append(rows, row{d.Date, "holiday", d.Name})
	}
	for _, d := range v.Workdays {
		rows = append(rows, row{d.Date, "workday", d.Name})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(a.date, b.date) })
	tw := e.table("DATE\tDAY\tKIND\tNAME")
	for _, r := range rows {
		day := ""
		if t, err := time.Parse(time.DateOnly, r.date); err == nil {
			day = t.Weekday().String()[:3]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.date, day, r.kind, r.name)
	}
	return tw.Flush()
}
