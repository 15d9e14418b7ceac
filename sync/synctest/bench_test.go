package synctest

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"liaison/app/store"
	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	hubstore "liaison/sync/hub/store"
	"liaison/sync/hub/wsserver"
	"liaison/sync/protocol"
)

// benchHub is the real hub store and endpoint on a local TCP port.
type benchHub struct {
	hs  *sqlitestore.Store
	srv *wsserver.Server
	url string
}

func newBenchHub(b *testing.B, stations ...string) *benchHub {
	b.Helper()
	hs := realHub(b, b.TempDir(), stations...)
	srv := wsserver.New(hs, wsserver.Config{}, nil)
	ts := httptest.NewServer(srv)
	b.Cleanup(func() { srv.Close(); ts.Close() })
	return &benchHub{hs: hs, srv: srv, url: "ws" + strings.TrimPrefix(ts.URL, "http") + "/sync"}
}

// leanDevice is an enrolled device driven by raw protocol frames, so the benchmark measures
// the hub rather than a client's store.
type leanDevice struct {
	id, station, code string
	key               ed25519.PrivateKey
	ws                *websocket.Conn
}

func enroll(b *testing.B, hs *sqlitestore.Store, station string, n int) []*leanDevice {
	b.Helper()
	ctx := context.Background()
	out := make([]*leanDevice, n)
	for i := range out {
		pub, key := newKey(b)
		pc, err := hs.CreatePairingCode(ctx, station, hubstore.RoleKiosk, "测试终端")
		if err != nil {
			b.Fatal(err)
		}
		dev, err := hs.Pair(ctx, pc.Code, pub, "")
		if err != nil {
			b.Fatal(err)
		}
		out[i] = &leanDevice{id: dev.ID, station: station, code: dev.Code, key: key}
	}
	return out
}

var leanDialer = &websocket.Dialer{ReadBufferSize: 1024, WriteBufferSize: 1024,
	WriteBufferPool: &sync.Pool{}, Subprotocols: []string{protocol.Subprotocol}}

func (d *leanDevice) connect(url string) (*protocol.Welcome, error) {
	ws, _, err := leanDialer.Dial(url, nil)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	d.ws = ws
	m, err := d.read()
	if err != nil {
		return nil, err
	}
	ch, ok := m.(*protocol.Challenge)
	if !ok {
		return nil, fmt.Errorf("got %s, want challenge", m.Type())
	}
	if err := d.write(protocol.SignHello(d.key, ch.Nonce, d.id, "bench")); err != nil {
		return nil, err
	}
	m, err = d.read()
	if err != nil {
		return nil, err
	}
	w, ok := m.(*protocol.Welcome)
	if !ok {
		return nil, fmt.Errorf("got %s, want welcome", m.Type())
	}
	return w, nil
}

func (d *leanDevice) read() (protocol.Message, error) {
	_, b, err := d.ws.ReadMessage()
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return protocol.Decode(b)
}

func (d *leanDevice) write(m protocol.Message) error {
	b, err := protocol.Encode(m)
	if err != nil {
		return err
	}
	return d.ws.WriteMessage(websocket.TextMessage, b)
}

// facts makes n case submissions of the device, DevSeq from first.
func (d *leanDevice) facts(first int64, n int) []domain.Event {
	evs := make([]domain.Event, n)
	for i := range evs {
		seq := first + int64(i)
		at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
		data, _ := json.Marshal(domain.CaseSubmitted{Number: domain.CaseNumber(d.station, d.code, at, int(seq)), Token: domain.NewToken(),
			Category: "road", Text: "测试诉求", Community: "测试社区", ResidentID: testResident, SurnameMask: "张*"})
		evs[i] = domain.Event{ID: domain.NewEventID(), Device: d.id, DevSeq: seq, Station: d.station,
			Stream: domain.NewEventID(), Kind: domain.KindCaseSubmitted,
			At: at, Actor: domain.Actor{Role: domain.RoleResident, ID: testResident, Name: "张*"}, Data: data}
	}
	return evs
}

// upload sends facts in batches of at most protocol.MaxBatchFacts, one in flight, and waits
// for each ack.
func (d *leanDevice) upload(facts []domain.Event) error {
	for batch := int64(1); len(facts) > 0; batch++ {
		n := min(len(facts), protocol.MaxBatchFacts)
		if err := d.write(&protocol.Upload{Batch: batch, Facts: facts[:n]}); err != nil {
			return err
		}
		for {
			m, err := d.read()
			if err != nil {
				return err
			}
			if a, ok := m.(*protocol.Ack); ok && a.Batch == batch {
				if a.Applied != n {
					return fmt.Errorf("batch %d: %d of %d applied", batch, a.Applied, n)
				}
				break
			}
			if e, ok := m.(*protocol.Error); ok {
				return fmt.Errorf("batch %d refused: %s %s", batch, e.Code, e.Message)
			}
		}
		facts = facts[n:]
	}
	return nil
}

// BenchmarkHubIngest100Stations: 100 stations upload at once to the real hub store over the
// real endpoint; one op is one fact applied exactly once.
func BenchmarkHubIngest100Stations(b *testing.B) {
	const stations = 100
	h := newBenchHub(b, "HX01")
	devs := enroll(b, h.hs, "HX01", stations)
	per := max(b.N/stations, 1)
	work := make([][]domain.Event, stations)
	for i, d := range devs {
		if _, err := d.connect(h.url); err != nil {
			b.Fatal(err)
		}
		defer d.ws.Close()
		work[i] = d.facts(1, per)
	}
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU()
	var wg sync.WaitGroup
	errs := make(chan error, stations)
	for i, d := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.upload(work[i]); err != nil {
				errs <- fmt.Errorf("device %d: %w", i, err)
			}
		}()
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), processCPU()-cpu0
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(per*stations)/elapsed.Seconds(), "facts/s")
	// processor time per fact, hub and simulated stations together: on a shared machine it
	// varies less than the rate
	b.ReportMetric(float64(cpu.Microseconds())/float64(per*stations), "cpu-µs/fact")
}

// processCPU is the processor time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// catchUpEvents is how many events of station HX01's scope catchUpHub's log holds.
const catchUpEvents = 50_000

// catchUpHub is a hub whose log holds catchUpEvents events of HX01's scope, and its last seq.
func catchUpHub(b *testing.B) (*benchHub, int64) {
	h := newBenchHub(b, "HX01", "HX02")
	at := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	if _, err := h.hs.Import(context.Background(), "bench", hubHistory("HX01", catchUpEvents-2, at)); err != nil {
		b.Fatal(err)
	}
	return h, mustLastSeq(b, h.hs)
}

// BenchmarkCatchUp50k: a new station (real client, real station store) downloads 50,000
// events of its scope from the real hub; one op is one full catch-up.
func BenchmarkCatchUp50k(b *testing.B) {
	h, last := catchUpHub(b)
	catchUp(b, h.hs, h.url, last)
}

// catchUp pairs a new station with hs for each op and measures its client catching up to
// last through the sync endpoint at url.
func catchUp(b *testing.B, hs *sqlitestore.Store, url string, last int64) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		st := realStation(b, hs, dir, "HX01")
		caught := make(chan struct{})
		var once sync.Once
		cfg := client.Config{HubURL: url, DeviceID: st.id, Heartbeat: time.Hour}
		c := client.New(cfg, st.store, st.key, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		b.StartTimer()
		start := time.Now()
		go func() { done <- c.Run(ctx) }()
		go func() {
			for {
				if s := c.Status(); s.Cursor >= last {
					once.Do(func() { close(caught) })
					return
				}
				select {
				case <-c.Changed():
				case <-ctx.Done():
					return
				}
			}
		}()
		select {
		case <-caught:
		case <-time.After(5 * time.Minute):
			b.Fatal("no catch-up")
		}
		total += time.Since(start)
		b.StopTimer()
		cancel()
		<-done
		if n, err := st.store.(*store.Store).StationCases(context.Background(), "HX01"); err != nil || len(n) < catchUpEvents/3 {
			b.Fatalf("station holds %d cases after catch-up (%v)", len(n), err)
		}
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/catchup")
	b.ReportMetric(float64(catchUpEvents)*float64(b.N)/total.Seconds(), "events/s")
}

// BenchmarkIdleConnections2000 holds 2,000 authenticated idle sessions and reports the memory
// they cost. Both ends live in this process, so the figure is an upper bound of the hub's
// share (the lean devices hold a 1 KiB read and pooled write buffer each).
func BenchmarkIdleConnections2000(b *testing.B) {
	const conns = 2000
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < 3*conns+200 {
		lim.Cur = min(lim.Max, 3*conns+200)
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < 3*conns {
			b.Skipf("cannot raise the open-file limit to %d: %v", 3*conns, err)
		}
	}
	h := newBenchHub(b, "HX01")
	devs := enroll(b, h.hs, "HX01", conns)
	for i := 0; i < b.N; i++ {
		before := memInUse()
		for _, d := range devs {
			if _, err := d.connect(h.url); err != nil {
				b.Fatal(err)
			}
		}
		deadline := time.Now().Add(30 * time.Second)
		for h.srv.Connected() < conns {
			if time.Now().After(deadline) {
				b.Fatalf("%d sessions of %d", h.srv.Connected(), conns)
			}
			time.Sleep(10 * time.Millisecond)
		}
		after := memInUse()
		b.ReportMetric(float64(after-before)/conns/1024, "KiB/conn")
		b.ReportMetric(float64(runtime.NumGoroutine())/conns, "goroutines/conn")
		for _, d := range devs {
			d.ws.Close()
		}
		for h.srv.Connected() > 0 && time.Now().Before(deadline.Add(30*time.Second)) {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// memInUse is the heap and goroutine stacks in use after a collection.
func memInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

// BenchmarkPushLatency: the time from a hub append being committed to the station's client
// having applied it (station store committed, OnApplied called), over the real endpoint.
func BenchmarkPushLatency(b *testing.B) {
	h := newBenchHub(b, "HX01")
	pushLatency(b, h.hs, h.url, h.hs, h.srv.Notify)
}

// pushLatency runs a station of HX01 paired with hs over url, then appends b.N station edits
// through writer and reports how long each took, from its commit (and notify, when given:
// the endpoint is told directly) to the station having applied it, at p50 and p99.
func pushLatency(b *testing.B, hs *sqlitestore.Store, url string, writer *sqlitestore.Store, notify func(int64)) {
	b.Helper()
	st := realStation(b, hs, b.TempDir(), "HX01")
	applied := make(chan string, 16)
	cfg := client.Config{HubURL: url, DeviceID: st.id, Heartbeat: time.Hour,
		OnApplied: func(evs []domain.Event) {
			for _, e := range evs {
				applied <- e.ID
			}
		}}
	c := client.New(cfg, st.store, st.key, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for s := c.Status(); s.State != client.StateConnected || s.LastSync.IsZero(); s = c.Status() {
		<-c.Changed()
	}
	drain(applied)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev, err := writer.UpsertStation(ctx, domain.Station{Code: "HX01", Name: fmt.Sprintf("测试站%d", i)}, staff)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if notify != nil {
			notify(ev.HubSeq)
		}
		for id := range applied {
			if id == ev.ID {
				break
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[(len(lat)*99)/100]), "p99-ms")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func drain(ch chan string) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// BenchmarkCatchUp50kWire is BenchmarkCatchUp50k with an in-memory station store: the hub's
// pages, the wire and the client loop alone, to separate their cost from the station store's.
func BenchmarkCatchUp50kWire(b *testing.B) {
	h, last := catchUpHub(b)
	scope, err := h.hs.EventsAfter(context.Background(), "HX01", 0, 1<<30)
	if err != nil {
		b.Fatal(err)
	}
	devs := enroll(b, h.hs, "HX01", b.N)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		ms := NewMemStation(devs[i].id)
		c := client.New(client.Config{HubURL: h.url, DeviceID: devs[i].id, Heartbeat: time.Hour},
			ms, devs[i].key, nil)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- c.Run(ctx) }()
		for s := c.Status(); s.Cursor < last; s = c.Status() {
			<-c.Changed()
		}
		total += time.Since(start)
		cancel()
		<-done
		if n := len(ms.Remote()); n != len(scope) {
			b.Fatalf("station holds %d events, want %d", n, len(scope))
		}
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "s/catchup")
}

// BenchmarkSubmissionToHub follows one case submission from the kiosk into the hub's log, in
// one process and without the network: the kiosk records it in the station store and reads
// the receipt's number, the sync client reads it back and encodes the upload frame, the hub
// decodes the frame and applies the fact, and the client records the acknowledgement. One op
// is one submission; B/op and allocs/op count every encoding and decoding of its payload.
func BenchmarkSubmissionToHub(b *testing.B) {
	hs := realHub(b, b.TempDir(), "HX01")
	st := realStation(b, hs, b.TempDir(), "HX01")
	ls := st.store.(*store.Store)
	ctx := context.Background()
	resident := residentOf(st.id)
	var uploaded int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := kioskSubmit(ctx, ls, resident, i); err != nil {
			b.Fatal(err)
		}
		facts, err := ls.LocalFactsAfter(ctx, uploaded, protocol.MaxBatchFacts)
		if err != nil {
			b.Fatal(err)
		}
		frame, err := protocol.Encode(&protocol.Upload{Batch: int64(i + 1), Facts: facts})
		if err != nil {
			b.Fatal(err)
		}
		m, err := protocol.Decode(frame)
		if err != nil {
			b.Fatal(err)
		}
		res, err := hs.ApplyFacts(ctx, st.id, m.(*protocol.Upload).Facts)
		if err != nil || res.Applied != 1 {
			b.Fatalf("apply: %+v %v", res, err)
		}
		if err := ls.MarkUploaded(ctx, res.LastDevSeq); err != nil {
			b.Fatal(err)
		}
		uploaded = res.LastDevSeq
	}
}

// kioskSubmit records a submission as the kiosk does and returns the number on its receipt.
func kioskSubmit(ctx context.Context, ls *store.Store, resident string, n int) (string, error) {
	p := domain.CaseSubmitted{Token: domain.NewToken(), Category: "road", Text: fmt.Sprintf("测试诉求 %d", n),
		Community: "测试社区", Phone: "13800138000", ResidentID: resident, SurnameMask: "张*"}
	_, saved, err := ls.Submit(ctx, domain.Event{Stream: domain.NewEventID(),
		Actor: domain.Actor{Role: domain.RoleResident, ID: resident, Name: "张*"}, At: time.Now().UTC()}, p)
	return saved.Number, err
}
