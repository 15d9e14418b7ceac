package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"liaison/sync/domain"
)

// ScanResult tells the screen what a scan did. A refused scan records nothing.
type ScanResult struct {
	OK       bool   `json:"ok"`
	Kind     string `json:"kind"` // badge | unknown
	Code     string `json:"code"` // error code when not OK
	Message  string `json:"message"`
	RepName  string `json:"repName"`
	SignedIn bool   `json:"signedIn"` // this scan signed the representative in for today
	At       string `json:"at"`
}

// maxScanText bounds what a scan may carry; a badge is about 120 bytes.
const maxScanText = 2048

// onScan handles one scanned text, from the serial scanner or the keyboard-wedge scanner
// of the frontend, and tells the screen the result.
func (s *Station) onScan(ctx context.Context, text string) ScanResult {
	res := s.handleScan(ctx, text)
	res.At = s.now().UTC().Format(time.RFC3339Nano)
	s.emitEvent(EventScanResult, res)
	return res
}

func (s *Station) handleScan(ctx context.Context, text string) ScanResult {
	text = strings.TrimSpace(text)
	if s.store == nil {
		return ScanResult{Kind: "unknown", Code: CodeStoreFailed, Message: "本机存储无法打开，请联系工作人员"}
	}
	if len(text) > maxScanText || !domain.IsBadge(text) {
		return ScanResult{Kind: "unknown", Code: CodeScanUnknown, Message: "无法识别的二维码：请扫描代表证"}
	}
	return s.onBadge(ctx, text)
}

// onBadge opens the workbench for the badge's representative and, on the first scan of the
// day, signs them in for duty. A badge that does not verify records nothing.
func (s *Station) onBadge(ctx context.Context, text string) ScanResult {
	b, perr := s.verifyBadge(ctx, text)
	if perr != nil {
		s.log.Info("badge refused", "code", perr.Code, "serial", b.Serial)
		return ScanResult{Kind: "badge", Code: perr.Code, Message: perr.Message}
	}
	sess := RepSession{RepID: b.Rep, RepName: "代表 " + b.Rep, Badge: b.Serial}
	if reps, err := s.store.Representatives(ctx); err == nil {
		for _, r := range reps {
			if r.ID == b.Rep {
				sess.RepName, sess.Level, sess.PhotoSeed = r.Name, r.Level, r.PhotoSeed
			}
		}
	}
	if s.sessions.end() {
		s.emitEvent(EventSessionChanged, nil)
	}
	res := ScanResult{OK: true, Kind: "badge", RepName: sess.RepName}
	at, signed, err := s.dutyState(ctx, b.Rep)
	if err != nil {
		s.log.Error("read duty state", "err", err)
		return ScanResult{Kind: "badge", Code: CodeStoreFailed, Message: "本机存储出现问题，请联系工作人员"}
	}
	if !signed {
		if at, err = s.recordDuty(ctx, domain.KindDutySignedIn, sess); err != nil {
			s.log.Error("record duty sign-in", "err", err)
			return ScanResult{Kind: "badge", Code: CodeStoreFailed, Message: "签到未能保存，请重试或联系工作人员"}
		}
		res.SignedIn = true
		res.Message = sess.RepName + " 代表签到成功"
	} else {
		res.Message = sess.RepName + " 代表，您今天已签到"
	}
	sess.SignedIn, sess.SignedInAt = true, timePtr(at)
	started := s.reps.start(sess)
	s.log.Info("workbench opened", "rep", b.Rep, "badge", b.Serial, "signed_in_now", res.SignedIn)
	s.emitEvent(EventRepChanged, started)
	return res
}

// dutyState tells whether the representative is signed in today and since when.
func (s *Station) dutyState(ctx context.Context, rep string) (time.Time, bool, error) {
	day := s.today()
	ids, err := s.store.SignedIn(ctx, day)
	if err != nil {
		return time.Time{}, false, err
	}
	for _, id := range ids {
		if id == rep {
			at, err := s.store.LastDutySign(ctx, day, rep)
			return at, true, err
		}
	}
	return time.Time{}, false, nil
}

// recordDuty records a duty sign-in or sign-out with its real time and a fresh nonce: each
// scan is one fact, recorded once, and never refused by the hub for arriving late.
func (s *Station) recordDuty(ctx context.Context, kind domain.Kind, sess RepSession) (time.Time, error) {
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	at := s.now().UTC()
	ev, err := newEvent(kind, "duty:"+s.id.station+":"+sess.RepID, repActor(sess), at,
		domain.DutySign{RepID: sess.RepID, RepName: sess.RepName, Badge: sess.Badge, Nonce: hex.EncodeToString(nonce)})
	if err != nil {
		return at, err
	}
	if _, err := s.store.Record(ctx, ev); err != nil {
		return at, err
	}
	s.afterWrite(nil)
	return at, nil
}

func repActor(sess RepSession) domain.Actor {
	return domain.Actor{Role: domain.RoleRepresentative, ID: sess.RepID, Name: sess.RepName}
}

// scanLoop hands the serial scanner's scans to onScan.
func (s *Station) scanLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case sc, ok := <-s.scanner.Scans():
			if !ok {
				return
			}
			s.log.Info("scan received", "length", len(sc.Text))
			s.onScan(ctx, sc.Text)
		}
	}
}
