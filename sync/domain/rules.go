package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Rules are the deadlines of the case lifecycle. They are data, not constants, so a district
// can tune them and tests can shorten them; DefaultRules holds the agreed values. Deadlines
// count working time: office hours (OfficeStart to OfficeEnd, local time) on working days,
// which the Calendar decides (weekends, public holidays and make-up working days).
type Rules struct {
	// AcceptHours is how many working hours a submitted case may wait for a representative
	// or staff to accept it; a category may set its own (Categories).
	AcceptHours int
	// HandleDays is how many working days a department has to reply after assignment (when
	// the assignment names no due date) and after a reopen; a category may set its own.
	HandleDays int
	// OfficeStart and OfficeEnd bound the working hours of a working day, as offsets from
	// local midnight. Lunch breaks are not modelled: the stations keep someone at the desk
	// through midday, and a deadline counted in whole office days is what residents are told.
	OfficeStart, OfficeEnd time.Duration
	// RatingWindow is how long the resident may rate a reply; afterwards the hub closes the
	// case unrated. It is calendar time: residents rate on holidays too.
	RatingWindow time.Duration
	// Location is the stations' local time zone for working days; nil means China Standard
	// Time (UTC+8, no daylight saving), which is what every deployment uses.
	Location *time.Location
	// Calendar says which days are working days; nil knows no holidays.
	Calendar *Calendar
	// Categories holds the deadlines of categories that set their own, by category code.
	Categories map[string]CategoryDeadlines
}

// CategoryDeadlines are a category's own deadlines; zero fields take the rules' defaults.
type CategoryDeadlines struct {
	AcceptHours int
	HandleDays  int
}

// Default deadlines.
const (
	DefaultAcceptHours  = 9 // one full office day
	DefaultHandleDays   = 5
	DefaultOfficeStart  = 9 * time.Hour
	DefaultOfficeEnd    = 18 * time.Hour
	DefaultRatingWindow = 7 * 24 * time.Hour
)

// DefaultRules returns the agreed deadlines: accept within 9 working hours, assign the same
// working day, handle within 5 working days, office hours 9:00–18:00, rating window 7 days,
// China Standard Time, the shipped holiday calendar.
func DefaultRules() Rules {
	return Rules{
		AcceptHours:  DefaultAcceptHours,
		HandleDays:   DefaultHandleDays,
		OfficeStart:  DefaultOfficeStart,
		OfficeEnd:    DefaultOfficeEnd,
		RatingWindow: DefaultRatingWindow,
		Location:     chinaStandardTime(),
		Calendar:     DefaultCalendar(),
	}
}

// IsZero reports whether r is the zero Rules, which callers replace with DefaultRules.
func (r Rules) IsZero() bool {
	return r.AcceptHours == 0 && r.HandleDays == 0 && r.OfficeStart == 0 && r.OfficeEnd == 0 &&
		r.RatingWindow == 0 && r.Location == nil && r.Calendar == nil && r.Categories == nil
}

// WithRefs returns the rules with the reference data applied: the calendar years (ref.calendar,
// each replacing the shipped year) and the categories' own deadlines (ref.category).
func (r Rules) WithRefs(years []CalendarYear, categories []Category) Rules {
	base := r.Calendar
	if base == nil {
		base = DefaultCalendar()
	}
	r.Calendar = base.With(years...)
	r.Categories = nil
	for _, c := range categories {
		if c.AcceptHours > 0 || c.HandleDays > 0 {
			if r.Categories == nil {
				r.Categories = map[string]CategoryDeadlines{}
			}
			r.Categories[c.Code] = CategoryDeadlines{AcceptHours: c.AcceptHours, HandleDays: c.HandleDays}
		}
	}
	return r
}

// Key identifies everything the rules compute deadlines from, so a cache of deadlines can tell
// it was computed with other rules.
func (r Rules) Key() string {
	name, off := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).In(r.location()).Zone()
	cats := make([]string, 0, len(r.Categories))
	for code, d := range r.Categories {
		cats = append(cats, fmt.Sprintf("%s=%d/%d", code, d.AcceptHours, d.HandleDays))
	}
	slices.Sort(cats)
	return fmt.Sprintf("v2 accept=%d handle=%d office=%d-%d rating=%d zone=%s/%d calendar=%s cats=%s",
		r.AcceptHours, r.HandleDays, r.OfficeStart, r.OfficeEnd, r.RatingWindow, name, off,
		r.Calendar.Key(), strings.Join(cats, ","))
}

// chinaStandardTime is a fixed zone rather than time.LoadLocation("Asia/Shanghai") so kiosks
// without a tz database compute the same deadlines as the hub.
func chinaStandardTime() *time.Location { return time.FixedZone("CST", 8*3600) }

func (r Rules) location() *time.Location {
	if r.Location == nil {
		return chinaStandardTime()
	}
	return r.Location
}

// office returns the office hours, the defaults when none are set.
func (r Rules) office() (start, end time.Duration) {
	if r.OfficeEnd <= r.OfficeStart {
		return DefaultOfficeStart, DefaultOfficeEnd
	}
	return r.OfficeStart, r.OfficeEnd
}

// AcceptHoursFor is the working hours a case of the category has to be accepted in.
func (r Rules) AcceptHoursFor(category string) int {
	return firstPositive(r.Categories[category].AcceptHours, r.AcceptHours, DefaultAcceptHours)
}

// HandleDaysFor is the working days a department has to reply to a case of the category.
func (r Rules) HandleDaysFor(category string) int {
	return firstPositive(r.Categories[category].HandleDays, r.HandleDays, DefaultHandleDays)
}

// firstPositive is the category's own deadline, else the general one, else the default: a zero
// (or negative) deadline means "not set" at every level.
func firstPositive(category, station, def int) int {
	switch {
	case category > 0:
		return category
	case station > 0:
		return station
	}
	return def
}

// maxCalendarDays bounds the search for a working day, so a calendar that (wrongly) lists
// every day of a stretch as a holiday cannot make a deadline computation loop forever.
const maxCalendarDays = 3 * 366

// localDay is the local midnight of the day t falls on.
func (r Rules) localDay(t time.Time) time.Time {
	loc := r.location()
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// nextDay is the local midnight of the day after day.
func nextDay(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, day.Location())
}

// atOffset is the wall-clock time offset after midnight on day (so 9:00 stays 9:00 on a day
// whose clocks change).
func atOffset(day time.Time, offset time.Duration) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, int(offset), day.Location())
}

// IsWorkingDay reports whether the local day t falls on is a working day.
func (r Rules) IsWorkingDay(t time.Time) bool {
	d := t.In(r.location())
	return r.Calendar.IsWorkingDay(d.Year(), d.Month(), d.Day())
}

func (r Rules) working(day time.Time) bool {
	return r.Calendar.IsWorkingDay(day.Year(), day.Month(), day.Day())
}

// AddWorkingHours is the instant n working hours after t, counting only office hours of
// working days. Time before the office opens, after it closes and on days off does not count;
// a deadline that uses up a day's last hour is that day's closing time, not the next opening.
// n <= 0 gives t itself when t is in office hours, else the next opening.
func (r Rules) AddWorkingHours(t time.Time, n int) time.Time {
	start, end := r.office()
	remaining := time.Duration(max(n, 0)) * time.Hour
	cur := t.In(r.location())
	day := r.localDay(t)
	for range maxCalendarDays {
		if r.working(day) {
			open, closing := atOffset(day, start), atOffset(day, end)
			if cur.Before(open) {
				cur = open
			}
			if cur.Before(closing) {
				avail := closing.Sub(cur)
				if remaining <= avail {
					return cur.Add(remaining).UTC()
				}
				remaining -= avail
			}
		}
		day = nextDay(day)
		cur = day
	}
	return cur.Add(remaining).UTC()
}

// AddWorkingDays is the closing time of the n-th working day after the day t falls on: the day
// of t itself does not count, whatever the hour. n <= 0 gives AssignDeadline(t).
func (r Rules) AddWorkingDays(t time.Time, n int) time.Time {
	if n <= 0 {
		return r.AssignDeadline(t)
	}
	_, end := r.office()
	day := r.localDay(t)
	for range maxCalendarDays {
		day = nextDay(day)
		if r.working(day) {
			if n--; n == 0 {
				break
			}
		}
	}
	return atOffset(day, end).UTC()
}

// AcceptDeadline is when a case of the category submitted at t must have been accepted.
func (r Rules) AcceptDeadline(t time.Time, category string) time.Time {
	return r.AddWorkingHours(t, r.AcceptHoursFor(category))
}

// AssignDeadline is when a case that reached staff at t (accepted or returned) must have been
// assigned: the closing time of that working day, or of the next working day when t is after
// closing time or not on a working day.
func (r Rules) AssignDeadline(t time.Time) time.Time {
	_, end := r.office()
	day := r.localDay(t)
	if r.working(day) && t.Before(atOffset(day, end)) {
		return atOffset(day, end).UTC()
	}
	for range maxCalendarDays {
		day = nextDay(day)
		if r.working(day) {
			break
		}
	}
	return atOffset(day, end).UTC()
}

// HandleDeadline is the default reply due date of a case of the category assigned or
// reopened at t.
func (r Rules) HandleDeadline(t time.Time, category string) time.Time {
	return r.AddWorkingDays(t, r.HandleDaysFor(category))
}

// RatingDeadline is when the rating window of a reply given at t ends.
func (r Rules) RatingDeadline(t time.Time) time.Time { return t.Add(r.RatingWindow) }

// Deadline is when the party that must act on c next has to have acted: the accept deadline
// for a submitted case, the assign deadline for an accepted or returned one, the due date for
// an assigned, in-progress or reopened one, and the end of the rating window for a replied
// one. Finished cases (closed, withdrawn, merged) have none (zero time).
func Deadline(c Case, r Rules) time.Time {
	switch c.State {
	case StateSubmitted:
		return r.AcceptDeadline(c.SubmittedAt, c.Category)
	case StateAccepted:
		// an escalated case waits for the level above from when it was handed up
		if c.EscalatedAt.After(c.AcceptedAt) {
			return r.AssignDeadline(c.EscalatedAt)
		}
		return r.AssignDeadline(c.AcceptedAt)
	case StateReturned:
		return r.AssignDeadline(c.ReturnedAt)
	case StateAssigned, StateInProgress, StateReopened:
		return c.Due
	case StateReplied:
		return r.RatingDeadline(c.RepliedAt)
	}
	return time.Time{}
}

// Overdue reports whether the staff, representative or department that must act on c has
// missed its deadline at now. A replied case waits on the resident, so it is never overdue
// (the hub closes it unrated when the window ends); finished cases are never overdue.
func Overdue(c Case, now time.Time, r Rules) bool {
	if c.State == StateReplied {
		return false
	}
	d := Deadline(c, r)
	return !d.IsZero() && now.After(d)
}
