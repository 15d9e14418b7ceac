package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"liaison/app/store"
	"liaison/sync/domain"
)

// The technician screen over a running station: the drivers restart on the chosen ports and
// the test reads go through the real drivers and the simulators.
func TestTechnicianTestReadsThroughTheDrivers(t *testing.T) {
	ts := newTestStationWith(t, func(c *Config) { c.Scanner = "" }, nil)
	if !ts.Technician.Unlock(DefaultTechPIN) {
		t.Fatal("default PIN refused")
	}
	if res, err := ts.Technician.SetPorts("sim", "sim"); err != nil || !res.Live {
		t.Fatalf("SetPorts = %+v, %v", res, err)
	}
	if d := ts.bg.Devices.Get(); d.ScanSim == nil || d.CardSim == nil {
		t.Fatal("the simulators were not started on the new settings")
	}
	res, err := ts.Technician.TestReader()
	if err != nil || !res.OK || !res.Simulated || res.CardType != "resident" || res.Name != "测*" {
		t.Fatalf("reader test = %+v, %v", res, err)
	}
	if ts.Kiosk.Session() != nil {
		t.Fatal("the test card opened a session")
	}
	scan, err := ts.Technician.TestScanner()
	if err != nil || !scan.OK || len(scan.Text) < len("LIAISON-TEST-") || scan.Text[:13] != "LIAISON-TEST-" {
		t.Fatalf("scanner test = %+v, %v", scan, err)
	}
	// After the test, a card is the kiosk's again (once the reader saw the test card go: the
	// card is placed again until it opens a session).
	var placed time.Time
	waitUntil(t, "a card after the test to open a session", func() bool {
		if time.Since(placed) > 2500*time.Millisecond {
			if err := ts.Kiosk.SimulateCard("resident"); err != nil {
				t.Fatal(err)
			}
			placed = time.Now()
		}
		return ts.Kiosk.Session() != nil
	})
}

// Pairing sends no name unless the technician gave one, so the hub keeps the name given with
// the code; a device with records of its own is not re-paired.
func TestPairKeepsTheHubsNameUnlessOneWasGiven(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var names []string
	signPub, _, _ := ed25519.GenerateKey(rand.Reader)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Name string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		mu.Lock()
		names = append(names, req.Name)
		mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]string{
			"device_id": "dev-1", "device_code": "K2", "station": "HX01", "station_name": "和谐站",
			"role": "kiosk", "hub_sign_key": base64.StdEncoding.EncodeToString(signPub),
			"hub_box_key": base64.StdEncoding.EncodeToString(make([]byte, 32)),
		})
	}))
	defer hub.Close()

	st, err := store.Open(filepath.Join(t.TempDir(), "station.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	cfg := DefaultConfig(t.TempDir())
	cfg.HubURL = hub.URL
	id, err := Pair(ctx, st, cfg, "ABCD-EFGH", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if !id.Paired() || id.DeviceCode != "K2" || id.HubURL != hub.URL {
		t.Fatalf("identity %+v", id)
	}
	cfg.Name = "一楼大厅"
	if _, err := Pair(ctx, st, cfg, "ABCD-EFGH", slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 || names[0] != "" || names[1] != "一楼大厅" {
		t.Fatalf("names sent %q: want none, then the technician's", names)
	}

	ev, err := newEvent(domain.KindCaseSubmitted, domain.NewEventID(), domain.Actor{Role: domain.RoleAnonymous},
		time.Now(), domain.CaseSubmitted{Token: domain.NewToken(), Category: "env", Text: "路灯坏了很久", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Record(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if _, err := Pair(ctx, st, cfg, "ABCD-EFGH", slog.New(slog.DiscardHandler)); !errors.Is(err, ErrHasHistory) {
		t.Fatalf("re-pairing a device with records: %v", err)
	}
}
