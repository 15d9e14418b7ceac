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

// ActivityCounts returns the distinct people signed up for and checked in at an activity.
func (s *Store) ActivityCounts(ctx context.Context, activity string) (signedUp, attended int, err error) {
	if signedUp, err = markCount(ctx, s.db, domain.KindActivitySignedUp, activity, ""); err != nil {
		return 0, 0, err
	}
	attended, err = markCount(ctx, s.db, domain.KindActivityCheckedIn, activity, "")
	return signedUp, attended, err
}

// resolveSignUp answers a station's sign-up fact, just appended, with the place it got:
// confirmed while the activity has room (in log order), waitlisted after. A person's repeat
// sign-up gets no answer: the first one stands. Log order alone decides, so a replay gives
// the same answers.
func (s *Store) resolveSignUp(a *appender, f domain.Event) error {
	var p domain.ActivityCheckIn
	if err := json.Unmarshal(f.Data, &p); err != nil || p.ActivityID == "" || p.PersonID == "" {
		return nil // recorded, never rejected; nothing to answer
	}
	act, err := activityIn(a.ctx, a.sql(), p.ActivityID)
	if errors.Is(err, store.ErrActivityNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	mine, err := markCount(a.ctx, a.sql(), domain.KindActivitySignedUp, act.ID, p.PersonID)
	if err != nil || mine > 1 {
		return err
	}
	n, err := markCount(a.ctx, a.sql(), domain.KindActivitySignedUp, act.ID, "")
	if err != nil {
		return err
	}
	st := domain.SignUpStatus{ActivityID: act.ID, PersonID: p.PersonID, Status: domain.SignUpConfirmed,
		Position: n, Capacity: act.Capacity}
	if act.Capacity > 0 && n > act.Capacity {
		st.Status = domain.SignUpWaitlisted
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	ev := domain.Event{Station: f.Station, Stream: f.Stream, Kind: domain.KindActivitySignUpStatus,
		At: s.now().UTC(), Actor: hubActor, Data: data}
	_, err = s.appendProjected(a, ev, true)
	return err
}
