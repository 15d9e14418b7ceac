package synctest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/protocol"
)

// loadStation is a station syncing with the real client over the hub binary.
type loadStation struct {
	d      *testDevice
	st     *MemStation
	c      *client.Client
	cancel context.CancelFunc
	done   chan error
}

func startLoadStation(ctx context.Context, d *testDevice, url string) *loadStation {
	ctx, cancel := context.WithCancel(ctx)
	r := &loadStation{d: d, st: NewMemStation(d.id), cancel: cancel, done: make(chan error, 1)}
	r.c = client.New(client.Config{HubURL: url, DeviceID: d.id, AppVersion: "load", Role: "kiosk",
		BackoffMin: 50 * time.Millisecond, BackoffMax: time.Second}, r.st, d.key, nil)
	go func() { r.done <- r.c.Run(ctx) }()
	return r
}

// record commits the station's fact n (from 0) and asks the client to upload.
func (r *loadStation) record(n int) {
	r.st.Record(r.d.fact(int64(n + 1)))
	r.c.Kick()
}

// synced: every fact acknowledged and received back in the station's scope.
func (r *loadStation) synced() bool {
	if r.st.Uploaded() != loadFacts {
		return false
	}
	own := 0
	for _, e := range r.st.Remote() {
		if e.Device == r.d.id {
			own++
		}
	}
	return own == loadFacts
}

func (r *loadStation) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("station %s: %v", r.d.station, err)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("station %s did not stop", r.d.station)
	}
}

func allSynced(runs []*loadStation) bool {
	for _, r := range runs {
		if !r.synced() {
			return false
		}
	}
	return true
}

func syncReport(runs []*loadStation) string {
	var b strings.Builder
	for _, r := range runs {
		s := r.c.Status()
		fmt.Fprintf(&b, "%s: %s uploaded %d outbox %d err %q; ", r.d.station, s.State, r.st.Uploaded(), s.Outbox, s.ErrorCode)
	}
	return b.String()
}

func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics: %d, %v", resp.StatusCode, err)
	}
	return string(b)
}

// attackAndRevoke has the taken kiosk upload facts the hub must refuse (each answered with its
// code, the valid fact after them applied), then revokes it with `liaison-hub device revoke`
// and measures how long its live session lasts after the command returns.
func attackAndRevoke(t *testing.T, bin, dir, url string, d *testDevice) string {
	t.Helper()
	r := d.login(t, url)
	deep := d.fact(1)
	deep.Data = json.RawMessage(`{"text":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`)
	foreign := d.fact(2)
	foreign.Station = "LD01"
	outcome := d.fact(3)
	outcome.Kind, outcome.Stream = domain.KindActivitySignUpStatus, "activity:HX01-A01"
	outcome.Data = json.RawMessage(`{"activity_id":"HX01-A01","person_id":"` + testResident + `","status":"confirmed","position":1,"capacity":0}`)
	good := d.fact(4)
	r.send(&protocol.Upload{Batch: 1, Facts: []domain.Event{deep, foreign, outcome, good}})
	var codes []string
	for batch := int64(1); ; batch++ {
		m, code := r.next()
		if code != 0 {
			t.Fatalf("taken kiosk closed with %d during its upload", code)
		}
		if a, ok := m.(*protocol.Ack); ok {
			if a.LastDevSeq != 4 || a.Applied != 1 {
				t.Fatalf("ack %+v", a)
			}
			break
		}
		e, ok := m.(*protocol.Error)
		if !ok || e.Code != protocol.ErrCodeFactRefused {
			t.Fatalf("answer %+v", m)
		}
		codes = append(codes, e.Reason)
		r.send(&protocol.Upload{Batch: batch + 1, Facts: []domain.Event{deep, foreign, outcome, good}[e.DevSeq:]})
	}
	if got := strings.Join(codes, " "); got != "too_deep scope hub_only" {
		t.Fatalf("refusal codes %q", got)
	}
	out, err := exec.Command(bin, "device", "revoke", d.id, "--user", loadRevoker, "--data", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("device revoke: %v\n%s", err, out)
	}
	revoked := time.Now()
	if _, code := r.next(); code != protocol.CloseRevoked {
		t.Fatalf("taken kiosk's session ended with %d, want 4004", code)
	}
	took := time.Since(revoked)
	if took > 2*time.Second {
		t.Fatalf("revocation took %v to end the session", took)
	}
	out, err = exec.Command(bin, "quarantine", "list", "--data", dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "too_deep") || !strings.Contains(string(out), "hub_only") {
		t.Fatalf("quarantine list: %v\n%s", err, out)
	}
	return fmt.Sprintf("attacks refused as %v; revoked session closed %v after the command", codes, took.Round(time.Millisecond))
}

// verifyLoadHub checks the stopped hub: the chain verifies and each station's facts are in
// the log once.
func verifyLoadHub(t *testing.T, dir string, runs []*loadStation) {
	t.Helper()
	ctx := context.Background()
	hs, err := sqlitestore.Open(ctx, dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	if err := hs.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		evs, err := scopeEvents(ctx, hs, r.d.station)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]int{}
		for _, e := range evs {
			if e.Device == r.d.id {
				seen[e.DevSeq]++
			}
		}
		for n := int64(1); n <= loadFacts; n++ {
			if seen[n] != 1 {
				t.Fatalf("%s: fact %d in the log %d times", r.d.station, n, seen[n])
			}
		}
	}
}
