package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"liaison/sync/domain"
)

// LastDutySign returns the time of a representative's latest duty sign of the day
// (YYYY-MM-DD, station local time), zero when there is none.
func (s *Store) LastDutySign(ctx context.Context, day, rep string) (time.Time, error) {
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT at FROM duty_signs WHERE day = ? AND rep_id = ?
		ORDER BY at DESC, event_id DESC LIMIT 1`, day, rep).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last duty sign of %s: %w", rep, err)
	}
	return parseTime(at)
}

// Mark is a person's part in an activity: their sign-up as this station knows it and whether
// they checked in.
type Mark struct {
	SignUp
	CheckedIn bool `json:"checked_in"`
}

// Places of a sign-up as the kiosk shows it: the hub's answers, and what the kiosk knows
// before the hub has answered its latest fact.
const (
	PlaceNone    = ""           // never signed up
	PlacePending = "pending"    // signed up; the hub has not decided the place yet
	PlaceLeaving = "cancelling" // cancelled here; the hub has not confirmed it yet
)

// SignUp is a person's latest sign-up or cancellation of an activity and the hub's answer.
type SignUp struct {
	ActivityID string `json:"activity_id"`
	PersonID   string `json:"person_id"`
	// Place is domain.SignUpConfirmed, SignUpWaitlisted or SignUpCancelled as the hub
	// answered the latest fact, else PlacePending or PlaceLeaving; PlaceNone without a fact.
	Place    string `json:"place"`
	Position int    `json:"position"` // place on the waitlist
	Promoted bool   `json:"promoted"` // the answer moved the person from the waitlist to a place
	Reason   string `json:"reason"`   // code of why the hub did not take the sign-up
	FactAt   string `json:"fact_at"`
}

// TakesPart reports a sign-up that holds or waits for a place, or that the hub has yet to decide.
func (u SignUp) TakesPart() bool {
	return u.Place == domain.SignUpConfirmed || u.Place == domain.SignUpWaitlisted || u.Place == PlacePending
}

const signUpCols = `activity_id, person_id, fact_id, fact_at, cancelled, status, position, promoted, reason, answers`

func scanSignUp(r interface{ Scan(...any) error }) (SignUp, error) {
	var u SignUp
	var factID, status, answers string
	var cancelled bool
	if err := r.Scan(&u.ActivityID, &u.PersonID, &factID, &u.FactAt, &cancelled, &status, &u.Position,
		&u.Promoted, &u.Reason, &answers); err != nil {
		return u, err
	}
	switch {
	case factID != "" && answers != factID && cancelled:
		u.Place, u.Position, u.Promoted, u.Reason = PlaceLeaving, 0, false, ""
	case factID != "" && answers != factID:
		u.Place, u.Position, u.Promoted, u.Reason = PlacePending, 0, false, ""
	default:
		u.Place = status
	}
	return u, nil
}

// ActivitySignUp returns a person's sign-up of an activity; Place is PlaceNone without one.
func (s *Store) ActivitySignUp(ctx context.Context, activityID, personID string) (SignUp, error) {
	u, err := scanSignUp(s.db.QueryRowContext(ctx, `SELECT `+signUpCols+` FROM signups
		WHERE person_id = ? AND activity_id = ?`, personID, activityID))
	if errors.Is(err, sql.ErrNoRows) {
		return SignUp{ActivityID: activityID, PersonID: personID}, nil
	}
	if err != nil {
		return u, fmt.Errorf("sign-up of %s: %w", activityID, err)
	}
	return u, nil
}

// SignUpsOf lists a person's sign-ups (cancelled ones too), latest fact first.
func (s *Store) SignUpsOf(ctx context.Context, personID string) ([]SignUp, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+signUpCols+` FROM signups WHERE person_id = ?
		ORDER BY fact_at DESC, activity_id`, personID)
	if err != nil {
		return nil, fmt.Errorf("sign-ups: %w", err)
	}
	defer rows.Close()
	var out []SignUp
	for rows.Next() {
		u, err := scanSignUp(rows)
		if err != nil {
			return nil, fmt.Errorf("sign-ups: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sign-ups: %w", err)
	}
	return out, nil
}

// ActivityMark returns a person's sign-up of an activity and whether they checked in. The
// sign-up's place is the hub's answer as far as it has arrived: offline, the kiosk shows a
// new sign-up as waiting for the hub.
func (s *Store) ActivityMark(ctx context.Context, activityID, personID string) (Mark, error) {
	var m Mark
	var err error
	if m.SignUp, err = s.ActivitySignUp(ctx, activityID, personID); err != nil {
		return m, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM activity_marks
		WHERE activity_id = ? AND person_id = ? AND checked_in = 1`, activityID, personID).Scan(&n)
	if err != nil {
		return m, fmt.Errorf("activity mark: %w", err)
	}
	m.CheckedIn = n > 0
	return m, nil
}
