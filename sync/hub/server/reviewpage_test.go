package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

func TestRankingPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	resp, body := f.do(t, http.MethodGet, RankingPath, "", nil)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "暂无公布的评议结果") {
		t.Fatalf("no ranking yet: %d %s", resp.StatusCode, body)
	}
	avg := 2.5
	put := func(rk domain.DeptRanking) {
		t.Helper()
		data, _ := json.Marshal(rk)
		if _, err := f.store.PutRefs(context.Background(), []store.RefWrite{{Kind: domain.KindDeptRankingUpserted,
			Key: rk.ID, Data: data}}, domain.Actor{Role: domain.RoleStaff, Name: "测试"}); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)
	put(domain.DeptRanking{ID: "PY-1", Title: "2026年10月承办单位工作评议", Period: "2026年10月", From: "2026-10-01",
		To: "2026-10-31", Held: "2026-11-05", Published: at.AddDate(0, -1, 0), Rows: []domain.RankingRow{}})
	put(domain.DeptRanking{ID: "PY-2", Title: "2026年11月承办单位工作评议", Period: "2026年11月", From: "2026-11-01",
		To: "2026-11-30", Held: "2026-12-04", Published: at, Rows: []domain.RankingRow{
			{Rank: 1, DeptCode: "JD-CG", DeptName: "街道城管科", Score: 91.25, Grade: "满意", Received: 8,
				AcceptedOnTime: 8, HandledOnTime: 7, Rated: 4, AvgRating: &avg},
			{Rank: 2, DeptCode: "Q-ZJ", DeptName: "区住建局", Score: 60, Received: 3, HandledOnTime: 1},
		}})
	resp, body = f.do(t, http.MethodGet, RankingPath, "", nil)
	page := string(body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("latest: %d %s", resp.StatusCode, page)
	}
	for _, want := range []string{"2026年11月承办单位工作评议", "街道城管科", "91.2", "满意", "87.5%", "100.0%", "2.5",
		"区住建局", "33.3%", `href="/pingyi/PY-1"`} {
		if !strings.Contains(page, want) {
			t.Errorf("latest ranking lacks %q", want)
		}
	}
	if strings.Index(page, "街道城管科") > strings.Index(page, "区住建局") {
		t.Error("ranking out of order")
	}
	resp, body = f.do(t, http.MethodGet, RankingPath+"/PY-1", "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "评议期间内没有交办事项") ||
		!strings.Contains(string(body), `href="/pingyi/PY-2"`) {
		t.Errorf("earlier ranking: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do(t, http.MethodGet, RankingPath+"/PY-9", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown ranking: %d", resp.StatusCode)
	}
}
