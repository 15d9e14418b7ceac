package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"liaison/app/store"
	"liaison/sync/domain"
)

// badgeStation is a test station with the simulated scanner, a hub signing key the test
// holds, one representative, and one submitted case to claim.
type badgeStation struct {
	*testStation
	hubSign ed25519.PrivateKey
	caseID  string
}

func newBadgeStation(t *testing.T) badgeStation {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestStationWith(t, func(c *Config) { c.Scanner = "sim" },
		map[string]string{metaHubSignKey: base64.StdEncoding.EncodeToString(pub)})
	ctx := context.Background()
	refs := []domain.Event{
		refEvent(t, 3, domain.KindRepresentativeUpserted, "rep:HX01-R01", domain.Representative{ID: "HX01-R01", Name: "张三", Level: "区人大代表"}),
		refEvent(t, 4, domain.KindBadgeRevoked, domain.BadgeRevokedStream("B0666"), domain.BadgeRevocation{Serial: "B0666", Rep: "HX01-R01"}),
	}
	if err := ts.store.ApplyRemote(ctx, "epoch-test", refs, 4); err != nil {
		t.Fatal(err)
	}
	sub, err := newEvent(domain.KindCaseSubmitted, "", domain.Actor{Role: domain.RoleAnonymous}, time.Now(),
		domain.CaseSubmitted{Category: "env", Text: "测试：路灯不亮", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := ts.store.Record(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	return badgeStation{testStation: ts, hubSign: priv, caseID: stored[0].Stream}
}

func (b badgeStation) badge(t testing.TB, serial string, until time.Time, key ed25519.PrivateKey) string {
	t.Helper()
	p, err := domain.SignBadge(domain.Badge{Rep: "HX01-R01", Serial: serial, ValidUntil: until}, key)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func scanWith(pred func(ScanResult) bool) func(any) bool {
	return func(p any) bool {
		r, ok := p.(ScanResult)
		return ok && pred(r)
	}
}

func TestBadgeScanThroughSerialScanner(t *testing.T) {
	t.Parallel()
	b := newBadgeStation(t)
	ctx := context.Background()
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	year := time.Now().AddDate(1, 0, 0)
	good := b.badge(t, "B0001", year, b.hubSign)
	refusals := []struct {
		name, text, code string
	}{
		{"expired", b.badge(t, "B0002", time.Now().Add(-time.Hour), b.hubSign), CodeBadgeExpired},
		{"revoked", b.badge(t, "B0666", year, b.hubSign), CodeBadgeRevoked},
		{"forged", b.badge(t, "B0001", year, other), CodeBadgeForged},
		{"malformed", good[:30], CodeBadgeMalformed},
		{"not a badge", "https://example.invalid/x", CodeScanUnknown},
	}
	for _, tc := range refusals {
		// sent through the pty simulator and the real serial driver
		if err := b.Rep.SimulateScan(tc.text); err != nil {
			t.Fatal(err)
		}
		r := b.rec.waitEvent(t, EventScanResult, scanWith(func(ScanResult) bool { return true })).(ScanResult)
		if r.OK || r.Code != tc.code {
			t.Fatalf("%s: %+v", tc.name, r)
		}
	}
	if ids, _ := b.store.SignedIn(ctx, b.today()); len(ids) != 0 {
		t.Fatalf("refused badges signed someone in: %v", ids)
	}
	if b.Rep.Workbench() != nil {
		t.Fatal("a refused badge opened the workbench")
	}

	if err := b.Rep.SimulateScan(good); err != nil {
		t.Fatal(err)
	}
	r := b.rec.waitEvent(t, EventScanResult, nil).(ScanResult)
	if !r.OK || !r.SignedIn || r.RepName != "张三" || r.Code != domain.CodeRepSignedIn || r.Params["name"] != "张三" {
		t.Fatalf("good badge: %+v", r)
	}
	sess := b.Rep.Workbench()
	if sess == nil || !sess.SignedIn || sess.RepID != "HX01-R01" || sess.Badge != "B0001" {
		t.Fatalf("workbench %+v", sess)
	}
	if ids, _ := b.store.SignedIn(ctx, b.today()); len(ids) != 1 || ids[0] != "HX01-R01" {
		t.Fatalf("signed in %v", ids)
	}
	// a second scan the same day opens the workbench without a second sign-in fact
	if r := b.Rep.ScanText(good); !r.OK || r.SignedIn || r.Code != domain.CodeRepAlreadySignedIn {
		t.Fatalf("second scan: %+v", r)
	}
	depth, _ := b.store.OutboxDepth(ctx)
	if depth != 2 { // the case submission and one sign-in
		t.Fatalf("outbox depth %d, want 2", depth)
	}

	cases, err := b.Rep.UnclaimedCases()
	if err != nil || len(cases) != 1 {
		t.Fatalf("unclaimed %+v %v", cases, err)
	}
	if _, err := b.Rep.ClaimCase(b.caseID); err != nil {
		t.Fatal(err)
	}
	c, _ := b.store.Case(ctx, b.caseID)
	if c.State != domain.StateAccepted || c.RepID != "HX01-R01" {
		t.Fatalf("claimed case %+v", c)
	}
	if _, err := b.Rep.ClaimCase(b.caseID); AsError(err).Code != domain.CodeClaimRefused {
		t.Fatalf("second claim: %v", err)
	}
	out, err := b.Rep.DutySignOut()
	if err != nil {
		t.Fatal(err)
	}
	if out.SignedIn || out.SignedInAt != nil || out.SignedOutAt == nil {
		t.Fatalf("workbench after sign-out %+v: the chip shows 已签退 with its time", out)
	}
	if ids, _ := b.store.SignedIn(ctx, b.today()); len(ids) != 0 {
		t.Fatalf("after sign-out %v", ids)
	}
}

func TestReceptionBecomesClaimedCase(t *testing.T) {
	t.Parallel()
	b := newBadgeStation(t)
	if _, err := b.Rep.LogReception(ReceptionInput{Topic: "x"}); AsError(err).Code != domain.CodeRepSessionRequired {
		t.Fatalf("without a badge: %v", err)
	}
	if r := b.Rep.ScanText(b.badge(t, "B0001", time.Now().AddDate(0, 1, 0), b.hubSign)); !r.OK {
		t.Fatalf("scan %+v", r)
	}
	tests := []struct {
		name   string
		in     ReceptionInput
		code   string
		isCase bool
	}{
		{"no topic", ReceptionInput{Resident: "李四"}, domain.CodeReceptionText, false},
		{"unknown category", ReceptionInput{Topic: "测试：噪音", AsCase: true, Category: "zz"}, domain.CodeCategoryRequired, false},
		{"note only", ReceptionInput{Resident: "李四", Topic: "测试：咨询政策", Outcome: "已解答"}, "", false},
		{"becomes a case", ReceptionInput{Resident: "王五", Topic: "测试：楼道灯坏", AsCase: true, Category: "env", Community: "朝阳社区"}, "", true},
	}
	for _, tc := range tests {
		got, err := b.Rep.LogReception(tc.in)
		if tc.code != "" {
			if AsError(err).Code != tc.code {
				t.Fatalf("%s: %v", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if tc.isCase {
			c, err := b.store.Case(context.Background(), got.CaseID)
			if err != nil || c.State != domain.StateAccepted || c.RepID != "HX01-R01" || got.CaseNumber == "" {
				t.Fatalf("%s: %+v %v", tc.name, c, err)
			}
		} else if got.CaseID != "" {
			t.Fatalf("%s: a case was opened", tc.name)
		}
	}
}

func TestCardReadEndsWorkbench(t *testing.T) {
	t.Parallel()
	b := newBadgeStation(t)
	if r := b.Rep.ScanText(b.badge(t, "B0001", time.Now().AddDate(0, 1, 0), b.hubSign)); !r.OK {
		t.Fatalf("scan %+v", r)
	}
	if err := b.Kiosk.SimulateCard("resident"); err != nil {
		t.Skipf("no sample card: %v", err)
	}
	b.rec.waitEvent(t, EventRepChanged, func(p any) bool { s, ok := p.(*RepSession); return p == nil || (ok && s == nil) })
	if b.Rep.Workbench() != nil {
		t.Fatal("workbench still open after a card read")
	}
}

func TestDemoBadgeFile(t *testing.T) {
	t.Parallel()
	b := newBadgeStation(t)
	if b.Rep.HasDemoBadge() {
		t.Fatal("demo badge without a file")
	}
	p := b.badge(t, "B0001", time.Now().AddDate(0, 1, 0), b.hubSign)
	if err := os.WriteFile(filepath.Join(b.cfg.DataDir, DemoBadgeFile), []byte(p+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if !b.Rep.HasDemoBadge() {
		t.Fatal("demo badge not found")
	}
	if err := b.Rep.SimulateScan(""); err != nil {
		t.Fatal(err)
	}
	if r := b.rec.waitEvent(t, EventScanResult, nil).(ScanResult); !r.OK {
		t.Fatalf("demo badge scan %+v", r)
	}
}

// BenchmarkScanToConfirmation measures the software part of a badge scan: from the scanned
// text to the confirmation event for the screen — verification, the duty fact committed
// with fsync, and the workbench session. Every iteration is a first scan of the day.
func BenchmarkScanToConfirmation(b *testing.B) {
	ctx := context.Background()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	st := wireTestStation(b, b.TempDir(), stationSetup{meta: map[string]string{store.MetaStation: "HX01",
		store.MetaDeviceCode: "K1", metaHubSignKey: base64.StdEncoding.EncodeToString(pub)}})
	rec := st.rec
	payloads := make([]string, b.N)
	for i := range payloads {
		payloads[i], _ = domain.SignBadge(domain.Badge{Rep: "R" + itoa(i), Serial: "B" + itoa(i),
			ValidUntil: time.Now().AddDate(1, 0, 0)}, priv)
	}
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if r := st.Rep.onScan(ctx, payloads[i]); !r.OK || !r.SignedIn {
			b.Fatalf("scan %+v", r)
		}
		for e := range rec.ch { // until the confirmation the screen shows
			if e.name == EventScanResult {
				break
			}
		}
		took = append(took, time.Since(start))
		for len(rec.ch) > 0 {
			<-rec.ch
		}
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}

func itoa(i int) string { return string(rune('a'+i%26)) + time.Duration(i).String() }
