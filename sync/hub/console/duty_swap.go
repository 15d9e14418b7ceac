package console

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// DutySwapStore is what the duty calendar and its swap requests need from the store.
type DutySwapStore interface {
	CreateDutySwap(ctx context.Context, x store.DutySwap) (store.DutySwap, error)
	DutySwap(ctx context.Context, id int64) (store.DutySwap, error)
	DutySwaps(ctx context.Context, f store.SwapFilter) ([]store.DutySwap, error)
	DecideDutySwap(ctx context.Context, id int64, approve bool, replacement, note string, actor domain.Actor) (store.DutySwap, store.RefResult, error)
}

// Bounds of the duty calendar and the swap requests.
const (
	// dutyPast and dutyAhead are the days before and after today a representative's
	// calendar shows.
	dutyPast  = 7
	dutyAhead = 62
	// MaxSwapReason bounds a swap request's reason and a decision's note, in characters.
	MaxSwapReason = 200
)

func (c *Console) mountDutySwaps(mux *http.ServeMux) {
	repOnly := []string{store.RoleRepresentative}
	mux.Handle("GET /api/v1/rep/duty", c.authed(repOnly, c.repDuty))
	mux.Handle("POST /api/v1/rep/duty/swaps", c.authed(repOnly, c.requestSwap))
	mux.Handle("GET /api/v1/duty/swaps", c.authed(deskRoles, c.listSwaps))
	mux.Handle("POST /api/v1/duty/swaps/{id}/approve", c.authed(deskRoles, c.decideSwap(true)))
	mux.Handle("POST /api/v1/duty/swaps/{id}/reject", c.authed(deskRoles, c.decideSwap(false)))
}

// DutySwap is a swap request as the API shows it.
type DutySwap struct {
	ID              int64      `json:"id"`
	RepID           string     `json:"rep_id"`
	RepName         string     `json:"rep_name"`
	Station         string     `json:"station"`
	StationName     string     `json:"station_name"`
	Day             string     `json:"day"`
	Colleague       string     `json:"colleague"` // "" when none was named
	ColleagueName   string     `json:"colleague_name"`
	Reason          string     `json:"reason"`
	State           string     `json:"state"` // pending | approved | rejected
	Replacement     string     `json:"replacement"`
	ReplacementName string     `json:"replacement_name"`
	Note            string     `json:"note"`
	Created         time.Time  `json:"created"`
	Decided         *time.Time `json:"decided"`
	DecidedBy       string     `json:"decided_by"`
}

// DutySwapList is the body of GET /api/v1/duty/swaps.
type DutySwapList struct {
	Swaps []DutySwap `json:"swaps"`
}

// DutyPerson is a representative as the duty calendar names them.
type DutyPerson struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// RepShift is one of the representative's duty days.
type RepShift struct {
	Station     string       `json:"station"`
	StationName string       `json:"station_name"`
	Day         string       `json:"day"` // YYYY-MM-DD in the station
	Starts      time.Time    `json:"starts"`
	Ends        time.Time    `json:"ends"`
	With        []DutyPerson `json:"with"`      // the others on duty that day
	Swappable   bool         `json:"swappable"` // not over, and no request of it pending
}

// RepDuty is the body of GET /api/v1/rep/duty: the representative's duty days from a week ago
// to two months ahead, their swap requests (newest first), and the colleagues they may name
// (the active representatives of their stations).
type RepDuty struct {
	Today      string       `json:"today"`
	Shifts     []RepShift   `json:"shifts"`
	Swaps      []DutySwap   `json:"swaps"`
	Colleagues []DutyPerson `json:"colleagues"`
}

// SwapRequest is the body of POST /api/v1/rep/duty/swaps.
type SwapRequest struct {
	Station   string `json:"station"`
	Day       string `json:"day"`
	Colleague string `json:"colleague"` // optional: the colleague to take the day
	Reason    string `json:"reason"`
}

// SwapDecision is the body of POST /api/v1/duty/swaps/{id}/approve and …/reject. On approval,
// Replacement names who takes the day; null takes the colleague the request named, "" takes
// the requester off the day without a replacement.
type SwapDecision struct {
	Replacement *string `json:"replacement"`
	Note        string  `json:"note"`
}

// dutyRefs are the reference data the duty calendar names people and places with.
type dutyRefs struct {
	reps     map[string]domain.Representative
	stations map[string]string
	roster   []domain.DutyShift
}

func (c *Console) dutyRefs(ctx context.Context) (dutyRefs, error) {
	reps, err := decodeRefs[domain.Representative](ctx, c.st, domain.KindRepresentativeUpserted)
	if err != nil {
		return dutyRefs{}, err
	}
	sts, err := decodeRefs[domain.Station](ctx, c.st, domain.KindStationUpserted)
	if err != nil {
		return dutyRefs{}, err
	}
	roster, err := decodeRefs[domain.DutyShift](ctx, c.st, domain.KindDutyRosterUpserted)
	if err != nil {
		return dutyRefs{}, err
	}
	d := dutyRefs{reps: map[string]domain.Representative{}, stations: map[string]string{}, roster: roster}
	for _, r := range reps {
		d.reps[r.ID] = r
	}
	for _, s := range sts {
		d.stations[s.Code] = s.Name
	}
	return d, nil
}

func (d dutyRefs) name(id string) string {
	if id == "" {
		return ""
	}
	if r, ok := d.reps[id]; ok {
		return r.Name
	}
	return id
}

func (d dutyRefs) shift(station, day string) (domain.DutyShift, bool) {
	for _, s := range d.roster {
		if s.Station == station && s.Day == day {
			return s, true
		}
	}
	return domain.DutyShift{}, false
}

func (d dutyRefs) view(x store.DutySwap) DutySwap {
	v := DutySwap{ID: x.ID, RepID: x.RepID, RepName: x.RepName, Station: x.Station, StationName: d.stations[x.Station],
		Day: x.Day, Colleague: x.Colleague, ColleagueName: d.name(x.Colleague), Reason: x.Reason, State: x.State,
		Replacement: x.Replacement, ReplacementName: d.name(x.Replacement), Note: x.Note, Created: x.Created,
		DecidedBy: x.DecidedBy}
	if !x.Decided.IsZero() {
		t := x.Decided
		v.Decided = &t
	}
	return v
}

func (c *Console) today() string { return c.cfg.Now().In(c.location()).Format(time.DateOnly) }

func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

func (c *Console) repDuty(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	refs, err := c.dutyRefs(ctx)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	mine, err := c.st.DutySwaps(ctx, store.SwapFilter{RepID: p.User.RepID})
	if err != nil {
		c.internal(w, r, err)
		return
	}
	today := c.today()
	from, to := addDays(today, -dutyPast), addDays(today, dutyAhead)
	pending := map[string]bool{}
	out := RepDuty{Today: today, Shifts: []RepShift{}, Swaps: make([]DutySwap, 0, len(mine)), Colleagues: []DutyPerson{}}
	for _, x := range mine {
		out.Swaps = append(out.Swaps, refs.view(x))
		if x.State == store.SwapPending {
			pending[x.Station+":"+x.Day] = true
		}
	}
	for _, s := range refs.roster {
		if s.Day < from || s.Day > to || !slices.Contains(s.RepIDs, p.User.RepID) {
			continue
		}
		sh := RepShift{Station: s.Station, StationName: refs.stations[s.Station], Day: s.Day, Starts: s.Starts, Ends: s.Ends,
			With: []DutyPerson{}, Swappable: s.Day >= today && !pending[s.Station+":"+s.Day]}
		for _, id := range s.RepIDs {
			if id != p.User.RepID {
				sh.With = append(sh.With, DutyPerson{ID: id, Name: refs.name(id)})
			}
		}
		out.Shifts = append(out.Shifts, sh)
	}
	slices.SortFunc(out.Shifts, func(a, b RepShift) int {
		return strings.Compare(a.Day+a.Station, b.Day+b.Station)
	})
	me := refs.reps[p.User.RepID]
	for _, rp := range refs.reps {
		if rp.ID == me.ID || rp.Retired || !sharesStation(rp.Stations, me.Stations) {
			continue
		}
		out.Colleagues = append(out.Colleagues, DutyPerson{ID: rp.ID, Name: rp.Name})
	}
	slices.SortFunc(out.Colleagues, func(a, b DutyPerson) int { return strings.Compare(a.ID, b.ID) })
	httpjson.Write(w, http.StatusOK, out)
}

func sharesStation(a, b []string) bool {
	for _, s := range a {
		if slices.Contains(b, s) {
			return true
		}
	}
	return false
}

// canTake reports whether rep may be named to take the duty day s in place of requester.
func (d dutyRefs) canTake(rep, requester string, s domain.DutyShift) bool {
	rp, ok := d.reps[rep]
	return ok && !rp.Retired && rep != requester && !slices.Contains(s.RepIDs, rep)
}

func (c *Console) requestSwap(w http.ResponseWriter, r *http.Request, p *principal) {
	var req SwapRequest
	if err := decodeBody(r, &req); err != nil {
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "json"})
		return
	}
	req.Reason, req.Colleague = strings.TrimSpace(req.Reason), strings.TrimSpace(req.Colleague)
	if utf8.RuneCountInString(req.Reason) > MaxSwapReason {
		codeError(w, http.StatusBadRequest, domain.CodeSwapReason, map[string]string{"max": strconv.Itoa(MaxSwapReason)})
		return
	}
	ctx := r.Context()
	refs, err := c.dutyRefs(ctx)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	s, ok := refs.shift(req.Station, req.Day)
	switch {
	case !ok || !slices.Contains(s.RepIDs, p.User.RepID):
		codeError(w, http.StatusBadRequest, domain.CodeSwapNotOnDuty, nil)
		return
	case req.Day < c.today():
		codeError(w, http.StatusBadRequest, domain.CodeSwapPast, nil)
		return
	case req.Colleague != "" && !refs.canTake(req.Colleague, p.User.RepID, s):
		codeError(w, http.StatusBadRequest, domain.CodeSwapColleague, nil)
		return
	}
	x, err := c.st.CreateDutySwap(ctx, store.DutySwap{RepID: p.User.RepID, RepName: refs.name(p.User.RepID),
		Station: s.Station, Day: s.Day, Colleague: req.Colleague, Reason: req.Reason})
	if errors.Is(err, store.ErrSwapPending) {
		codeError(w, http.StatusConflict, domain.CodeSwapPending, nil)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("duty swap requested", "id", x.ID, "rep", x.RepID, "station", x.Station, "day", x.Day)
	httpjson.Write(w, http.StatusCreated, refs.view(x))
}

func (c *Console) listSwaps(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	state := r.URL.Query().Get("state")
	if state != "" && state != store.SwapPending && state != store.SwapApproved && state != store.SwapRejected {
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "state"})
		return
	}
	refs, err := c.dutyRefs(ctx)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	xs, err := c.st.DutySwaps(ctx, store.SwapFilter{State: state})
	if err != nil {
		c.internal(w, r, err)
		return
	}
	out := DutySwapList{Swaps: make([]DutySwap, 0, len(xs))}
	for _, x := range xs {
		out.Swaps = append(out.Swaps, refs.view(x))
	}
	httpjson.Write(w, http.StatusOK, out)
}

func (c *Console) decideSwap(approve bool) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, p *principal) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			codeError(w, http.StatusNotFound, domain.CodeNotFound, nil)
			return
		}
		var req SwapDecision
		if err := decodeBody(r, &req); err != nil {
			codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "json"})
			return
		}
		req.Note = strings.TrimSpace(req.Note)
		if utf8.RuneCountInString(req.Note) > MaxSwapReason {
			codeError(w, http.StatusBadRequest, domain.CodeSwapReason, map[string]string{"max": strconv.Itoa(MaxSwapReason)})
			return
		}
		ctx := r.Context()
		x, err := c.st.DutySwap(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			codeError(w, http.StatusNotFound, domain.CodeNotFound, nil)
			return
		}
		if err != nil {
			c.internal(w, r, err)
			return
		}
		refs, err := c.dutyRefs(ctx)
		if err != nil {
			c.internal(w, r, err)
			return
		}
		replacement := ""
		if approve {
			replacement = x.Colleague
			if req.Replacement != nil {
				replacement = strings.TrimSpace(*req.Replacement)
			}
			if s, ok := refs.shift(x.Station, x.Day); ok && replacement != "" && !refs.canTake(replacement, x.RepID, s) {
				codeError(w, http.StatusBadRequest, domain.CodeSwapColleague, nil)
				return
			}
		}
		x, _, err = c.st.DecideDutySwap(ctx, id, approve, replacement, req.Note, p.Actor)
		var refused *store.RefRefused
		switch {
		case errors.Is(err, store.ErrNotFound):
			codeError(w, http.StatusNotFound, domain.CodeNotFound, nil)
			return
		case errors.Is(err, store.ErrSwapDecided):
			codeError(w, http.StatusConflict, domain.CodeSwapDecided, nil)
			return
		case errors.Is(err, store.ErrSwapStale):
			codeError(w, http.StatusConflict, domain.CodeSwapStale, nil)
			return
		case errors.As(err, &refused):
			refRefused(w, refused)
			return
		case err != nil:
			c.internal(w, r, err)
			return
		}
		c.log.Info("duty swap decided", "id", x.ID, "state", x.State, "replacement", x.Replacement, "by", p.User.Login)
		httpjson.Write(w, http.StatusOK, refs.view(x))
	}
}
