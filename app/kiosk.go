package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/device/idcard"
	"liaison/sync/domain"
)

// Kiosk is the resident side of the kiosk: card session, consent, cases, representatives,
// activities. Every method works without the hub.
type Kiosk struct {
	Base
	desk    *Desk
	devices *DeviceSet // the demo's simulated reader is among them
}

// NewKiosk returns the resident side of the kiosk serving whoever is at desk.
func NewKiosk(b Base, desk *Desk, devices *DeviceSet) *Kiosk {
	return &Kiosk{Base: b.withDefaults(), desk: desk, devices: devices}
}

// Session returns the open session, or nil.
func (k *Kiosk) Session() *Session { return k.desk.residents.get() }

// AcceptConsent registers the resident whose card was read, after they agreed to the notice.
func (k *Kiosk) AcceptConsent() (*Session, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	sess := k.desk.residents.get()
	card := k.desk.residents.pending()
	if sess == nil || card == nil || !sess.NeedsConsent {
		return nil, appError(domain.CodeNoPendingCard)
	}
	ctx := context.Background()
	reg, rid, err := registration(*card, sess.Community, residentKeys{hashKey: k.id().HashKey, hubBox: k.id().HubBox})
	if errors.Is(err, ErrNotPaired) {
		return nil, appError(domain.CodeNotRegistered)
	}
	if err != nil {
		k.Log.Error("build registration", "err", err)
		return nil, appError(CodeInternal)
	}
	actor := domain.Actor{Role: domain.RoleResident, ID: rid, Name: reg.SurnameMask}
	regEv, err := newEvent(domain.KindResidentRegistered, rid, actor, k.Now(), reg)
	if err != nil {
		return nil, appError(CodeInternal)
	}
	if _, err := k.Store.Record(ctx, regEv); err != nil {
		k.Log.Error("record registration", "err", err)
		return nil, writeFailed(err)
	}
	out, ok := k.desk.residents.update(func(se *Session) {
		se.ResidentID = rid
		se.NeedsConsent = false
	}, true)
	if !ok {
		return nil, appError(domain.CodeSessionEnded)
	}
	k.Log.Info("resident registered", "resident", rid)
	k.Notify.Wrote(nil)
	k.Notify.Emit(EventSessionChanged, out)
	return &out, nil
}

// KeepAlive says the resident is still using the kiosk: the frontend calls it on a touch, a
// key or a change of screen (at most every few seconds) and when 继续使用 is tapped. It
// postpones Go's backstop and tells every window, so each restarts its idle countdown. It
// reports whether a session is open.
func (k *Kiosk) KeepAlive() bool {
	id, ok := k.desk.residents.touch()
	if ok {
		k.Notify.Emit(EventSessionActive, SessionActive{ID: id})
	}
	return ok
}

// DeclineConsent ends the session; nothing from the card is kept.
func (k *Kiosk) DeclineConsent() { k.EndSession() }

// StartAnonymous opens a session without a card, with fewer options.
func (k *Kiosk) StartAnonymous() (*Session, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	sess := k.desk.residents.start(Session{Kind: "anonymous"}, nil)
	k.Notify.Emit(EventSessionChanged, sess)
	return &sess, nil
}

// EndSession wipes the session from memory; the screen returns to the attract view.
func (k *Kiosk) EndSession() {
	if k.desk.residents.end() {
		k.Notify.Emit(EventSessionChanged, nil)
	}
}

// SimulateCard places a sample card on the simulated reader (demo mode only). The session
// starts when the real driver has read it, as with a real card.
func (k *Kiosk) SimulateCard(sample string) error {
	sim := k.devices.Get().CardSim
	if !k.Config.Demo || sim == nil {
		return appError(CodeNotDemo)
	}
	card, ok := idcard.SampleCards()[sample]
	if !ok {
		return appError(domain.CodeSampleUnknown)
	}
	sim.Place(card)
	// A person lifts the card after a moment; the reader notices the removal by itself.
	time.AfterFunc(2*time.Second, sim.Remove)
	return nil
}

// Categories lists the case categories for the grid.
func (k *Kiosk) Categories() ([]Category, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	cats, err := k.offeredCategories(context.Background())
	if err != nil {
		k.Log.Error("list categories", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	out := make([]Category, 0, len(cats))
	for _, c := range cats {
		if c.Retired {
			continue // cases of it keep their category's name; new ones take another
		}
		out = append(out, Category{Code: c.Code, Name: c.Name, Icon: c.Icon, Templates: nonNil(c.Templates)})
	}
	return out, nil
}

// Communities lists the station's communities for the location step.
func (k *Kiosk) Communities() ([]string, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	return nonNil(k.communities(context.Background())), nil
}

// SubmitCase records a new case. It returns only after the submission is durable in the
// local store, so the receipt the resident sees is never a promise the kiosk cannot keep.
func (k *Kiosk) SubmitCase(in CaseInput) (*Receipt, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	sess := k.desk.residents.get()
	if sess == nil {
		return nil, appError(CodeNoSession)
	}
	if sess.NeedsConsent {
		return nil, appError(CodeConsentRequired)
	}
	ctx := context.Background()
	in.Text = strings.TrimSpace(in.Text)
	in.Phone = strings.TrimSpace(in.Phone)
	if err := validateCase(in); err != nil {
		return nil, err
	}
	if !k.knownCategory(ctx, in.Category) {
		return nil, appError(domain.CodeCategoryRequired)
	}
	anonymous := in.Anonymous || sess.Kind == "anonymous"
	payload := domain.CaseSubmitted{
		Token: domain.NewToken(), Category: in.Category, Text: in.Text,
		Community: in.Community, Building: strings.TrimSpace(in.Building), Phone: in.Phone,
		Anonymous: anonymous,
	}
	actor := domain.Actor{Role: domain.RoleAnonymous}
	if sess.ResidentID != "" {
		// Even an anonymous case stays the resident's own, so they can follow it here; the
		// public views never show who submitted it.
		payload.ResidentID = sess.ResidentID
		actor = domain.Actor{Role: domain.RoleResident, ID: sess.ResidentID}
		if !anonymous {
			payload.SurnameMask = sess.SurnameMask
			actor.Name = sess.SurnameMask
		}
	}
	stored, saved, err := k.Store.Submit(ctx, domain.Event{Stream: domain.NewEventID(), Actor: actor, At: k.Now().UTC()}, payload)
	if err != nil {
		k.Log.Error("record submission", "err", err)
		if e := writeFailed(err); e.Code == domain.CodeStoreReadOnly {
			return nil, e // the resident is told the machine cannot save, not to try again
		}
		return nil, appError(domain.CodeSubmitNotSaved)
	}
	caseID := stored.Stream
	k.desk.residents.update(func(se *Session) { se.cases = append(se.cases, caseID) }, false)
	k.Log.Info("case submitted", "case", caseID, "number", saved.Number)
	k.Notify.Wrote([]string{caseID})
	url := k.statusURL(saved.Number, saved.Token)
	qr, err := qrDataURL(url, 360)
	if err != nil {
		k.Log.Warn("receipt qr", "err", err)
	}
	return &Receipt{
		CaseID: caseID, Number: saved.Number, SubmittedAt: stored.At.Format(time.RFC3339),
		StatusURL: url, QRDataURL: qr,
	}, nil
}

// Bounds of a case's text, in characters.
const (
	minCaseText = 5
	maxCaseText = 1000
)

func validateCase(in CaseInput) error {
	n := utf8.RuneCountInString(in.Text)
	switch {
	case in.Category == "":
		return appError(domain.CodeCategoryRequired)
	case n < minCaseText:
		return appError(domain.CodeTextTooShort, "min", strconv.Itoa(minCaseText))
	case n > maxCaseText:
		return appError(domain.CodeTextTooLong, "max", strconv.Itoa(maxCaseText))
	case in.Phone != "" && !domain.ValidPhone(in.Phone):
		return appError(domain.CodePhoneInvalid)
	case utf8.RuneCountInString(in.Building) > 60:
		return appError(domain.CodeAddressTooLong)
	}
	return nil
}
