package console

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// The working-day calendar in the console and the command line: a year as deadlines count it
// (the shipped data, or the admin's edit that replaces it), and edits written as a ref.calendar
// event of the whole year through the store's reference writes, which check them
// (domain.CheckRef: dates in the year, make-up days on weekends, no day both, names bounded).

// CalendarYearView is the body of GET /api/v1/admin/calendar?year= and of a saved edit.
type CalendarYearView struct {
	Year        int                  `json:"year"`
	Holidays    []domain.CalendarDay `json:"holidays"`
	Workdays    []domain.CalendarDay `json:"workdays"`
	Provisional bool                 `json:"provisional"`
	Source      string               `json:"source"`
	Shipped     bool                 `json:"shipped"` // the product ships data for the year
	Edited      bool                 `json:"edited"`  // an admin's edit replaces the shipped data
	Years       []int                `json:"years"`   // every year with data, shipped or edited
	Changed     bool                 `json:"changed"` // after a save: whether anything was recorded
}

// CalendarEdit is the body of PUT /api/v1/admin/calendar/{year}: the whole year.
type CalendarEdit struct {
	Holidays    []domain.CalendarDay `json:"holidays"`
	Workdays    []domain.CalendarDay `json:"workdays"`
	Provisional bool                 `json:"provisional"`
	Source      string               `json:"source"`
}

// CalendarStore is what the calendar needs from the hub store.
type CalendarStore interface {
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
	PutRefs(ctx context.Context, writes []store.RefWrite, actor domain.Actor) (store.RefResult, error)
}

// Calendars reads and edits the working-day calendar.
type Calendars struct{ st CalendarStore }

// NewCalendars returns the calendar service over a store.
func NewCalendars(st CalendarStore) *Calendars { return &Calendars{st: st} }

// Calendar years an admin may edit (domain.CheckRef's range).
const (
	MinCalendarYear = 2000
	MaxCalendarYear = 2100
)

// ErrCalendarYear is returned for a year outside MinCalendarYear..MaxCalendarYear.
var ErrCalendarYear = errors.New("calendar year out of range")

// ErrCalendarDay is returned by SetDay for a date that is not a day of the calendar's years.
var ErrCalendarDay = errors.New("not a date YYYY-MM-DD")

// ErrCalendarDayUnlisted is returned by SetDay when a removed date is not listed.
var ErrCalendarDayUnlisted = errors.New("the date is not listed")

func checkYear(year int) error {
	if year < MinCalendarYear || year > MaxCalendarYear {
		return fmt.Errorf("%w: %d", ErrCalendarYear, year)
	}
	return nil
}

// edits returns the admin's edits by year.
func (c *Calendars) edits(ctx context.Context) (map[int]domain.CalendarYear, error) {
	raw, err := c.st.RefData(ctx, domain.KindCalendarUpserted, "")
	if err != nil {
		return nil, err
	}
	out := map[int]domain.CalendarYear{}
	for _, r := range raw {
		var y domain.CalendarYear
		if err := json.Unmarshal(r, &y); err != nil {
			continue // a malformed row was never written through PutRefs; the rules skip it too
		}
		out[y.Year] = y
	}
	return out, nil
}

// Year returns a year as deadlines count it.
func (c *Calendars) Year(ctx context.Context, year int) (CalendarYearView, error) {
	if err := checkYear(year); err != nil {
		return CalendarYearView{}, err
	}
	edits, err := c.edits(ctx)
	if err != nil {
		return CalendarYearView{}, err
	}
	return viewOf(year, edits), nil
}

func viewOf(year int, edits map[int]domain.CalendarYear) CalendarYearView {
	shipped := domain.DefaultCalendar()
	y, ok := shipped.Year(year)
	v := CalendarYearView{Year: year, Shipped: ok}
	if e, edited := edits[year]; edited {
		y, v.Edited = e, true
	}
	v.Holidays, v.Workdays = sortedDays(y.Holidays), sortedDays(y.Workdays)
	v.Provisional, v.Source = y.Provisional, y.Source
	years := shipped.Years()
	for e := range edits {
		years = append(years, e)
	}
	slices.Sort(years)
	v.Years = slices.Compact(years)
	return v
}

func trimmedDays(days []domain.CalendarDay) []domain.CalendarDay {
	out := make([]domain.CalendarDay, 0, len(days))
	for _, d := range days {
		out = append(out, domain.CalendarDay{Date: strings.TrimSpace(d.Date), Name: strings.TrimSpace(d.Name)})
	}
	return out
}

func sortedDays(days []domain.CalendarDay) []domain.CalendarDay {
	out := trimmedDays(days)
	slices.SortStableFunc(out, func(a, b domain.CalendarDay) int { return cmp.Compare(a.Date, b.Date) })
	return out
}

// Save records a year's whole calendar as a ref.calendar event by actor. The store checks it
// and refuses it with a *store.RefRefused listing every problem.
func (c *Calendars) Save(ctx context.Context, year int, e CalendarEdit, actor domain.Actor) (CalendarYearView, error) {
	if err := checkYear(year); err != nil {
		return CalendarYearView{}, err
	}
	key := strconv.Itoa(year)
	y := domain.CalendarYear{Year: year, Holidays: trimmedDays(e.Holidays), Workdays: trimmedDays(e.Workdays),
		Provisional: e.Provisional, Source: strings.TrimSpace(e.Source)}
	// checked as sent, so a problem names the day the admin sent; stored in date order, so
	// saving the same days in another order changes nothing
	data, err := json.Marshal(y)
	if err != nil {
		return CalendarYearView{}, fmt.Errorf("encode calendar %d: %w", year, err)
	}
	if probs := domain.CheckRef(domain.KindCalendarUpserted, data); len(probs) > 0 {
		refused := &store.RefRefused{}
		for _, p := range probs {
			refused.Problems = append(refused.Problems, store.RefProblem{Key: key, Field: p.Field, Code: p.Code, Params: p.Params})
		}
		return CalendarYearView{}, refused
	}
	y.Holidays, y.Workdays = sortedDays(y.Holidays), sortedDays(y.Workdays)
	if data, err = json.Marshal(y); err != nil {
		return CalendarYearView{}, fmt.Errorf("encode calendar %d: %w", year, err)
	}
	res, err := c.st.PutRefs(ctx, []store.RefWrite{{Kind: domain.KindCalendarUpserted,
		Key: key, Data: data}}, actor)
	if err != nil {
		return CalendarYearView{}, err
	}
	v, err := c.Year(ctx, year)
	v.Changed = len(res.Events) > 0
	return v, err
}

// SetDay adds (add) or removes a holiday (holiday) or a make-up working day on date
// (YYYY-MM-DD) of the year as it stands, and saves the year. Adding a date listed in the other
// list moves it; adding one already listed renames it.
func (c *Calendars) SetDay(ctx context.Context, date string, holiday, add bool, name string, actor domain.Actor) (CalendarYearView, error) {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return CalendarYearView{}, fmt.Errorf("%w: %q", ErrCalendarDay, date)
	}
	v, err := c.Year(ctx, d.Year())
	if err != nil {
		return v, err
	}
	list, other := &v.Holidays, &v.Workdays
	if !holiday {
		list, other = other, list
	}
	listed := slices.ContainsFunc(*list, func(x domain.CalendarDay) bool { return x.Date == date })
	drop := func(days []domain.CalendarDay) []domain.CalendarDay {
		return slices.DeleteFunc(days, func(x domain.CalendarDay) bool { return x.Date == date })
	}
	*list = drop(*list)
	if add {
		*other = drop(*other)
		*list = append(*list, domain.CalendarDay{Date: date, Name: strings.TrimSpace(name)})
	} else if !listed {
		return v, fmt.Errorf("%w: %s", ErrCalendarDayUnlisted, date)
	}
	return c.Save(ctx, v.Year, CalendarEdit{Holidays: v.Holidays, Workdays: v.Workdays,
		Provisional: v.Provisional, Source: v.Source}, actor)
}

// RefProblemView is one reason a reference write was refused, worded.
type RefProblemView struct {
	Field   string            `json:"field"`
	Code    string            `json:"code"`
	Params  map[string]string `json:"params,omitempty"`
	Message string            `json:"message"`
}

// CalendarRefused is the 422 body of a refused calendar edit.
type CalendarRefused struct {
	Code     string           `json:"code"`
	Message  string           `json:"message"`
	Problems []RefProblemView `json:"problems"`
}

// WordProblems words the problems of a refused reference write in lang.
func WordProblems(lang string, refused *store.RefRefused) []RefProblemView {
	out := make([]RefProblemView, 0, len(refused.Problems))
	for _, p := range refused.Problems {
		out = append(out, RefProblemView{Field: p.Field, Code: p.Code, Params: p.Params,
			Message: text.Message(lang, p.Code, p.Params)})
	}
	return out
}

func (c *Console) calendarYearParam(w http.ResponseWriter, s string) (int, bool) {
	year, err := strconv.Atoi(s)
	if err != nil || checkYear(year) != nil {
		params := map[string]string{"min": strconv.Itoa(MinCalendarYear), "max": strconv.Itoa(MaxCalendarYear)}
		httpjson.Write(w, http.StatusBadRequest, APIError{Code: domain.CodeCalendarYear,
			Message: text.Message(text.ZhCN, domain.CodeCalendarYear, params), Params: params})
		return 0, false
	}
	return year, true
}

func (c *Console) getCalendar(w http.ResponseWriter, r *http.Request, p *principal) {
	year := c.cfg.Now().In(c.location()).Year()
	if q := r.URL.Query().Get("year"); q != "" {
		var ok bool
		if year, ok = c.calendarYearParam(w, q); !ok {
			return
		}
	}
	v, err := NewCalendars(c.st).Year(r.Context(), year)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

func (c *Console) putCalendar(w http.ResponseWriter, r *http.Request, p *principal) {
	year, ok := c.calendarYearParam(w, r.PathValue("year"))
	if !ok {
		return
	}
	var e CalendarEdit
	if err := decodeBody(r, &e); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
		return
	}
	v, err := NewCalendars(c.st).Save(r.Context(), year, e, p.Actor)
	var refused *store.RefRefused
	switch {
	case errors.As(err, &refused):
		httpjson.Write(w, http.StatusUnprocessableEntity, CalendarRefused{Code: domain.CodeRefRefused,
			Message: text.Message(text.ZhCN, domain.CodeRefRefused, nil), Problems: WordProblems(text.ZhCN, refused)})
		return
	case err != nil:
		c.internal(w, r, err)
		return
	}
	c.log.Info("calendar saved", "year", year, "by", p.User.Login, "changed", v.Changed)
	httpjson.Write(w, http.StatusOK, v)
}
