package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"liaison/device/scanner"
	"liaison/sync/domain"
)

// ScanResult tells the screen what a scan did. A refused scan records nothing.
type ScanResult struct {
	OK       bool              `json:"ok"`
	Kind     string            `json:"kind"` // badge | receipt | technician | unknown
	Code     string            `json:"code"` // what happened: an error code, or status code when OK
	Params   map[string]string `json:"params,omitempty"`
	RepName  string            `json:"repName"`
	SignedIn bool              `json:"signedIn"` // this scan signed the representative in for today
	Number   string            `json:"number"`   // a receipt's case number: the kiosk opens the case
	Token    string            `json:"token"`    // and the receipt's token, which lets it show the case
	At       string            `json:"at"`
}

// maxScanText bounds what a scan may carry; a badge is about 120 bytes.
const maxScanText = 2048

// onScan handles one scanned text, from the serial scanner or the keyboard-wedge scanner
// of the frontend, and tells the screen the result.
func (r *Rep) onScan(ctx context.Context, text string) ScanResult {
	if r.desk.probe.scans.offer(text) {
		r.Log.Info("scan handed to the technician screen", "length", len(text))
		return ScanResult{OK: true, Kind: "technician", At: r.Now().UTC().Format(time.RFC3339Nano)}
	}
	res := r.handleScan(ctx, text)
	res.At = r.Now().UTC().Format(time.RFC3339Nano)
	r.Notify.Emit(EventScanResult, res)
	return res
}

func (r *Rep) handleScan(ctx context.Context, text string) ScanResult {
	text = strings.TrimSpace(text)
	if r.Store == nil {
		return ScanResult{Kind: "unknown", Code: domain.CodeStoreUnavailable}
	}
	if number, token, ok := parseReceiptURL(text); ok && len(text) <= maxScanText {
		return ScanResult{OK: true, Kind: "receipt", Number: number, Token: token, Code: domain.CodeReceiptOpening,
			Params: map[string]string{"number": number}}
	}
	if len(text) > maxScanText || !domain.IsBadge(text) {
		return ScanResult{Kind: "unknown", Code: CodeScanUnknown}
	}
	return r.onBadge(ctx, text)
}

// onBadge opens the workbench for the badge's representative and, on the first scan of the
// day, signs them in for duty. A badge that does not verify records nothing.
func (r *Rep) onBadge(ctx context.Context, text string) ScanResult {
	b, perr := r.verifyBadge(ctx, text)
	if perr != nil {
		r.Log.Info("badge refused", "code", perr.Code, "serial", b.Serial)
		return ScanResult{Kind: "badge", Code: perr.Code, Params: perr.Params}
	}
	sess := RepSession{RepID: b.Rep, RepName: b.Rep, Badge: b.Serial}
	if reps, err := r.Store.Representatives(ctx); err == nil {
		for _, r := range reps {
			if r.ID == b.Rep {
				sess.RepName, sess.Level, sess.PhotoSeed = r.Name, r.Level, r.PhotoSeed
			}
		}
	}
	if r.desk.residents.end() {
		r.Notify.Emit(EventSessionChanged, nil)
	}
	res := ScanResult{OK: true, Kind: "badge", RepName: sess.RepName}
	at, signed, err := r.dutyState(ctx, b.Rep)
	if err != nil {
		r.Log.Error("read duty state", "err", err)
		return ScanResult{Kind: "badge", Code: domain.CodeStoreUnavailable}
	}
	if !signed {
		if at, err = r.recordDuty(ctx, domain.KindDutySignedIn, sess); err != nil {
			r.Log.Error("record duty sign-in", "err", err)
			return ScanResult{Kind: "badge", Code: writeFailed(err).Code}
		}
		res.SignedIn = true
		res.Code = domain.CodeRepSignedIn
	} else {
		res.Code = domain.CodeRepAlreadySignedIn
	}
	res.Params = map[string]string{"name": sess.RepName}
	sess.SignedIn, sess.SignedInAt = true, timePtr(at)
	started := r.desk.reps.start(sess)
	r.Log.Info("workbench opened", "rep", b.Rep, "badge", b.Serial, "signed_in_now", res.SignedIn)
	r.Notify.Emit(EventRepChanged, started)
	return res
}

// dutyState tells whether the representative is signed in today and since when.
func (r *Rep) dutyState(ctx context.Context, rep string) (time.Time, bool, error) {
	day := r.today()
	ids, err := r.Store.SignedIn(ctx, day)
	if err != nil {
		return time.Time{}, false, err
	}
	for _, id := range ids {
		if id == rep {
			at, err := r.Store.LastDutySign(ctx, day, rep)
			return at, true, err
		}
	}
	return time.Time{}, false, nil
}

// recordDuty records a duty sign-in or sign-out with its real time and a fresh nonce: each
// scan is one fact, recorded once, and never refused by the hub for arriving late.
func (r *Rep) recordDuty(ctx context.Context, kind domain.Kind, sess RepSession) (time.Time, error) {
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	at := r.Now().UTC()
	ev, err := newEvent(kind, "duty:"+r.id().Station+":"+sess.RepID, repActor(sess), at,
		domain.DutySign{RepID: sess.RepID, RepName: sess.RepName, Badge: sess.Badge, Nonce: hex.EncodeToString(nonce)})
	if err != nil {
		return at, err
	}
	if _, err := r.Store.Record(ctx, ev); err != nil {
		return at, err
	}
	r.Notify.Wrote(nil)
	return at, nil
}

func repActor(sess RepSession) domain.Actor {
	return domain.Actor{Role: domain.RoleRepresentative, ID: sess.RepID, Name: sess.RepName}
}

// readScans hands the serial scanner's scans to onScan.
func (r *Rep) readScans(ctx context.Context, scans <-chan scanner.Scan) {
	for {
		select {
		case <-ctx.Done():
			return
		case sc, ok := <-scans:
			if !ok {
				return
			}
			r.Log.Info("scan received", "length", len(sc.Text))
			r.onScan(ctx, sc.Text)
		}
	}
}
