package record

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrPeriod is returned for a period that is not a year, a quarter or a month.
var ErrPeriod = errors.New("record: bad period")

// Years a period may name.
const (
	MinYear = 2000
	MaxYear = 2100
)

// Period is a year ("2026"), a quarter ("2026-Q2") or a month ("2026-05") of the stations'
// zone: acts from From (included) to To (excluded) count.
type Period struct {
	Key    string    `json:"key"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Months int       `json:"months"`
}

// ParsePeriod reads a period in loc.
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	s = strings.TrimSpace(s)
	year, rest, _ := strings.Cut(s, "-")
	y, err := strconv.Atoi(year)
	if err != nil || len(year) != 4 || y < MinYear || y > MaxYear {
		return Period{}, fmt.Errorf("%w: %q", ErrPeriod, s)
	}
	first, months := 1, 12
	switch {
	case rest == "" && !strings.Contains(s, "-"):
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' && rest[1] <= '4':
		first, months = int(rest[1]-'0')*3-2, 3
		s = year + "-Q" + rest[1:]
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return Period{}, fmt.Errorf("%w: %q", ErrPeriod, s)
		}
		first, months = m, 1
	default:
		return Period{}, fmt.Errorf("%w: %q", ErrPeriod, s)
	}
	from := time.Date(y, time.Month(first), 1, 0, 0, 0, 0, loc)
	return Period{Key: s, From: from, To: from.AddDate(0, months, 0), Months: months}, nil
}

// YearPeriod is the whole year y in loc.
func YearPeriod(y int, loc *time.Location) Period {
	from := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	return Period{Key: strconv.Itoa(y), From: from, To: from.AddDate(1, 0, 0), Months: 12}
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// capKey names the cap window t falls in, in loc.
func capKey(capPeriod string, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	switch capPeriod {
	case CapYear:
		return strconv.Itoa(t.Year())
	case CapQuarter:
		return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())+2)/3)
	}
	return t.Format("2006-01")
}
