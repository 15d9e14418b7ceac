package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/hub/hubtest"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
	"liaison/sync/hub/wsserver"
	"liaison/sync/synctest"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The whole hub as main wires it: pairing over HTTP, a station syncing over the real sync
// endpoint, a staff action pushed to the station live.
func TestStationPairsSyncsAndReceivesPush(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	hubtest.CopyDir(t, seededDir, dir)
	st, err := sqlitestore.Open(ctx, dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	wsm, err := wsserver.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	ws := wsserver.New(st, wsserver.Config{Metrics: wsm}, nil)
	con, token := staffConsole(t, st, time.Now, "")
	srv := httptest.NewServer(New(Config{Version: "e2e", Console: con,
		SignKey: st.Keys().SignPublicKey(), BoxKey: st.Keys().BoxPublicKey()}, st, ws, m, nil).Handler())
	defer srv.Close()
	defer ws.Close()
	go Forward(ctx, st, ws, m, nil)

	// Pair with a code, as the technician does, and refuse the code the second time.
	pc, err := st.CreatePairingCode(ctx, seed.StationCode, store.RoleKiosk, "测试终端")
	if err != nil {
		t.Fatal(err)
	}
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	enr, err := client.Pair(ctx, srv.URL, pc.Code, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	if enr.DeviceCode != "K1" || enr.Station != seed.StationCode || !enr.HubSignKey.Equal(st.Keys().SignPublicKey()) ||
		enr.HubBoxKey != st.Keys().BoxPublicKey() {
		t.Fatalf("enrolment %+v", enr)
	}
	_, err = client.Pair(ctx, srv.URL, pc.Code, pub, "")
	var pe *client.PairError
	if !errors.As(err, &pe) || pe.Code != CodePairingUsed {
		t.Fatalf("second pairing: %v", err)
	}

	station := synctest.NewMemStation(enr.DeviceID)
	data, _ := json.Marshal(domain.CaseSubmitted{Number: "HX01-K1-20261123-0001", Token: domain.NewToken(),
		Category: "env", Text: "测试：路灯不亮", Anonymous: true})
	sub := station.Record(domain.Event{ID: domain.NewEventID(), Station: enr.Station, Stream: domain.NewEventID(),
		Kind: domain.KindCaseSubmitted, At: time.Now().UTC(), Actor: domain.Actor{Role: domain.RoleAnonymous}, Data: data})
	c := client.New(client.Config{HubURL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/sync",
		DeviceID: enr.DeviceID, Role: enr.Role, AppVersion: "e2e"}, station, key, nil)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()

	waitFor(t, "the fact to reach the hub", func() bool {
		n, _ := st.LastDevSeq(ctx, enr.DeviceID)
		return n == 1
	})
	last, _ := st.LastSeq(ctx)
	waitFor(t, "the station to catch up", func() bool {
		r := station.Remote()
		return len(r) > 0 && r[len(r)-1].HubSeq == last
	})
	if twice := station.AppliedTwice(); len(twice) != 0 {
		t.Fatalf("events applied twice: %v", twice)
	}

	// A staff action is pushed without the station asking.
	ev, err := st.Act(ctx, sub.Stream, domain.KindCaseAccepted, domain.Actor{Role: domain.RoleStaff, Name: "测试"},
		domain.CaseAccepted{RepID: "HX01-R01", RepName: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the staff action to be pushed", func() bool {
		for _, r := range station.Remote() {
			if r.ID == ev.ID {
				return true
			}
		}
		return false
	})

	// Staff revoke the device: its live session ends at once, the revocation is in the log,
	// and the client stops in the revoked state instead of retrying.
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/devices/"+enr.DeviceID+"/revoke", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	revokedAt := time.Now()
	resp, err := srv.Client().Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke: %v %v", resp, err)
	}
	resp.Body.Close()
	select {
	case err := <-done:
		if !errors.Is(err, client.ErrRevoked) || c.Status().State != client.StateRevoked {
			t.Fatalf("client after revocation: %v, %+v", err, c.Status())
		}
		if took := time.Since(revokedAt); took > 2*time.Second {
			t.Fatalf("the session lasted %v after the revocation", took)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("client did not stop after the revocation")
	}
	evs, err := st.StreamEvents(ctx, "device:"+enr.DeviceID)
	if err != nil || len(evs) != 1 || evs[0].Kind != domain.KindDeviceRevoked || evs[0].Station != enr.Station {
		t.Fatalf("audit trail of the revocation: %+v, %v", evs, err)
	}
	if err := st.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}
