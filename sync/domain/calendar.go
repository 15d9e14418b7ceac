package domain

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"time"
)

// The working-day calendar. China's public holidays move every year (the lunar festivals, and
// the State Council's notice shifts weekend days to make longer breaks), so they are data:
// the product ships the years it knows in calendar/*.json, and an admin's ref.calendar event
// for a year replaces the shipped year entirely.
//
// Shipped data:
//   - 2026: the State Council General Office notice on the 2026 holidays (国务院办公厅关于2026年
//     部分节假日安排的通知, 4 November 2025): every holiday and make-up working day it lists.
//   - 2027: provisional. No notice was published when this was written, so only the holidays
//     fixed by date in the statutory holiday rules (元旦 1 January, 劳动节 1–2 May, 国庆节 1–3
//     October) are listed; the lunar festivals, 清明 and every 调休 day must be entered by an
//     admin once the notice is out.
//
// A year the calendar knows nothing about counts Monday to Friday as working days.

//go:embed calendar/*.json
var calendarFiles embed.FS

// EmbeddedCalendarYears returns the years shipped with the product, oldest first.
func EmbeddedCalendarYears() []CalendarYear {
	return slices.Clone(embeddedYears())
}

var embeddedYears = sync.OnceValue(func() []CalendarYear {
	names, err := fs.Glob(calendarFiles, "calendar/*.json")
	if err != nil {
		panic(err)
	}
	var out []CalendarYear
	for _, n := range names {
		b, err := calendarFiles.ReadFile(n)
		if err != nil {
			panic(err)
		}
		var y CalendarYear
		if err := json.Unmarshal(b, &y); err != nil {
			panic(fmt.Sprintf("embedded calendar %s: %v", n, err))
		}
		out = append(out, y)
	}
	slices.SortFunc(out, func(a, b CalendarYear) int { return a.Year - b.Year })
	return out
})

// Calendar answers which days are working days. It is immutable; a nil *Calendar knows no
// holidays (Monday to Friday are working days).
type Calendar struct {
	years   map[int]CalendarYear
	holiday map[int]string // dayKey → name
	workday map[int]string // dayKey → name
	key     string
}

// NewCalendar builds a calendar from years; a later entry for the same year replaces an
// earlier one.
func NewCalendar(years ...CalendarYear) *Calendar {
	c := &Calendar{years: map[int]CalendarYear{}, holiday: map[int]string{}, workday: map[int]string{}}
	for _, y := range years {
		c.years[y.Year] = y
	}
	h := sha256.New()
	for _, yr := range c.Years() {
		y := c.years[yr]
		for _, d := range y.Holidays {
			if k, ok := dateKey(d.Date); ok {
				c.holiday[k] = d.Name
			}
		}
		for _, d := range y.Workdays {
			if k, ok := dateKey(d.Date); ok {
				c.workday[k] = d.Name
			}
		}
		b, _ := json.Marshal(y) // a struct of strings and ints always encodes
		h.Write(b)
	}
	c.key = hex.EncodeToString(h.Sum(nil)[:8])
	return c
}

var defaultCalendar = sync.OnceValue(func() *Calendar { return NewCalendar(embeddedYears()...) })

// DefaultCalendar is the calendar of the shipped years.
func DefaultCalendar() *Calendar { return defaultCalendar() }

// With returns the calendar with years replacing the ones it has (or adding new ones).
func (c *Calendar) With(years ...CalendarYear) *Calendar {
	if len(years) == 0 {
		return c
	}
	var all []CalendarYear
	if c != nil {
		for _, y := range c.Years() {
			all = append(all, c.years[y])
		}
	}
	return NewCalendar(append(all, years...)...)
}

// Years lists the years the calendar has data for, oldest first.
func (c *Calendar) Years() []int {
	if c == nil {
		return nil
	}
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	slices.Sort(out)
	return out
}

// Year returns the data of one year and whether the calendar has it.
func (c *Calendar) Year(year int) (CalendarYear, bool) {
	if c == nil {
		return CalendarYear{Year: year}, false
	}
	y, ok := c.years[year]
	if !ok {
		y.Year = year
	}
	return y, ok
}

// Key identifies the calendar's content: two calendars with the same key count the same days.
func (c *Calendar) Key() string {
	if c == nil {
		return "none"
	}
	return c.key
}

// dayKey numbers a date as YYYYMMDD, so looking a day up needs no string.
func dayKey(year int, month time.Month, day int) int { return year*10000 + int(month)*100 + day }

// dateKey is the dayKey of a YYYY-MM-DD date, false when it is not one.
func dateKey(date string) (int, bool) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, false
	}
	return dayKey(t.Year(), t.Month(), t.Day()), true
}

// IsWorkingDay reports whether the date (year, month, day) is a working day: a make-up working
// day, or a weekday that is not a holiday.
func (c *Calendar) IsWorkingDay(year int, month time.Month, day int) bool {
	d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC) // normalises 31 November to 1 December
	if c != nil {
		k := dayKey(d.Year(), d.Month(), d.Day())
		if _, ok := c.workday[k]; ok {
			return true
		}
		if _, ok := c.holiday[k]; ok {
			return false
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// DayName is the name the calendar gives a date (YYYY-MM-DD): a holiday's or a make-up working
// day's, "" for an ordinary day.
func (c *Calendar) DayName(date string) string {
	k, ok := dateKey(date)
	if c == nil || !ok {
		return ""
	}
	if n, ok := c.workday[k]; ok {
		return n
	}
	return c.holiday[k]
}
