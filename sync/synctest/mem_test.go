package synctest

import (
	"fmt"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/faultnet"
	"liaison/sync/hub/wsserver"
)

func remoteIDs(evs []domain.Event) string {
	s := ""
	for _, e := range evs {
		s += fmt.Sprintf("%d:%s ", e.HubSeq, e.ID)
	}
	return s
}

// Over a perfect link with in-memory stores: upload, download, push between two stations of
// one station code and isolation from another station.
func TestMemRoundTrip(t *testing.T) {
	t.Parallel()
	hub := NewMemHub("epoch-1")
	nw := faultnet.New(nil)
	h := startHub(t, hub, nw, wsserver.Config{})
	var sts []*station
	for i, code := range []string{"HX01", "HX01", "HX02"} {
		pub, key := newKey(t)
		id := fmt.Sprintf("dev-%d", i)
		hub.Enroll(id, code, pub)
		st := &station{id: id, code: code, key: key, pub: pub, store: NewMemStation(id)}
		sts = append(sts, st)
	}
	for i := 0; i < 30; i++ {
		sts[i%3].store.(*MemStation).Record(fact(sts[i%3].id, sts[i%3].code, i))
	}
	hub.AppendHub(domain.Event{ID: "ref-1", Kind: domain.KindCategoryUpserted, Data: []byte(`{}`)})
	for _, st := range sts {
		st.start(fastClient(st.id, h.url, nw))
		defer st.stop(t)
	}
	eventually(t, 10*time.Second, "convergence", func() bool {
		if len(hub.Log()) != 31 {
			return false
		}
		for _, st := range sts {
			if remoteIDs(st.store.(*MemStation).Remote()) != scopeIDs(hub.Log(), st.code) {
				return false
			}
		}
		return true
	})
	// A live push: one more fact at station 0 reaches station 1 (same code) without a pull
	// being needed from the test.
	sts[0].store.(*MemStation).Record(fact(sts[0].id, "HX01", 100))
	sts[0].client.Kick()
	eventually(t, 5*time.Second, "push", func() bool {
		return remoteIDs(sts[1].store.(*MemStation).Remote()) == scopeIDs(hub.Log(), "HX01") && len(hub.Log()) == 32
	})
	for _, st := range sts {
		if tw := st.store.(*MemStation).AppliedTwice(); len(tw) > 0 {
			t.Errorf("%s applied twice: %v", st.id, tw)
		}
		// The hub may push the fact to station 1 before station 0 has read its ack.
		eventually(t, 5*time.Second, st.id+" outbox empty", func() bool { return st.client.Status().Outbox == 0 })
		if s := st.client.Status(); s.Epoch != "epoch-1" {
			t.Errorf("%s status %+v", st.id, s)
		}
	}
}
