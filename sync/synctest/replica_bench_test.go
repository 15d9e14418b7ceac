package synctest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/server"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/wsserver"
	"liaison/sync/pgdb/pgtest"
)

// replicaPair is two hub replicas in this process on one PostgreSQL database: each its own
// store (own connection pool, own LISTEN connection) and its own sync endpoint, wired as
// `liaison-hub serve` wires them (Watch, then Forward to the endpoint).
type replicaPair struct {
	hs  [2]*sqlitestore.Store
	srv [2]*wsserver.Server
	url [2]string
}

func newReplicaPair(b *testing.B, stations ...string) *replicaPair {
	b.Helper()
	dsn := pgtest.NewDB(b)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	b.Cleanup(func() { cancel(); wg.Wait() })
	p := &replicaPair{}
	for i := range p.hs {
		hs, err := sqlitestore.OpenPostgres(ctx, dsn, sqlitestore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { hs.Close() })
		srv := wsserver.New(hs, wsserver.Config{}, nil)
		ts := httptest.NewServer(srv)
		b.Cleanup(func() { srv.Close(); ts.Close() })
		wg.Go(func() { hs.Watch(ctx, time.Second) })
		wg.Go(func() { server.Forward(ctx, hs, srv, nil, nil) })
		p.hs[i], p.srv[i], p.url[i] = hs, srv, "ws"+strings.TrimPrefix(ts.URL, "http")+"/sync"
	}
	for _, code := range stations {
		if _, err := p.hs[0].UpsertStation(ctx, domain.Station{Code: code, Name: "测试站" + code}, staff); err != nil {
			b.Fatal(err)
		}
	}
	return p
}

// BenchmarkIngest500StationsTwoReplicas: 500 stations upload at once, half to each of two
// replicas on one PostgreSQL database (all writes queue on its one write lock); one op is one
// fact applied exactly once. Compare BenchmarkHubIngest100Stations.
func BenchmarkIngest500StationsTwoReplicas(b *testing.B) {
	const stations = 500
	p := newReplicaPair(b, "HX01")
	devs := enroll(b, p.hs[0], "HX01", stations)
	per := max(b.N/stations, 1)
	work := make([][]domain.Event, stations)
	for i, d := range devs {
		if _, err := d.connect(p.url[i%2]); err != nil {
			b.Fatal(err)
		}
		defer d.ws.Close()
		work[i] = d.facts(1, per)
	}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, stations)
	for i, d := range devs {
		wg.Go(func() {
			if err := d.upload(work[i]); err != nil {
				errs <- fmt.Errorf("device %d: %w", i, err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(per*stations)/elapsed.Seconds(), "facts/s")
}

// BenchmarkPushLatencyAcrossReplicas: from a hub append's commit on replica A returning to a station
// connected to replica B having applied it; the notification crosses PostgreSQL (NOTIFY, B's
// LISTEN, its endpoint's push). Compare BenchmarkPushLatency (one hub).
func BenchmarkPushLatencyAcrossReplicas(b *testing.B) {
	p := newReplicaPair(b, "HX01")
	pushLatency(b, p.hs[1], p.url[1], p.hs[0], nil)
}

// BenchmarkCatchUp50kAcrossReplicas: the history of BenchmarkCatchUp50k is recorded through
// replica A; a new station, paired and connected through replica B, downloads its 50,000
// events from there. Compare BenchmarkCatchUp50k (one hub, either engine).
func BenchmarkCatchUp50kAcrossReplicas(b *testing.B) {
	p := newReplicaPair(b, "HX01", "HX02")
	at := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
	if _, err := p.hs[0].Import(context.Background(), "bench", hubHistory("HX01", catchUpEvents-2, at)); err != nil {
		b.Fatal(err)
	}
	catchUp(b, p.hs[1], p.url[1], mustLastSeq(b, p.hs[0]))
}
