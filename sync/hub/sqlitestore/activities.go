package sqlitestore

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Activity returns an activity from the reference data, or store.ErrActivityNotFound.
func (s *Store) Activity(ctx context.Context, id string) (domain.Activity, error) {
	return activityIn(ctx, s.db, id)
}

func activityIn(ctx context.Context, q queryer, id string) (domain.Activity, error) {
	var data string
	err := q.QueryRowContext(ctx, `SELECT data FROM refdata WHERE kind = ? AND key = ?`,
		string(domain.KindActivityUpserted), "activity:"+id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Activity{}, fmt.Errorf("activity %s: %w", id, store.ErrActivityNotFound)
	}
	if err != nil {
		return domain.Activity{}, fmt.Errorf("activity %s: %w", id, err)
	}
	var a domain.Activity
	if err := json.Unmarshal([]byte(data), &a); err != nil {
		return a, fmt.Errorf("activity %s: %w", id, err)
	}
	return a, nil
}

// NormalizePhone keeps the digits of a mainland mobile number (11 digits starting with 1,
// an optional +86 or 86 in front); anything else is store.ErrBadPhone.
func NormalizePhone(p string) (string, error) {
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r != ' ' && r != '-' && r != '+' {
			return "", store.ErrBadPhone
		}
	}
	d := strings.TrimPrefix(b.String(), "86")
	if len(d) != 11 || d[0] != '1' {
		return "", store.ErrBadPhone
	}
	return d, nil
}

// PhonePerson is the person id a phone check-in is recorded under: a keyed hash of the
// number, so the log and the stations never hold the number itself, and the same phone is
// the same person at every activity. The key is derived from the hub's signing key
// (Ed25519 signatures are deterministic), so it needs no file of its own and is as private.
func (s *Store) PhonePerson(phone string) string {
	key := sha256.Sum256(s.keys.Sign([]byte("liaison.phone-person.v1")))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(phone))
	return "phone:" + hex.EncodeToString(m.Sum(nil))[:24]
}

// deviceKey returns the public key of an enrolled, unrevoked device, or nil.
func (s *Store) deviceKey(ctx context.Context, id string) ed25519.PublicKey {
	d, err := s.Device(ctx, id)
	if err != nil || d.Revoked {
		return nil
	}
	return d.PublicKey
}

// VerifyCheckInCode checks a rotating code (device signature, window) without recording.
func (s *Store) VerifyCheckInCode(ctx context.Context, code string) (domain.CheckInCode, error) {
	return domain.VerifyCheckIn(code, func(id string) ed25519.PublicKey { return s.deviceKey(ctx, id) }, s.now())
}

// PhoneCheckIn records a check-in from the hub's mobile page: the rotating code must verify
// (a device of the activity's station signed it, its window is within one of now's), the
// activity must be open, and a person (by phone) is recorded once per activity — a second
// try answers store.ErrAlreadyCheckedIn and records nothing. The check-in is a hub event
// (activity.checked_in, via "phone") in the activity's station scope, so the kiosk and the
// wall count it.
func (s *Store) PhoneCheckIn(ctx context.Context, code, phone string) (store.CheckInResult, error) {
	var res store.CheckInResult
	now := s.now()
	c, err := domain.VerifyCheckIn(code, func(id string) ed25519.PublicKey { return s.deviceKey(ctx, id) }, now)
	if err != nil {
		return res, err
	}
	num, err := NormalizePhone(phone)
	if err != nil {
		return res, err
	}
	person := s.PhonePerson(num)
	err = s.write(ctx, func(a *appender) error {
		act, err := activityIn(ctx, a.sql(), c.Activity)
		if err != nil {
			return err
		}
		dev, err := s.Device(ctx, c.Device)
		if err != nil || dev.Station != act.Station {
			return fmt.Errorf("%w: device of another station", domain.ErrCheckInDevice)
		}
		if now.Before(act.Starts.Add(-store.CheckInOpenBefore)) || (!act.Ends.IsZero() && now.After(act.Ends)) {
			return store.ErrActivityNotOpen
		}
		res.Activity = act
		done, err := markCount(ctx, a.sql(), domain.KindActivityCheckedIn, act.ID, person)
		if err != nil {
			return err
		}
		if done > 0 {
			return store.ErrAlreadyCheckedIn
		}
		data, err := json.Marshal(domain.ActivityCheckIn{ActivityID: act.ID, PersonID: person, Via: "phone",
			Nonce: fmt.Sprintf("%s/%d", c.Device, c.Window)})
		if err != nil {
			return err
		}
		ev := domain.Event{Station: act.Station, Stream: "activity:" + act.ID, Kind: domain.KindActivityCheckedIn,
			At: now.UTC(), Actor: domain.Actor{Role: domain.RoleResident, ID: person, Name: "手机签到"}, Data: data}
		if _, err := s.appendProjected(a, ev, true); err != nil {
			return err
		}
		res.Attended, err = markCount(ctx, a.sql(), domain.KindActivityCheckedIn, act.ID, "")
		return err
	})
	if err != nil {
		return res, fmt.Errorf("phone check-in: %w", err)
	}
	return res, nil
}

// markCount counts the distinct people with a sign-up or check-in for an activity in the
// log, or, when person is given, how many such events that person has.
func markCount(ctx context.Context, q queryer, kind domain.Kind, activity, person string) (int, error) {
	query := `SELECT count(DISTINCT json_extract(data, '$.person_id')) FROM log
		WHERE kind = ? AND stream = ? AND json_extract(data, '$.activity_id') = ?`
	args := []any{string(kind), "activity:" + activity, activity}
	if person != "" {
		query = strings.Replace(query, "count(DISTINCT json_extract(data, '$.person_id'))", "count(*)", 1) +
			` AND json_extract(data, '$.person_id') = ?`
		args = append(args, person)
	}
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s of %s: %w", kind, activity, err)
	}
	return n, nil
}

// ActivityCounts returns the people taking part in an activity (with a place or waiting) and
// the distinct people checked in at it.
func (s *Store) ActivityCounts(ctx context.Context, activity string) (signedUp, attended int, err error) {
	r, err := rosterIn(ctx, s.db, activity)
	if err != nil {
		return 0, 0, err
	}
	attended, err = markCount(ctx, s.db, domain.KindActivityCheckedIn, activity, "")
	return len(r.Confirmed()) + len(r.Waiting()), attended, err
}

// rosterIn folds the activity's stream into its roster.
func rosterIn(ctx context.Context, q queryer, activity string) (*domain.Roster, error) {
	kinds := make([]any, 0, len(domain.RosterKinds)+1)
	kinds = append(kinds, "activity:"+activity)
	for _, k := range domain.RosterKinds {
		kinds = append(kinds, string(k))
	}
	evs, err := queryEvents(ctx, q, `SELECT `+eventCols+` FROM log WHERE stream = ?
		AND kind IN (?, ?, ?, ?) ORDER BY seq`, kinds...)
	if err != nil {
		return nil, fmt.Errorf("roster of %s: %w", activity, err)
	}
	return domain.FoldRoster(evs), nil
}

// settlesRoster reports the kinds after which the hub decides an activity's places again.
func settlesRoster(k domain.Kind) bool {
	return k == domain.KindActivityUpserted || k == domain.KindActivitySignedUp || k == domain.KindActivitySignUpCancelled
}

// settleRoster folds the activity's stream, just changed by ev, and records as the hub every
// answer that differs from what it last said: a new sign-up's place, a cancellation, a waiter
// promoted or moved up the line. Log order alone decides, so a replay gives the same answers.
func (s *Store) settleRoster(a *appender, ev domain.Event) error {
	id, ok := strings.CutPrefix(ev.Stream, "activity:")
	if !ok {
		return nil
	}
	r, err := rosterIn(a.ctx, a.sql(), id)
	if err != nil {
		return err
	}
	station := ev.Station
	if r.Known {
		station = r.Activity.Station
	}
	for _, st := range r.Unsaid() {
		if st.ActivityID == "" {
			st.ActivityID = id
		}
		data, err := json.Marshal(st)
		if err != nil {
			return err
		}
		ans := domain.Event{Station: station, Stream: ev.Stream, Kind: domain.KindActivitySignUpStatus,
			At: s.now().UTC(), Actor: hubActor, Data: data}
		if _, err := s.appendProjected(a, ans, true); err != nil {
			return err
		}
	}
	return nil
}

// ActivityRoster returns the activity's places as the hub decided them.
func (s *Store) ActivityRoster(ctx context.Context, activity string) (store.Roster, error) {
	act, err := s.Activity(ctx, activity)
	if err != nil {
		return store.Roster{}, err
	}
	r, err := rosterIn(ctx, s.db, activity)
	if err != nil {
		return store.Roster{}, err
	}
	return store.Roster{Activity: act, Confirmed: r.Confirmed(), Waiting: r.Waiting()}, nil
}

// PhoneSignUpStatus returns the place of a phone's sign-up at the activity, or
// store.ErrNoSignUp for a phone that never signed up.
func (s *Store) PhoneSignUpStatus(ctx context.Context, activity, phone string) (store.SignUpResult, error) {
	num, err := NormalizePhone(phone)
	if err != nil {
		return store.SignUpResult{}, err
	}
	act, err := s.Activity(ctx, activity)
	if err != nil {
		return store.SignUpResult{}, err
	}
	r, err := rosterIn(ctx, s.db, activity)
	if err != nil {
		return store.SignUpResult{}, err
	}
	res := signUpResult(act, r, s.PhonePerson(num))
	if res.Place.Status == "" {
		return res, fmt.Errorf("sign-up of %s: %w", activity, store.ErrNoSignUp)
	}
	return res, nil
}

func signUpResult(act domain.Activity, r *domain.Roster, person string) store.SignUpResult {
	res := store.SignUpResult{Activity: act, Confirmed: len(r.Confirmed()), Waiting: len(r.Waiting())}
	if st, ok := r.Place(person); ok {
		// the hub said "promoted" once, with the answer that moved the person up; it holds
		// while that answer stands
		if told, said := r.Told(person); said && told.Promoted && told.Status == st.Status && told.Answers == st.Answers {
			st.Promoted = true
		}
		res.Place = st
	}
	return res
}

// PhoneSignUp signs the holder of a phone up for an activity from the hub's mobile page, or
// with cancel takes their sign-up back. The hub records the sign-up (or cancellation) in the
// activity's station scope, as "phone", and decides the place at once in the same
// transaction. A sign-up is refused, with nothing recorded, for a cancelled activity
// (store.ErrActivityCancelled) or outside the sign-up window (store.ErrSignUpNotOpen,
// store.ErrSignUpClosed); a repeat sign-up records nothing and answers the place held; a
// cancellation without a sign-up is store.ErrNoSignUp.
func (s *Store) PhoneSignUp(ctx context.Context, activity, phone string, cancel bool) (store.SignUpResult, error) {
	num, err := NormalizePhone(phone)
	if err != nil {
		return store.SignUpResult{}, err
	}
	person := s.PhonePerson(num)
	res, err := s.recordSignUp(ctx, activity, person,
		domain.Actor{Role: domain.RoleResident, ID: person, Name: "手机报名"}, "phone", cancel)
	if err != nil {
		return store.SignUpResult{}, fmt.Errorf("phone sign-up: %w", err)
	}
	return res, nil
}

// recordSignUp records a sign-up (or with cancel its cancellation) of person at an activity,
// as actor via via, and decides the place in the same transaction; see PhoneSignUp.
func (s *Store) recordSignUp(ctx context.Context, activity, person string, actor domain.Actor, via string, cancel bool) (store.SignUpResult, error) {
	var res store.SignUpResult
	now := s.now()
	err := s.write(ctx, func(a *appender) error {
		act, err := activityIn(ctx, a.sql(), activity)
		if err != nil {
			return err
		}
		r, err := rosterIn(ctx, a.sql(), act.ID)
		if err != nil {
			return err
		}
		st, had := r.Place(person)
		active := had && st.Status != domain.SignUpCancelled
		kind := domain.KindActivitySignedUp
		switch {
		case cancel && !active:
			return store.ErrNoSignUp
		case cancel:
			kind = domain.KindActivitySignUpCancelled
		case active:
			res = signUpResult(act, r, person)
			return nil
		default:
			if err := signUpRefused(domain.SignUpRefusal(act, now)); err != nil {
				return err
			}
		}
		data, err := json.Marshal(domain.ActivityCheckIn{ActivityID: act.ID, PersonID: person, Via: via})
		if err != nil {
			return err
		}
		ev := domain.Event{Station: act.Station, Stream: "activity:" + act.ID, Kind: kind,
			At: now.UTC(), Actor: actor, Data: data}
		if _, err := s.appendProjected(a, ev, true); err != nil {
			return err
		}
		if r, err = rosterIn(ctx, a.sql(), act.ID); err != nil {
			return err
		}
		res = signUpResult(act, r, person)
		return nil
	})
	if err != nil {
		return store.SignUpResult{}, err
	}
	return res, nil
}

// RepSignUp signs a representative up for an activity from the phone workspace (or with
// cancel takes the sign-up back), as PhoneSignUp does for a phone: recorded by the hub in the
// activity's station scope with the representative as actor and person, via
// domain.ViaRepPhone. Whether the representative is invited is the caller's check.
func (s *Store) RepSignUp(ctx context.Context, activity string, rep domain.Actor, cancel bool) (store.SignUpResult, error) {
	res, err := s.recordSignUp(ctx, activity, rep.ID, rep, domain.ViaRepPhone, cancel)
	if err != nil {
		return store.SignUpResult{}, fmt.Errorf("representative's sign-up: %w", err)
	}
	return res, nil
}

// SignUpStatus returns the place of a person (a representative's id) at an activity; Place's
// Status is "" when they never signed up.
func (s *Store) SignUpStatus(ctx context.Context, activity, person string) (store.SignUpResult, error) {
	act, err := s.Activity(ctx, activity)
	if err != nil {
		return store.SignUpResult{}, err
	}
	r, err := rosterIn(ctx, s.db, activity)
	if err != nil {
		return store.SignUpResult{}, err
	}
	return signUpResult(act, r, person), nil
}

// signUpRefused is the store error of a roster's refusal code.
func signUpRefused(code string) error {
	switch code {
	case domain.CodeActivityCancelled:
		return store.ErrActivityCancelled
	case domain.CodeSignUpNotOpen:
		return store.ErrSignUpNotOpen
	case domain.CodeSignUpClosed:
		return store.ErrSignUpClosed
	}
	return nil
}
