package synctest

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"liaison/app/store"
	"liaison/sync/domain"
	"liaison/sync/faultnet"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/sqlitestore/enginetest"
	hubstore "liaison/sync/hub/store"
	"liaison/sync/hub/wsserver"
	"liaison/sync/protocol"
)

var staff = domain.Actor{Role: domain.RoleStaff, ID: "s1", Name: "测试员"}

// realHub opens a hub store with the given stations: in dir on SQLite, or on a database of
// its own with LIAISON_TEST_ENGINE=postgres (enginetest).
func realHub(t testing.TB, dir string, stations ...string) *sqlitestore.Store {
	t.Helper()
	ctx := context.Background()
	hs := enginetest.Open(t, dir, sqlitestore.Options{})
	for _, code := range stations {
		if _, err := hs.UpsertStation(ctx, domain.Station{Code: code, Name: "测试站" + code}, staff); err != nil {
			t.Fatalf("upsert station: %v", err)
		}
	}
	return hs
}

// realStation pairs a new device with the hub and opens its station store.
func realStation(t testing.TB, hs *sqlitestore.Store, dir, code string) *station {
	t.Helper()
	ctx := context.Background()
	pub, key := newKey(t)
	pc, err := hs.CreatePairingCode(ctx, code, hubstore.RoleKiosk, "测试终端")
	if err != nil {
		t.Fatalf("pairing code: %v", err)
	}
	dev, err := hs.Pair(ctx, pc.Code, pub, "")
	if err != nil {
		t.Fatalf("pair: %v", err)
	}
	ls, err := store.Open(filepath.Join(dir, dev.ID+".db"), nil)
	if err != nil {
		t.Fatalf("open station store: %v", err)
	}
	t.Cleanup(func() { ls.Close() })
	for k, v := range map[string]string{store.MetaDeviceID: dev.ID, store.MetaStation: code,
		store.MetaDeviceCode: dev.Code, store.MetaRole: "kiosk"} {
		if err := ls.SetMeta(ctx, k, v); err != nil {
			t.Fatalf("set meta: %v", err)
		}
	}
	return &station{id: dev.ID, code: code, key: key, pub: pub, store: ls}
}

func submit(st *station, n int) error {
	resident := residentOf(st.id)
	data, _ := json.Marshal(domain.CaseSubmitted{Category: "road", Text: fmt.Sprintf("测试诉求 %d", n), Community: "测试社区", ResidentID: resident, SurnameMask: "张*"})
	_, err := st.store.(*store.Store).Record(context.Background(), domain.Event{
		Kind: domain.KindCaseSubmitted, Stream: caseIDOf(st.id + "-case-" + fmt.Sprint(n)),
		Actor: domain.Actor{Role: domain.RoleResident, ID: resident, Name: "张*"}, Data: data,
	})
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if st.client != nil {
		st.client.Kick()
	}
	return nil
}

// scopeEvents is the whole of a station's scope in the hub log, read page by page (a page is
// bounded in bytes).
func scopeEvents(ctx context.Context, hs *sqlitestore.Store, station string) ([]domain.Event, error) {
	var out []domain.Event
	for after := int64(0); ; {
		evs, err := hs.EventsAfter(ctx, station, after, protocol.MaxPageEvents)
		if err != nil || len(evs) == 0 {
			return out, err
		}
		out = append(out, evs...)
		after = evs[len(evs)-1].HubSeq
	}
}

// caseIDOf is the case id (a UUID, as stations make them) of a test case named by label.
func caseIDOf(label string) string { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(label)).String() }

// residentOf is a resident id for the station's test submissions.
func residentOf(device string) string {
	return domain.ResidentID(fmt.Sprintf("%x", sha256.Sum256([]byte(device))))
}

// converged reports whether every station holds exactly its scope of the hub log and the hub
// holds every station fact exactly once; the string says what differs.
func converged(ctx context.Context, hs *sqlitestore.Store, sts []*station) (bool, string) {
	for _, st := range sts {
		ls := st.store.(*store.Store)
		last, err := ls.LastLocalSeq(ctx)
		if err != nil {
			return false, err.Error()
		}
		if hubLast, _ := hs.LastDevSeq(ctx, st.id); hubLast != last {
			return false, fmt.Sprintf("%s: hub holds %d of %d facts", st.id, hubLast, last)
		}
		if up, _ := ls.Uploaded(ctx); up != last {
			return false, fmt.Sprintf("%s: uploaded %d of %d", st.id, up, last)
		}
		scope, err := scopeEvents(ctx, hs, st.code)
		if err != nil {
			return false, err.Error()
		}
		_, cursor, _ := ls.Cursor(ctx)
		if n := len(scope); n > 0 && cursor < scope[n-1].HubSeq {
			return false, fmt.Sprintf("%s: cursor %d behind %d", st.id, cursor, scope[n-1].HubSeq)
		}
		hubCases, err := hs.Cases(ctx, hubstore.CaseFilter{Station: st.code})
		if err != nil {
			return false, err.Error()
		}
		local, err := ls.StationCases(ctx, st.code)
		if err != nil {
			return false, err.Error()
		}
		if len(local) != len(hubCases) {
			return false, fmt.Sprintf("%s: %d cases, hub %d", st.id, len(local), len(hubCases))
		}
		byID := map[string]domain.Case{}
		for _, c := range local {
			byID[c.ID] = c
		}
		for _, hc := range hubCases {
			lc, ok := byID[hc.ID]
			if !ok || lc.State != hc.State || lc.Number != hc.Number {
				return false, fmt.Sprintf("%s: case %s differs: local %v/%s hub %v/%s", st.id, hc.ID, lc.State, lc.Number, hc.State, hc.Number)
			}
			if msg := sameTimeline(ctx, hs, ls, hc.ID); msg != "" {
				return false, st.id + ": " + msg
			}
		}
	}
	return true, ""
}

// sameTimeline compares a case's events at the station and the hub as id multisets, so an
// event applied twice or lost shows.
func sameTimeline(ctx context.Context, hs *sqlitestore.Store, ls *store.Store, id string) string {
	he, err := hs.StreamEvents(ctx, id)
	if err != nil {
		return err.Error()
	}
	le, err := ls.Timeline(ctx, id)
	if err != nil {
		return err.Error()
	}
	ids := func(evs []domain.Event) []string {
		out := make([]string, len(evs))
		for i, e := range evs {
			out[i] = e.ID
		}
		slices.Sort(out)
		return out
	}
	if a, b := ids(le), ids(he); !slices.Equal(a, b) {
		return fmt.Sprintf("case %s timeline %v, hub %v", id, a, b)
	}
	return ""
}

// randomPlan draws one connection's fault schedule.
func randomPlan(rng *rand.Rand) faultnet.Plan {
	p := faultnet.Plan{Seed: rng.Uint64(), MaxDelay: time.Duration(1+rng.IntN(15)) * time.Millisecond}
	pick := func(max float64) float64 {
		if rng.IntN(2) == 0 {
			return 0
		}
		return rng.Float64() * max
	}
	p.Drop, p.Duplicate = pick(0.08), pick(0.15)
	p.Delay, p.Reorder = pick(0.3), pick(0.1)
	if rng.IntN(5) > 0 {
		p.CutAt = int64(100 + rng.IntN(5000))
	}
	return p
}

// TestConvergenceUnderFaults runs stations against the real hub and station stores over links
// that drop, duplicate, delay, reorder and cut frames, with partitions, for at least 500
// fault schedules (one per connection), then heals the network and checks that every station
// holds its scope exactly and the hub holds every fact exactly once.
func TestConvergenceUnderFaults(t *testing.T) {
	const trials, schedulesPerTrial = 10, 50
	seed := uint64(20240501)
	var total atomic.Int64
	// Trials mostly wait on timeouts, so they run side by side (as many as -parallel allows:
	// more would starve each other of CPU under -race and turn every timeout into a failure).
	t.Run("trials", func(t *testing.T) {
		for i := 0; i < trials; i++ {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				tr := setupFaultTrial(t, seed+uint64(i))
				tr.start()
				err := tr.run(schedulesPerTrial)
				for _, st := range tr.stations {
					st.stop(t)
				}
				if err != nil {
					t.Fatal(err)
				}
				total.Add(int64(tr.schedules))
			})
		}
	})
	if n := total.Load(); n < trials*schedulesPerTrial {
		t.Fatalf("only %d fault schedules ran", n)
	}
	t.Logf("%d fault schedules over %d trials", total.Load(), trials)
}

type faultTrial struct {
	seed      uint64
	hs        *sqlitestore.Store
	hub       *hubUnderTest
	net       *faultnet.Network
	healed    *atomic.Bool
	stations  []*station
	schedules int
}

func setupFaultTrial(t *testing.T, seed uint64) *faultTrial {
	t.Helper()
	healed := new(atomic.Bool)
	nw := faultnet.New(func(conn int) faultnet.Plan {
		if healed.Load() {
			return faultnet.Plan{}
		}
		// Each connection's schedule depends only on the seed and its index.
		return randomPlan(rand.New(rand.NewPCG(seed, uint64(conn)+100)))
	})
	dir := t.TempDir()
	hs := realHub(t, dir, "HX01", "HX02")
	h := startHub(t, hs, nw, wsserver.Config{PingInterval: 200 * time.Millisecond, PongWait: time.Second})
	tr := &faultTrial{seed: seed, hs: hs, hub: h, net: nw, healed: healed,
		stations: []*station{realStation(t, hs, dir, "HX01"), realStation(t, hs, dir, "HX01"), realStation(t, hs, dir, "HX02")}}
	return tr
}

func (tr *faultTrial) start() {
	for _, st := range tr.stations {
		cfg := fastClient(st.id, tr.hub.url, tr.net)
		cfg.RequestTimeout, cfg.Heartbeat, cfg.ReadTimeout = 150*time.Millisecond, 60*time.Millisecond, time.Second
		st.start(cfg)
	}
}

// run writes facts and injects partitions, cuts and hub-side changes until the network has
// used the given number of fault schedules, then heals it and waits for convergence.
func (tr *faultTrial) run(schedules int) error {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(tr.seed, 7))
	n := 0
	deadline := time.Now().Add(40 * time.Second)
	for tr.net.Dials() < schedules && time.Now().Before(deadline) {
		if err := submit(tr.stations[rng.IntN(len(tr.stations))], n); err != nil {
			return err
		}
		n++
		switch rng.IntN(20) {
		case 0:
			tr.net.Partition(true)
			time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond) // a partition lasts a while
			tr.net.Partition(false)
		case 1:
			tr.net.CutAll()
		case 2:
			// Staff act at the hub while stations are offline or online.
			if _, err := tr.hs.UpsertStation(ctx, domain.Station{Code: "HX02", Name: fmt.Sprintf("测试站%d", n)}, staff); err != nil {
				return err
			}
			last, err := tr.hs.LastSeq(ctx)
			if err != nil {
				return err
			}
			tr.hub.srv.Notify(last)
		}
		time.Sleep(time.Duration(10+rng.IntN(20)) * time.Millisecond) // pace the writers
	}
	tr.schedules = tr.net.Dials()
	tr.healed.Store(true)
	tr.net.Partition(false)
	tr.net.CutAll()
	wait := time.Now().Add(30 * time.Second)
	for {
		ok, why := converged(ctx, tr.hs, tr.stations)
		if ok {
			return nil
		}
		if time.Now().After(wait) {
			return fmt.Errorf("seed %d: no convergence after healing: %s", tr.seed, why)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustLastSeq(t testing.TB, hs *sqlitestore.Store) int64 {
	t.Helper()
	n, err := hs.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
