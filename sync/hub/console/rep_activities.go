package console

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// Activities a representative is invited to are those whose reference item lists them in
// Invited. Their sign-up is the ordinary activity.signed_up (or activity.signup_cancelled)
// with the representative as actor and person, recorded by the hub via domain.ViaRepPhone;
// the hub decides the place in the same transaction as for every other sign-up, and the
// station's kiosk and wall count it.

// RepActivityStore is what the phone workspace needs from the hub store beyond the desk: the
// activities' sign-ups and the cases a representative co-handles.
type RepActivityStore interface {
	CoHandledCases(ctx context.Context, repID string) ([]domain.Case, error)
	RepSignUp(ctx context.Context, activity string, rep domain.Actor, cancel bool) (store.SignUpResult, error)
	SignUpStatus(ctx context.Context, activity, person string) (store.SignUpResult, error)
}

// repActivitiesSince: an activity that ended longer ago than this drops off the phone's list.
const repActivitiesSince = 30 * 24 * time.Hour

// RepActivity is an activity the representative is invited to, with their sign-up.
type RepActivity struct {
	ID           string    `json:"id"`
	Station      string    `json:"station"`
	Title        string    `json:"title"`
	Kind         string    `json:"kind"`
	Place        string    `json:"place"`
	Starts       time.Time `json:"starts"`
	Ends         time.Time `json:"ends"`
	Description  string    `json:"description,omitempty"`
	Capacity     int       `json:"capacity"`
	SignUpCloses time.Time `json:"signup_closes,omitzero"`
	Cancelled    bool      `json:"cancelled,omitempty"`
	Ended        bool      `json:"ended,omitempty"`
	// Status is the representative's sign-up: "" (none), confirmed, waitlisted or cancelled;
	// Position their place on the waitlist.
	Status    string `json:"status"`
	Position  int    `json:"position,omitempty"`
	Confirmed int    `json:"confirmed"`
	// Refusal is why a sign-up is not taken now (activity_cancelled, signup_not_open,
	// signup_closed); "" when it is.
	Refusal string `json:"refusal,omitempty"`
}

// RepActivityList is the body of GET /api/v1/rep/activities: those to come (or under way)
// soonest first, then those that ended, latest first.
type RepActivityList struct {
	Activities []RepActivity `json:"activities"`
}

func (c *Console) mountRepActivities(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/rep/activities", c.authed(repOnly, c.repActivities))
	mux.Handle("POST /api/v1/rep/activities/{id}/signup", c.authed(repOnly, c.repSignUp))
	mux.Handle("POST /api/v1/rep/activities/{id}/cancel", c.authed(repOnly, c.repSignUp))
}

func repActivityView(res store.SignUpResult, now time.Time) RepActivity {
	a := res.Activity
	v := RepActivity{ID: a.ID, Station: a.Station, Title: a.Title, Kind: a.Kind, Place: a.Place,
		Starts: a.Starts, Ends: a.Ends, Description: a.Description, Capacity: a.Capacity,
		SignUpCloses: a.SignUpCloses, Cancelled: a.Cancelled, Ended: !a.Ends.IsZero() && now.After(a.Ends),
		Status: res.Place.Status, Position: res.Place.Position, Confirmed: res.Confirmed,
		Refusal: domain.SignUpRefusal(a, now)}
	return v
}

func (c *Console) repActivities(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	ctx := r.Context()
	all, err := decodeRefs[domain.Activity](ctx, c.st, domain.KindActivityUpserted)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	now := c.cfg.Now()
	out := RepActivityList{Activities: []RepActivity{}}
	for _, a := range all {
		if !slices.Contains(a.Invited, rep.ID) || (!a.Ends.IsZero() && now.Sub(a.Ends) > repActivitiesSince) {
			continue
		}
		res, err := c.st.SignUpStatus(ctx, a.ID, rep.ID)
		if err != nil {
			c.internal(w, r, err)
			return
		}
		out.Activities = append(out.Activities, repActivityView(res, now))
	}
	// what is to come first, soonest first; then what ended, latest first
	sort.SliceStable(out.Activities, func(i, j int) bool {
		a, b := out.Activities[i], out.Activities[j]
		if a.Ended != b.Ended {
			return !a.Ended
		}
		if a.Ended {
			return a.Starts.After(b.Starts)
		}
		return a.Starts.Before(b.Starts)
	})
	httpjson.Write(w, http.StatusOK, out)
}

// repSignUp signs the representative up for an activity they are invited to, or (…/cancel)
// takes the sign-up back. An activity they are not invited to is refused like one that does
// not exist for them: 403 rep_not_invited.
func (c *Console) repSignUp(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	ctx := r.Context()
	id := r.PathValue("id")
	all, err := decodeRefs[domain.Activity](ctx, c.st, domain.KindActivityUpserted)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	i := slices.IndexFunc(all, func(a domain.Activity) bool { return a.ID == id })
	if i < 0 {
		codeError(w, http.StatusNotFound, domain.CodeActivityNotFound, nil)
		return
	}
	if !slices.Contains(all[i].Invited, rep.ID) {
		codeError(w, http.StatusForbidden, domain.CodeRepNotInvited, nil)
		return
	}
	cancel := strings.HasSuffix(r.URL.Path, "/cancel")
	res, err := c.st.RepSignUp(ctx, id, repActor(rep), cancel)
	for _, m := range []struct {
		err    error
		status int
		code   string
	}{
		{store.ErrActivityNotFound, http.StatusNotFound, domain.CodeActivityNotFound},
		{store.ErrActivityCancelled, http.StatusConflict, domain.CodeActivityCancelled},
		{store.ErrSignUpNotOpen, http.StatusConflict, domain.CodeSignUpNotOpen},
		{store.ErrSignUpClosed, http.StatusConflict, domain.CodeSignUpClosed},
		{store.ErrNoSignUp, http.StatusConflict, domain.CodeSignUpNone},
	} {
		if errors.Is(err, m.err) {
			codeError(w, m.status, m.code, nil)
			return
		}
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("representative's sign-up", "activity", id, "rep", rep.ID, "cancel", cancel)
	httpjson.Write(w, http.StatusOK, repActivityView(res, c.cfg.Now()))
}
