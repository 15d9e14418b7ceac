package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/sync/domain"
)

// Rep is the representative's workbench on the kiosk, opened by a badge scan: duty sign-in
// and sign-out, the reception log, and claiming (领办) the station's unclaimed cases.
type Rep struct {
	Base
	desk    *Desk
	devices *DeviceSet // the demo's simulated scanner is among them
}

// NewRep returns the workbench for the representative at desk.
func NewRep(b Base, desk *Desk, devices *DeviceSet) *Rep {
	return &Rep{Base: b.withDefaults(), desk: desk, devices: devices}
}

// DemoBadgeFile, in the data directory of a demo kiosk, holds a badge payload issued by the
// demo hub; the demo menu's "模拟扫码（代表证）" scans it.
const DemoBadgeFile = "demo-badge.txt"

// ReceptionInput is what the representative notes about a resident they received.
type ReceptionInput struct {
	Resident  string `json:"resident"` // the resident's name as told; only its masked form is kept
	Community string `json:"community"`
	Topic     string `json:"topic"`
	Outcome   string `json:"outcome"`
	AsCase    bool   `json:"asCase"`   // also open a case, claimed by this representative
	Category  string `json:"category"` // the case's category when AsCase
}

// ReceptionReceipt says what was recorded.
type ReceptionReceipt struct {
	ID         string `json:"id"`
	CaseNumber string `json:"caseNumber"`
	CaseID     string `json:"caseId"`
}

// Workbench returns the open workbench session, or nil.
func (r *Rep) Workbench() *RepSession { return r.desk.reps.get() }

// EndWorkbench closes the workbench.
func (r *Rep) EndWorkbench() {
	if r.desk.reps.end() {
		r.Notify.Emit(EventRepChanged, nil)
	}
}

// TouchWorkbench keeps the workbench open while the representative is using it (a touch, a
// key, a change of tab) and tells every window, as Kiosk.KeepAlive does for a resident.
func (r *Rep) TouchWorkbench() {
	if s, ok := r.desk.reps.update(func(*RepSession) {}); ok {
		r.Notify.Emit(EventSessionActive, SessionActive{ID: s.ID})
	}
}

func (r *Rep) session() (RepSession, error) {
	if err := r.ready(); err != nil {
		return RepSession{}, err
	}
	sess := r.desk.reps.get()
	if sess == nil {
		return RepSession{}, appError(domain.CodeRepSessionRequired)
	}
	return *sess, nil
}

// DutySignIn signs the representative in for today's duty (again, after a sign-out).
func (r *Rep) DutySignIn() (*RepSession, error) { return r.sign(domain.KindDutySignedIn) }

// DutySignOut signs the representative out of today's duty.
func (r *Rep) DutySignOut() (*RepSession, error) { return r.sign(domain.KindDutySignedOut) }

func (r *Rep) sign(kind domain.Kind) (*RepSession, error) {
	sess, err := r.session()
	if err != nil {
		return nil, err
	}
	at, err := r.recordDuty(context.Background(), kind, sess)
	if err != nil {
		r.Log.Error("record duty sign", "kind", kind, "err", err)
		return nil, writeFailed(err)
	}
	next, ok := r.desk.reps.update(func(c *RepSession) {
		c.SignedIn = kind == domain.KindDutySignedIn
		c.SignedInAt, c.SignedOutAt = nil, nil
		if c.SignedIn {
			c.SignedInAt = timePtr(at)
		} else {
			c.SignedOutAt = timePtr(at)
		}
	})
	if !ok {
		return nil, appError(domain.CodeRepSessionRequired)
	}
	r.Notify.Emit(EventRepChanged, next)
	return &next, nil
}

// UnclaimedCases lists the station's submitted cases nobody has claimed yet.
func (r *Rep) UnclaimedCases() ([]CaseSummary, error) {
	if _, err := r.session(); err != nil {
		return nil, err
	}
	r.TouchWorkbench()
	ctx := context.Background()
	cases, err := r.Store.OpenCasesUnclaimed(ctx, r.id().Station)
	if err != nil {
		r.Log.Error("list unclaimed cases", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	names := r.categoryNames(ctx)
	out := make([]CaseSummary, 0, len(cases))
	for _, c := range cases {
		out = append(out, r.summary(c, names))
	}
	return out, nil
}

// ClaimCase records the representative's claim (case.accepted). Offline, two kiosks may let
// two representatives claim one case; the hub keeps the first and makes the second a
// co-handler, and both kiosks learn it when they sync.
func (r *Rep) ClaimCase(id string) (*CaseSummary, error) {
	sess, err := r.session()
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	ev, err := newEvent(domain.KindCaseAccepted, id, repActor(sess), r.Now(),
		domain.CaseAccepted{RepID: sess.RepID, RepName: sess.RepName})
	if err != nil {
		return nil, AsError(err)
	}
	if _, err := r.Store.Record(ctx, ev); err != nil {
		var terr *domain.TransitionError
		if errors.As(err, &terr) {
			return nil, appError(domain.CodeClaimRefused)
		}
		r.Log.Error("record claim", "case", id, "err", err)
		return nil, writeFailed(err)
	}
	r.Notify.Wrote([]string{id})
	r.TouchWorkbench()
	c, err := r.Store.Case(ctx, id)
	if err != nil {
		return nil, appError(domain.CodeStoreReadFailed)
	}
	out := r.summary(c, r.categoryNames(ctx))
	return &out, nil
}

// LogReception records a reception (接待记录). With AsCase it also opens a case on the
// resident's behalf (as an anonymous submission: the resident showed no card here) and
// records the representative's claim of it, all in one transaction.
func (r *Rep) LogReception(in ReceptionInput) (*ReceptionReceipt, error) {
	sess, err := r.session()
	if err != nil {
		return nil, err
	}
	in.Topic, in.Outcome, in.Resident = strings.TrimSpace(in.Topic), strings.TrimSpace(in.Outcome), strings.TrimSpace(in.Resident)
	if in.Topic == "" || utf8.RuneCountInString(in.Topic) > 500 || utf8.RuneCountInString(in.Outcome) > 1000 ||
		utf8.RuneCountInString(in.Resident) > 30 {
		return nil, appError(domain.CodeReceptionText, "max", "500")
	}
	ctx := context.Background()
	now := r.Now()
	rec := domain.Reception{RepID: sess.RepID, RepName: sess.RepName, SurnameMask: domain.MaskSurname(in.Resident),
		Community: in.Community, Topic: in.Topic, Outcome: in.Outcome}
	var evs []domain.Event
	if in.AsCase {
		if !r.knownCategory(ctx, in.Category) {
			return nil, appError(domain.CodeCategoryRequired)
		}
		rec.CaseID = domain.NewEventID()
		sub, err := newEvent(domain.KindCaseSubmitted, rec.CaseID, domain.Actor{Role: domain.RoleAnonymous}, now,
			domain.CaseSubmitted{Token: domain.NewToken(), Category: in.Category, Text: in.Topic,
				Community: in.Community, Anonymous: true})
		if err != nil {
			return nil, AsError(err)
		}
		claim, err := newEvent(domain.KindCaseAccepted, rec.CaseID, repActor(sess), now,
			domain.CaseAccepted{RepID: sess.RepID, RepName: sess.RepName})
		if err != nil {
			return nil, AsError(err)
		}
		evs = append(evs, sub, claim)
	}
	rev, err := newEvent(domain.KindReceptionLogged, "", repActor(sess), now, rec)
	if err != nil {
		return nil, AsError(err)
	}
	stored, err := r.Store.Record(ctx, append(evs, rev)...)
	if err != nil {
		r.Log.Error("record reception", "err", err)
		return nil, writeFailed(err)
	}
	out := &ReceptionReceipt{ID: stored[len(stored)-1].Stream}
	if in.AsCase {
		out.CaseID = rec.CaseID
		if c, err := r.Store.Case(ctx, rec.CaseID); err == nil {
			out.CaseNumber = c.Number
		}
		r.Notify.Wrote([]string{rec.CaseID})
	} else {
		r.Notify.Wrote(nil)
	}
	r.TouchWorkbench()
	return out, nil
}

// SimulateScan sends text through the simulated serial scanner (demo mode only), so it
// takes the same path as a real scan. An empty text scans the demo badge.
func (r *Rep) SimulateScan(text string) error {
	sim := r.devices.Get().ScanSim
	if !r.Config.Demo || sim == nil {
		return appError(CodeNotDemo)
	}
	if text == "" {
		b, err := os.ReadFile(filepath.Join(r.Config.DataDir, DemoBadgeFile))
		if err != nil {
			return appError(domain.CodeDemoBadgeMissing)
		}
		text = strings.TrimSpace(string(b))
	}
	if len(text) > maxScanText {
		return appError(domain.CodeScanTooLong)
	}
	if err := sim.Send(text); err != nil {
		r.Log.Error("simulated scan", "err", err)
		return appError(CodeDeviceUnavailable)
	}
	return nil
}

// HasDemoBadge reports whether the demo menu can offer a badge scan.
func (r *Rep) HasDemoBadge() bool {
	if !r.Config.Demo || r.devices.Get().ScanSim == nil {
		return false
	}
	_, err := os.Stat(filepath.Join(r.Config.DataDir, DemoBadgeFile))
	return err == nil
}

// ScanText handles a scan from the frontend's keyboard-wedge scanner like one from the serial
// scanner.
func (r *Rep) ScanText(text string) ScanResult {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return r.onScan(ctx, text)
}
