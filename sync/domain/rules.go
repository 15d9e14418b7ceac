package domain

import "time"

// Rules are the deadlines of the case lifecycle. They are data, not constants, so a district
// can tune them and tests can shorten them; DefaultRules holds the agreed values.
type Rules struct {
	// AcceptWithin is how long a submitted case may wait for a representative or staff to
	// accept it.
	AcceptWithin time.Duration
	// WorkdayEnd is the local time of day (offset from midnight) a working day ends. An
	// accepted or returned case must be assigned by the end of the working day it reached
	// staff on; after WorkdayEnd, or on a weekend, that is the next working day's end.
	WorkdayEnd time.Duration
	// HandleWithin is the default time a department has to reply after assignment (when the
	// assignment names no due date) and after a reopen.
	HandleWithin time.Duration
	// RatingWindow is how long the resident may rate a reply; afterwards the hub closes the
	// case unrated.
	RatingWindow time.Duration
	// Location is the stations' local time zone for working days; nil means China Standard
	// Time (UTC+8, no daylight saving), which is what every deployment uses.
	Location *time.Location
}

// Default deadlines.
const (
	DefaultAcceptWithin = 24 * time.Hour
	DefaultWorkdayEnd   = 18 * time.Hour
	DefaultHandleWithin = 7 * 24 * time.Hour
	DefaultRatingWindow = 7 * 24 * time.Hour
)

// DefaultRules returns the agreed deadlines: accept within 24 h, assign the same working day
// (ending 18:00), handle within 7 days, rating window 7 days, China Standard Time.
func DefaultRules() Rules {
	return Rules{
		AcceptWithin: DefaultAcceptWithin,
		WorkdayEnd:   DefaultWorkdayEnd,
		HandleWithin: DefaultHandleWithin,
		RatingWindow: DefaultRatingWindow,
		Location:     chinaStandardTime(),
	}
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

// AcceptDeadline is when a case submitted at t must have been accepted.
func (r Rules) AcceptDeadline(t time.Time) time.Time { return t.Add(r.AcceptWithin) }

// AssignDeadline is when a case that reached staff at t (accepted or returned) must have been
// assigned: the end of that working day, or of the next working day when t is after the end
// of the working day or not on one. Public holidays are not modelled.
func (r Rules) AssignDeadline(t time.Time) time.Time {
	loc := r.location()
	local := t.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	end := midnight.Add(r.WorkdayEnd)
	if !isWorkday(midnight) || !local.Before(end) {
		for {
			midnight = midnight.AddDate(0, 0, 1)
			if isWorkday(midnight) {
				break
			}
		}
		end = midnight.Add(r.WorkdayEnd)
	}
	return end.UTC()
}

func isWorkday(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// HandleDeadline is the default reply due date for a case assigned or reopened at t.
func (r Rules) HandleDeadline(t time.Time) time.Time { return t.Add(r.HandleWithin) }

// RatingDeadline is when the rating window of a reply given at t ends.
func (r Rules) RatingDeadline(t time.Time) time.Time { return t.Add(r.RatingWindow) }

// Deadline is when the party that must act on c next has to have acted: the accept deadline
// for a submitted case, the assign deadline for an accepted or returned one, the due date for
// an assigned, in-progress or reopened one, and the end of the rating window for a replied
// one. Finished cases (closed, withdrawn, merged) have none (zero time).
func Deadline(c Case, r Rules) time.Time {
	switch c.State {
	case StateSubmitted:
		return r.AcceptDeadline(c.SubmittedAt)
	case StateAccepted:
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
