package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
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

// signUpPath is the hub's mobile sign-up page (sync/hub/server.SignUpPath) + "/" + activity.
const signUpPath = "/a/signup"

// ActivityStatus is an activity's figures and, when someone is at the kiosk, their part in it.
type ActivityStatus struct {
	ActivityID string `json:"activityId"`
	Capacity   int    `json:"capacity"`
	SignedUp   int    `json:"signedUp"`  // people taking part as this kiosk knows it
	Confirmed  int    `json:"confirmed"` // places the hub confirmed
	Waiting    int    `json:"waiting"`   // people on the waitlist
	Attended   int    `json:"attended"`
	// SignUpRefusal is the code of why a sign-up is not taken now (activity_cancelled,
	// signup_not_open, signup_closed), "" while sign-up is open.
	SignUpRefusal string `json:"signUpRefusal"`
	Mine          bool   `json:"mine"`      // the person at the kiosk takes part (has, waits for or awaits a place)
	CheckedIn     bool   `json:"checkedIn"` // the person at the kiosk checked in
	// Place is the hub's answer to the person's latest sign-up or cancellation: confirmed,
	// waitlisted or cancelled; pending (a sign-up) or cancelling (a cancellation) while the
	// answer has not arrived, as offline; "" when they never signed up.
	Place    string `json:"place"`
	Position int    `json:"position"` // place on the waitlist
	Promoted bool   `json:"promoted"` // moved from the waitlist to a place (已转为正式名额)
	Reason   string `json:"reason"`   // code of why the hub did not take the sign-up
}

// MySignUp is one of the resident's sign-ups with its activity, for 我的报名.
type MySignUp struct {
	Activity ActivityCard   `json:"activity"`
	Status   ActivityStatus `json:"status"`
}

// SignUpQR is the QR of the hub's mobile sign-up page of an activity (手机报名).
type SignUpQR struct {
	ActivityID string `json:"activityId"`
	URL        string `json:"url"`
	QRDataURL  string `json:"qrDataUrl"`
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

// ActivityStatus returns an activity's figures and the part of the person at the kiosk, if any.
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
	out := &ActivityStatus{ActivityID: act.ID, Capacity: act.Capacity, SignedUp: counts.SignedUp,
		Confirmed: counts.Confirmed, Waiting: counts.Waiting, Attended: counts.Attended,
		SignUpRefusal: domain.SignUpRefusal(act, a.Now())}
	if pid, _, _, perr := a.person(); perr == nil {
		m, err := a.Store.ActivityMark(ctx, act.ID, pid)
		if err != nil {
			a.Log.Error("activity mark", "err", err)
			return nil, appError(domain.CodeStoreReadFailed)
		}
		out.Mine, out.CheckedIn = m.TakesPart(), m.CheckedIn
		out.Place, out.Position, out.Promoted, out.Reason = m.Place, m.Position, m.Promoted, m.Reason
	}
	return out, nil
}

// openForSignUp reads an activity whose sign-up is open now; otherwise the error says why not.
func (a *Activities) openForSignUp(ctx context.Context, id string) (domain.Activity, error) {
	act, err := a.activity(ctx, id)
	if err != nil {
		return domain.Activity{}, err
	}
	if why := domain.SignUpRefusal(act, a.Now()); why != "" {
		return domain.Activity{}, appError(why)
	}
	return act, nil
}

// SignUpActivity signs the person at the kiosk up for an activity whose sign-up is open (not
// cancelled, within its window). The kiosk records the sign-up as a fact; the hub, where every
// kiosk's and phone's sign-ups meet, answers with a place or the waitlist, and until then the
// status says pending. Signing up while taking part records nothing new.
func (a *Activities) SignUpActivity(id string) (*ActivityStatus, error) {
	ctx := context.Background()
	act, err := a.openForSignUp(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.mark(ctx, act, domain.KindActivitySignedUp)
}

// CancelSignUp takes back the sign-up of the person at the kiosk; the hub gives the place to
// the first on the waitlist. Without a sign-up it is signup_none.
func (a *Activities) CancelSignUp(id string) (*ActivityStatus, error) {
	ctx := context.Background()
	act, err := a.activity(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.mark(ctx, act, domain.KindActivitySignUpCancelled)
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
	switch {
	case kind == domain.KindActivitySignUpCancelled && !m.TakesPart():
		return nil, appError(domain.CodeSignUpNone)
	case (kind == domain.KindActivitySignedUp && m.TakesPart()) || (kind == domain.KindActivityCheckedIn && m.CheckedIn):
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
		return nil, writeFailed(err)
	}
	a.Notify.Wrote(nil)
	_, _ = a.desk.residents.touch()
	return a.status(ctx, act)
}

// MySignUps lists the sign-ups of the person at the kiosk (我的报名): activities still to come
// or under way first, by start, then the past ones, each with the hub's answer as far as it
// has arrived. Activities this kiosk no longer knows are left out.
func (a *Activities) MySignUps() ([]MySignUp, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	pid, _, _, err := a.person()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	ups, err := a.Store.SignUpsOf(ctx, pid)
	if err != nil {
		a.Log.Error("my sign-ups", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	now := a.Now()
	out := make([]MySignUp, 0, len(ups))
	for _, u := range ups {
		act, err := a.activity(ctx, u.ActivityID)
		if err != nil {
			continue
		}
		st, err := a.status(ctx, act)
		if err != nil {
			return nil, err
		}
		out = append(out, MySignUp{Activity: activityCard(act, now, st), Status: *st})
	}
	slices.SortStableFunc(out, func(x, y MySignUp) int {
		px, py := x.Activity.State == "past", y.Activity.State == "past"
		switch {
		case px != py && px:
			return 1
		case px != py:
			return -1
		case px:
			return strings.Compare(y.Activity.Starts, x.Activity.Starts)
		}
		return strings.Compare(x.Activity.Starts, y.Activity.Starts)
	})
	return out, nil
}

// SignUpCode returns the QR of the hub's mobile sign-up page for the activity (手机报名): a
// resident signs up or cancels there with a phone number, and the hub decides the place the
// same way as for the kiosk.
func (a *Activities) SignUpCode(id string) (*SignUpQR, error) {
	ctx := context.Background()
	act, err := a.openForSignUp(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.id().HubURL == "" && a.Config.HubURL == "" {
		return nil, appError(domain.CodeSignUpUnpaired)
	}
	u := a.hubBase() + signUpPath + "/" + url.PathEscape(act.ID)
	qr, err := qrDataURL(u, 360)
	if err != nil {
		a.Log.Error("draw sign-up QR", "err", err)
		return nil, appError(CodeInternal)
	}
	return &SignUpQR{ActivityID: act.ID, URL: u, QRDataURL: qr}, nil
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
