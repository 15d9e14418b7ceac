package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"time"

	"liaison/sync/domain"
)

// Activities is the kiosk's activity service: sign-up, check-in at the kiosk and the rotating
// check-in QR for phones.
type Activities struct {
	Base
	desk *Desk
}

// NewActivities returns the activity service for whoever is at desk.
func NewActivities(b Base, desk *Desk) *Activities {
	return &Activities{Base: b.withDefaults(), desk: desk}
}

// checkInPath is the hub's mobile check-in page (sync/hub/server.CheckInPath).
const checkInPath = "/a/checkin"

// checkInOpenBefore lets people check in a little before an activity starts, as the hub does.
const checkInOpenBefore = 30 * time.Minute

// ActivityStatus is an activity's figures and, when someone is at the kiosk, their marks.
type ActivityStatus struct {
	ActivityID string `json:"activityId"`
	Capacity   int    `json:"capacity"`
	SignedUp   int    `json:"signedUp"` // people this kiosk knows to have signed up
	Attended   int    `json:"attended"`
	Mine       bool   `json:"mine"`      // the person at the kiosk signed up
	CheckedIn  bool   `json:"checkedIn"` // the person at the kiosk checked in
	// Place is the hub's answer to the person's sign-up: confirmed, waitlisted, or pending
	// while it has not arrived (offline, the kiosk shows what it last knew).
	Place    string `json:"place"`
	Position int    `json:"position"`
}

// CheckInQR is the rotating check-in code of an activity for the screen.
type CheckInQR struct {
	ActivityID string `json:"activityId"`
	URL        string `json:"url"`
	QRDataURL  string `json:"qrDataUrl"`
	Window     int64  `json:"window"`
	Expires    string `json:"expires"` // when the screen should ask for the next code
	Attended   int    `json:"attended"`
}

func (a *Activities) activity(ctx context.Context, id string) (domain.Activity, error) {
	if err := a.ready(); err != nil {
		return domain.Activity{}, err
	}
	raw, err := a.Store.Ref(ctx, domain.KindActivityUpserted, "activity:"+id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Activity{}, appError(domain.CodeActivityNotFound)
	}
	if err != nil {
		a.Log.Error("read activity", "err", err)
		return domain.Activity{}, appError(domain.CodeStoreReadFailed)
	}
	var act domain.Activity
	if err := json.Unmarshal(raw, &act); err != nil {
		return act, appError(domain.CodeStoreReadFailed)
	}
	return act, nil
}

// person is who is at the kiosk: a registered resident, or a representative at the
// workbench; via is how they identified.
func (a *Activities) person() (id, via string, actor domain.Actor, err error) {
	if rs := a.desk.reps.get(); rs != nil {
		return rs.RepID, "kiosk-badge", repActor(*rs), nil
	}
	sess := a.desk.residents.get()
	switch {
	case sess == nil:
		return "", "", actor, appError(CodeNoSession)
	case sess.NeedsConsent:
		return "", "", actor, appError(CodeConsentRequired)
	case sess.ResidentID == "":
		return "", "", actor, appError(domain.CodeCardRequired)
	}
	return sess.ResidentID, "kiosk-card", domain.Actor{Role: domain.RoleResident, ID: sess.ResidentID}, nil
}

// ActivityStatus returns an activity's figures and the marks of the person at the kiosk, if any.
func (a *Activities) ActivityStatus(id string) (*ActivityStatus, error) {
	ctx := context.Background()
	act, err := a.activity(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.status(ctx, act)
}

func (a *Activities) status(ctx context.Context, act domain.Activity) (*ActivityStatus, error) {
	counts, err := a.Store.ActivityCounts(ctx, act.ID)
	if err != nil {
		a.Log.Error("activity counts", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	out := &ActivityStatus{ActivityID: act.ID, Capacity: act.Capacity, SignedUp: counts.SignedUp, Attended: counts.Attended}
	if pid, _, _, perr := a.person(); perr == nil {
		m, err := a.Store.ActivityMark(ctx, act.ID, pid)
		if err != nil {
			a.Log.Error("activity mark", "err", err)
			return nil, appError(domain.CodeStoreReadFailed)
		}
		out.Mine, out.CheckedIn, out.Position = m.SignedUp, m.CheckedIn, m.Position
		out.Place = m.Status
		if m.SignedUp && m.Status == "" {
			out.Place = "pending"
		}
	}
	return out, nil
}

// SignUpActivity signs the resident at the kiosk up for an upcoming or running activity. The kiosk
// records the sign-up as a fact; the hub, where every kiosk's sign-ups meet, answers with a
// place or the waitlist. Signing up twice records nothing new.
func (a *Activities) SignUpActivity(id string) (*ActivityStatus, error) {
	ctx := context.Background()
	act, err := a.activity(ctx, id)
	if err != nil {
		return nil, err
	}
	if !act.Ends.IsZero() && !a.Now().Before(act.Ends) {
		return nil, appError(domain.CodeActivityEnded)
	}
	return a.mark(ctx, act, domain.KindActivitySignedUp)
}

// CheckInActivity checks the person at the kiosk (ID card or badge) in at an activity under way.
func (a *Activities) CheckInActivity(id string) (*ActivityStatus, error) {
	ctx := context.Background()
	act, err := a.activity(ctx, id)
	if err != nil {
		return nil, err
	}
	if !checkInOpen(act, a.Now()) {
		return nil, appError(domain.CodeCheckInClosed)
	}
	return a.mark(ctx, act, domain.KindActivityCheckedIn)
}

func checkInOpen(act domain.Activity, now time.Time) bool {
	return !now.Before(act.Starts.Add(-checkInOpenBefore)) && (act.Ends.IsZero() || now.Before(act.Ends))
}

func (a *Activities) mark(ctx context.Context, act domain.Activity, kind domain.Kind) (*ActivityStatus, error) {
	pid, via, actor, err := a.person()
	if err != nil {
		return nil, err
	}
	m, err := a.Store.ActivityMark(ctx, act.ID, pid)
	if err != nil {
		a.Log.Error("activity mark", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	if (kind == domain.KindActivitySignedUp && m.SignedUp) || (kind == domain.KindActivityCheckedIn && m.CheckedIn) {
		return a.status(ctx, act)
	}
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	ev, err := newEvent(kind, "activity:"+act.ID, actor, a.Now(),
		domain.ActivityCheckIn{ActivityID: act.ID, PersonID: pid, Via: via, Nonce: hex.EncodeToString(nonce)})
	if err != nil {
		return nil, AsError(err)
	}
	if _, err := a.Store.Record(ctx, ev); err != nil {
		a.Log.Error("record activity mark", "kind", kind, "err", err)
		return nil, appError(CodeStoreFailed)
	}
	a.Notify.Wrote(nil)
	_, _ = a.desk.residents.touch()
	return a.status(ctx, act)
}

// CheckInCode returns the activity's rotating check-in QR for this window: the hub's check-in
// page with a code signed by this device over {activity, window}. The screen asks again at
// Expires; a photo of the code goes stale after about a minute.
func (a *Activities) CheckInCode(id string) (*CheckInQR, error) {
	ctx := context.Background()
	act, err := a.activity(ctx, id)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	if !checkInOpen(act, now) {
		return nil, appError(domain.CodeCheckInClosed)
	}
	me := a.id()
	if me.DeviceID == "" || (me.HubURL == "" && a.Config.HubURL == "") {
		return nil, appError(domain.CodeCheckInUnpaired)
	}
	w := domain.WindowOf(now)
	code, err := domain.SignCheckIn(domain.CheckInCode{Activity: act.ID, Device: me.DeviceID, Window: w}, me.Key)
	if err != nil {
		a.Log.Error("sign check-in code", "err", err)
		return nil, appError(CodeInternal)
	}
	u := a.hubBase() + checkInPath + "?c=" + url.QueryEscape(code)
	qr, err := qrDataURL(u, 360)
	if err != nil {
		a.Log.Error("draw check-in QR", "err", err)
		return nil, appError(CodeInternal)
	}
	counts, _ := a.Store.ActivityCounts(ctx, act.ID)
	return &CheckInQR{ActivityID: act.ID, URL: u, QRDataURL: qr, Window: w,
		Expires:  domain.WindowStart(w + 1).Format(time.RFC3339Nano),
		Attended: counts.Attended}, nil
}
