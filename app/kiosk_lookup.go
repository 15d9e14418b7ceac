package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"liaison/sync/text"
	"net/url"
	"regexp"
	"strings"
	"time"

	"liaison/sync/domain"
)

// PublicCase is what a receipt's holder may see of a case at the kiosk: what the hub's public
// status page shows (docs/hub.md), never the case's text, building, phone or rating comments.
// Mine is set, with CaseID, when the resident in session submitted it: the kiosk then opens
// the full case instead.
type PublicCase struct {
	Number       string          `json:"number"`
	CategoryName string          `json:"categoryName"`
	State        string          `json:"state"`
	Overdue      bool            `json:"overdue"`
	Community    string          `json:"community"`
	SubmittedAt  string          `json:"submittedAt"`
	Due          *string         `json:"due"`
	Timeline     []TimelineEntry `json:"timeline"`
	Mine         bool            `json:"mine"`
	CaseID       string          `json:"caseId"`
}

// receiptPath matches the status page a receipt's QR opens: <hub>/c/<number>?t=<token>.
var receiptPath = regexp.MustCompile(`^/c/([A-Za-z0-9-]{1,40})$`)

// parseReceiptURL reads the case number and token from a receipt's QR. Any hub's address is
// accepted: a receipt printed before the hub moved still names its case.
func parseReceiptURL(text string) (number, token string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(text))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", "", false
	}
	m := receiptPath.FindStringSubmatch(u.Path)
	token = u.Query().Get("t")
	if m == nil || token == "" || len(token) > 200 {
		return "", "", false
	}
	return m[1], token, true
}

// LookupCase opens a case by its number and the token of its receipt's QR. Without the token
// only the resident in session who submitted the case may open it: a number alone is easy to
// guess, so it must not show a stranger's case.
func (k *Kiosk) LookupCase(number, token string) (*PublicCase, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	number = strings.ToUpper(strings.TrimSpace(number))
	if number == "" || len(number) > 40 {
		return nil, appError(domain.CodeCaseNumberRequired)
	}
	ctx := context.Background()
	notFound := appError(domain.CodeCaseNotFound)
	c, err := k.Store.CaseByNumber(ctx, number)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, notFound
	}
	if err != nil {
		k.Log.Error("look up case", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	_, _ = k.desk.residents.touch()
	if own, err := k.ownCase(c.ID); err == nil {
		return &PublicCase{Number: own.Number, Mine: true, CaseID: own.ID}, nil
	}
	if token == "" {
		// The same answer whether the case exists or not: a number alone tells nothing.
		if k.desk.residents.get() == nil {
			return nil, appError(domain.CodeLookupNeedsCard)
		}
		return nil, notFound
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(c.Token)) != 1 {
		k.Log.Info("case lookup with a wrong token")
		return nil, notFound
	}
	return k.publicCase(ctx, c)
}

func (k *Kiosk) publicCase(ctx context.Context, c domain.Case) (*PublicCase, error) {
	evs, applied, err := k.Store.TimelineApplied(ctx, c.ID)
	if err != nil {
		k.Log.Error("case timeline", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	sum := k.summary(c, k.categoryNames(ctx))
	p := &PublicCase{Number: c.Number, CategoryName: sum.CategoryName, State: sum.State, Overdue: sum.Overdue,
		Community: c.Community, SubmittedAt: sum.SubmittedAt}
	if !c.Due.IsZero() {
		p.Due = timePtr(c.Due)
	}
	// Worded by the same function as the hub's status page, for the public: what the receipt's
	// link shows anyone holding it, never the resident's own words.
	p.Timeline = k.timeline(evs, applied, c, text.Public)
	return p, nil
}

// CaseUploaded reports whether the hub has the submission of one of the session's cases: only
// then does the status page that the receipt's QR opens know it.
func (k *Kiosk) CaseUploaded(id string) (bool, error) {
	if _, err := k.ownCase(id); err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	evs, err := k.Store.Timeline(ctx, id)
	if err != nil {
		return false, appError(domain.CodeStoreReadFailed)
	}
	up, err := k.Store.Uploaded(ctx)
	if err != nil {
		return false, appError(domain.CodeStoreReadFailed)
	}
	for _, ev := range evs {
		if ev.Kind == domain.KindCaseSubmitted {
			return ev.HubSeq > 0 || (ev.DevSeq > 0 && ev.DevSeq <= up), nil
		}
	}
	return false, nil
}
