package app

import (
	"context"
	"encoding/json"
	"liaison/sync/domain"
	"strings"
	"testing"
)

func TestLookupCaseByReceiptOrOwnership(t *testing.T) {
	ts := newTestStation(t)
	k := ts.Kiosk
	if _, err := k.StartAnonymous(); err != nil {
		t.Fatal(err)
	}
	const text = "三号楼门口的路灯坏了很久"
	rc, err := k.SubmitCase(CaseInput{Category: "env", Text: text, Community: "朝阳社区"})
	if err != nil {
		t.Fatal(err)
	}
	number, token, ok := parseReceiptURL(rc.StatusURL)
	if !ok || number != rc.Number || token == "" {
		t.Fatalf("receipt URL %q read as %q %q %v", rc.StatusURL, number, token, ok)
	}

	// The submitter, by number alone: their own case, opened in full by the kiosk.
	own, err := k.LookupCase(strings.ToLower(number), "")
	if err != nil || !own.Mine || own.CaseID != rc.CaseID {
		t.Fatalf("own case by number: %+v, %v", own, err)
	}

	// Someone else, by number alone: nothing; with a wrong token: nothing either.
	k.EndSession()
	if _, err := k.LookupCase(number, ""); code(err) != domain.CodeLookupNeedsCard {
		t.Fatalf("number alone without a session: %v", err)
	}
	if _, err := k.StartAnonymous(); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"", "wrong-token"} {
		if _, err := k.LookupCase(number, tok); code(err) != domain.CodeCaseNotFound {
			t.Fatalf("another person with token %q: %v", tok, err)
		}
	}
	if _, err := k.LookupCase("HX01-K1-20990101-9999", ""); code(err) != domain.CodeCaseNotFound {
		t.Fatalf("an unknown number answers differently: %v", err)
	}

	// The receipt's QR: what the public status page shows, without the text.
	pub, err := k.LookupCase(number, token)
	if err != nil || pub.Mine || pub.Number != number || pub.State != "submitted" || pub.CategoryName != "环境卫生" ||
		len(pub.Timeline) != 1 {
		t.Fatalf("by receipt: %+v, %v", pub, err)
	}
	raw, _ := json.Marshal(pub)
	if strings.Contains(string(raw), "路灯") || pub.CaseID != "" {
		t.Fatalf("the public view shows the case: %s", raw)
	}

	// A scan of the receipt is recognised as one.
	if res := ts.Rep.ScanText(rc.StatusURL); res.Kind != "receipt" || res.Number != number || res.Token != token {
		t.Fatalf("receipt scan %+v", res)
	}
}

func TestCaseUploadedFollowsTheHubsAcknowledgement(t *testing.T) {
	ts := newTestStation(t)
	k := ts.Kiosk
	if _, err := k.StartAnonymous(); err != nil {
		t.Fatal(err)
	}
	rc, err := k.SubmitCase(CaseInput{Category: "env", Text: "垃圾桶满了没人清理", Community: "朝阳社区"})
	if err != nil {
		t.Fatal(err)
	}
	if up, err := k.CaseUploaded(rc.CaseID); err != nil || up {
		t.Fatalf("before any upload: %v, %v", up, err)
	}
	ctx := context.Background()
	seq, err := ts.store.LastLocalSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.store.MarkUploaded(ctx, seq); err != nil {
		t.Fatal(err)
	}
	if up, err := k.CaseUploaded(rc.CaseID); err != nil || !up {
		t.Fatalf("after the hub acknowledged it: %v, %v", up, err)
	}
	k.EndSession()
	if _, err := k.CaseUploaded(rc.CaseID); code(err) != CodeNoSession {
		t.Fatalf("without the session: %v", err)
	}
}
