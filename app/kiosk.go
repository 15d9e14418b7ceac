package app

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/device/idcard"
	"liaison/sync/domain"
)

// Kiosk is the resident side of the kiosk: card session, consent, cases, representatives,
// activities. Every method works without the hub.
type Kiosk struct{ s *Station }

// Session returns the open session, or nil.
func (k *Kiosk) Session() *Session { return k.s.sessions.get() }

// AcceptConsent registers the resident whose card was read, after they agreed to the notice.
func (k *Kiosk) AcceptConsent() (*Session, error) {
	s := k.s
	if err := s.ready(); err != nil {
		return nil, err
	}
	sess := s.sessions.get()
	card := s.sessions.pending()
	if sess == nil || card == nil || !sess.NeedsConsent {
		return nil, errorf(CodeNoSession, "没有等待确认的证件")
	}
	ctx := context.Background()
	reg, rid, err := registration(*card, sess.Community, residentKeys{hashKey: s.id.hashKey, hubBox: s.id.hubBox})
	if errors.Is(err, ErrNotPaired) {
		return nil, errorf(CodeDeviceUnavailable, "本机尚未注册到中心，暂不能登记，请使用无证件方式或联系工作人员")
	}
	if err != nil {
		s.log.Error("build registration", "err", err)
		return nil, errorf(CodeInternal, "登记失败")
	}
	actor := domain.Actor{Role: domain.RoleResident, ID: rid, Name: reg.SurnameMask}
	regEv, err := newEvent(domain.KindResidentRegistered, rid, actor, s.now(), reg)
	if err != nil {
		return nil, errorf(CodeInternal, "登记失败")
	}
	if _, err := s.store.Record(ctx, regEv); err != nil {
		s.log.Error("record registration", "err", err)
		return nil, errorf(CodeStoreFailed, "登记没有保存成功，请重试")
	}
	out, ok := s.sessions.update(func(se *Session) {
		se.ResidentID = rid
		se.NeedsConsent = false
	}, true)
	if !ok {
		return nil, errorf(CodeNoSession, "会话已结束")
	}
	s.log.Info("resident registered", "resident", rid)
	s.afterWrite(nil)
	s.emitEvent(EventSessionChanged, out)
	return &out, nil
}

// DeclineConsent ends the session; nothing from the card is kept.
func (k *Kiosk) DeclineConsent() { k.EndSession() }

// StartAnonymous opens a session without a card, with fewer options.
func (k *Kiosk) StartAnonymous() (*Session, error) {
	if err := k.s.ready(); err != nil {
		return nil, err
	}
	sess := k.s.sessions.start(Session{Kind: "anonymous"}, nil)
	k.s.emitEvent(EventSessionChanged, sess)
	return &sess, nil
}

// EndSession wipes the session from memory; the screen returns to the attract view.
func (k *Kiosk) EndSession() {
	if k.s.sessions.end() {
		k.s.emitEvent(EventSessionChanged, nil)
	}
}

// SimulateCard places a sample card on the simulated reader (demo mode only). The session
// starts when the real driver has read it, as with a real card.
func (k *Kiosk) SimulateCard(sample string) error {
	s := k.s
	if !s.cfg.Demo || s.cardSim == nil {
		return errorf(CodeNotDemo, "只有演示模式可以模拟刷卡")
	}
	card, ok := idcard.SampleCards()[sample]
	if !ok {
		return errorf(CodeInvalidInput, "没有这种样例证件")
	}
	s.cardSim.Place(card)
	// A person lifts the card after a moment; the reader notices the removal by itself.
	time.AfterFunc(2*time.Second, s.cardSim.Remove)
	return nil
}

// Categories lists the case categories for the grid.
func (k *Kiosk) Categories() ([]Category, error) {
	if err := k.s.ready(); err != nil {
		return nil, err
	}
	cats, err := k.s.store.Categories(context.Background())
	if err != nil {
		k.s.log.Error("list categories", "err", err)
		return nil, errorf(CodeStoreFailed, "读取分类失败")
	}
	out := make([]Category, 0, len(cats))
	for _, c := range cats {
		out = append(out, Category{Code: c.Code, Name: c.Name, Icon: c.Icon, Templates: nonNil(c.Templates)})
	}
	return out, nil
}

// Communities lists the station's communities for the location step.
func (k *Kiosk) Communities() ([]string, error) {
	if err := k.s.ready(); err != nil {
		return nil, err
	}
	return nonNil(k.s.communities(context.Background())), nil
}

// SubmitCase records a new case. It returns only after the submission is durable in the
// local store, so the receipt the resident sees is never a promise the kiosk cannot keep.
func (k *Kiosk) SubmitCase(in CaseInput) (*Receipt, error) {
	s := k.s
	if err := s.ready(); err != nil {
		return nil, err
	}
	sess := s.sessions.get()
	if sess == nil {
		return nil, errorf(CodeNoSession, "请先刷身份证或选择无证件继续")
	}
	if sess.NeedsConsent {
		return nil, errorf(CodeConsentRequired, "请先阅读并同意个人信息告知")
	}
	ctx := context.Background()
	in.Text = strings.TrimSpace(in.Text)
	in.Phone = strings.TrimSpace(in.Phone)
	if err := validateCase(in); err != nil {
		return nil, err
	}
	if !k.knownCategory(ctx, in.Category) {
		return nil, errorf(CodeInvalidInput, "请选择问题分类")
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
	ev, err := newEvent(domain.KindCaseSubmitted, domain.NewEventID(), actor, s.now(), payload)
	if err != nil {
		return nil, errorf(CodeInternal, "提交失败")
	}
	stored, err := s.store.Record(ctx, ev)
	if err != nil || len(stored) != 1 {
		s.log.Error("record submission", "err", err)
		return nil, errorf(CodeStoreFailed, "提交没有保存成功，您填写的内容还在，请重试")
	}
	var saved domain.CaseSubmitted
	if err := json.Unmarshal(stored[0].Data, &saved); err != nil {
		return nil, errorf(CodeInternal, "提交失败")
	}
	caseID := stored[0].Stream
	s.sessions.update(func(se *Session) { se.cases = append(se.cases, caseID) }, false)
	s.log.Info("case submitted", "case", caseID, "number", saved.Number)
	s.afterWrite([]string{caseID})
	url := s.statusURL(saved.Number, saved.Token)
	qr, err := qrDataURL(url, 360)
	if err != nil {
		s.log.Warn("receipt qr", "err", err)
	}
	return &Receipt{
		CaseID: caseID, Number: saved.Number, SubmittedAt: stored[0].At.Format(time.RFC3339),
		StatusURL: url, QRDataURL: qr,
	}, nil
}

func validateCase(in CaseInput) error {
	n := utf8.RuneCountInString(in.Text)
	switch {
	case in.Category == "":
		return errorf(CodeInvalidInput, "请选择问题分类")
	case n < 5:
		return errorf(CodeInvalidInput, "请至少写五个字，说清楚是什么问题")
	case n > 1000:
		return errorf(CodeInvalidInput, "内容太长了，请控制在一千字以内")
	case in.Phone != "" && !validPhone(in.Phone):
		return errorf(CodeInvalidInput, "电话号码格式不对")
	case utf8.RuneCountInString(in.Building) > 60:
		return errorf(CodeInvalidInput, "地址太长了")
	}
	return nil
}

func validPhone(p string) bool {
	p = strings.ReplaceAll(p, "-", "")
	if len(p) < 7 || len(p) > 12 {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (k *Kiosk) knownCategory(ctx context.Context, code string) bool {
	cats, err := k.s.store.Categories(ctx)
	if err != nil {
		return false
	}
	for _, c := range cats {
		if c.Code == code {
			return true
		}
	}
	return false
}

// statusURL is the hub page a receipt's QR opens.
func (s *Station) statusURL(number, token string) string {
	base := strings.TrimRight(s.cfg.HubURL, "/")
	if base == "" {
		base = "http://hub.invalid"
	}
	return base + "/c/" + number + "?t=" + token
}

// afterWrite tells the sync client and the screens that local facts were recorded.
func (s *Station) afterWrite(caseIDs []string) {
	if s.sync != nil {
		s.sync.Kick()
	}
	if len(caseIDs) > 0 {
		s.emitEvent(EventCasesChanged, CasesChanged{IDs: caseIDs})
	}
	s.board.trigger()
}

// ready reports a store that could not be opened.
func (s *Station) ready() error {
	if s.store == nil {
		return errorf(CodeStoreFailed, "本机存储无法打开，请联系工作人员")
	}
	return nil
}

func newEvent(kind domain.Kind, stream string, actor domain.Actor, at time.Time, payload any) (domain.Event, error) {
	data, err := json.Marshal(payload)
	if err != nil {
		return domain.Event{}, err
	}
	return domain.Event{Kind: kind, Stream: stream, Actor: actor, At: at.UTC(), Data: data}, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
