package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// BenchmarkPutRefs records a roll of 5,000 representatives of one station in one batch, each
// naming a community the station serves, into a hub with 50 community items: the write an
// import of a district's roll makes.
func BenchmarkPutRefs(b *testing.B) {
	ctx := context.Background()
	actor := domain.Actor{Role: domain.RoleStaff, Name: "测试"}
	for b.Loop() {
		b.StopTimer()
		s, _ := newStore(b)
		var setup []store.RefWrite
		add := func(kind domain.Kind, key string, v any) []store.RefWrite {
			data, err := json.Marshal(v)
			if err != nil {
				b.Fatal(err)
			}
			return append(setup, store.RefWrite{Kind: kind, Key: key, Data: data})
		}
		setup = add(domain.KindStationUpserted, "HX01", domain.Station{Code: "HX01", Name: "测试站"})
		for i := range 50 {
			code := fmt.Sprintf("C%02d", i)
			setup = add(domain.KindCommunityUpserted, code, domain.Community{Code: code, Name: code + "社区", Station: "HX01"})
		}
		if _, err := s.PutRefs(ctx, setup, actor); err != nil {
			b.Fatal(err)
		}
		setup = nil
		for i := range 5000 {
			id := fmt.Sprintf("HX01-R%04d", i)
			setup = add(domain.KindRepresentativeUpserted, id, domain.Representative{ID: id, Name: "代表" + id,
				Level: "区", Stations: []string{"HX01"}, Communities: []string{fmt.Sprintf("C%02d社区", i%50)}})
		}
		b.StartTimer()
		res, err := s.PutRefs(ctx, setup, actor)
		if err != nil || len(res.Events) != 5000 {
			b.Fatal(len(res.Events), err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
