package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/hubtest"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

// BenchmarkRecordRankingYear: the ranking of a year (GET /api/v1/record/ranking?period=2027,
// through the HTTP handler: the log query, scoring and JSON) over the demo street with a year
// of the representatives' acts added: 3,000 cases claimed and replied to, 6,000 duty
// sign-ins, 3,000 reception records and 2,000 activity check-ins — 20,000 events of the
// demo street's representatives.
func BenchmarkRecordRankingYear(b *testing.B) {
	ctx := context.Background()
	dir := hubtest.CopyOf(b, seededDir, sqlitestore.DBFile)
	start := time.Date(2027, 1, 1, 1, 0, 0, 0, time.UTC)
	clk := clocktest.New(start)
	st, err := sqlitestore.Open(ctx, dir, sqlitestore.Options{Now: clk.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	raw, err := st.RefData(ctx, domain.KindRepresentativeUpserted, "")
	if err != nil {
		b.Fatal(err)
	}
	var reps []string
	for _, r := range raw {
		var rep domain.Representative
		if json.Unmarshal(r, &rep) == nil {
			reps = append(reps, rep.ID)
		}
	}
	acts, err := st.RefData(ctx, domain.KindActivityUpserted, seed.StationCode)
	if err != nil || len(acts) == 0 || len(reps) == 0 {
		b.Fatalf("demo street: %d representatives, %d activities, %v", len(reps), len(acts), err)
	}
	var activity domain.Activity
	if err := json.Unmarshal(acts[0], &activity); err != nil {
		b.Fatal(err)
	}
	k := &storetest.Facts{Dev: storetest.Pair(b, st, seed.StationCode, store.RoleKiosk, ""), Now: clk.Now}
	var batch []domain.Event
	flush := func() {
		if _, err := st.ApplyFacts(ctx, k.Dev.ID, batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	step := 365 * 24 * time.Hour / 20000
	for i := range 20000 {
		clk.Set(start.Add(time.Duration(i) * step))
		rep := reps[i%len(reps)]
		actor := domain.Actor{Role: domain.RoleRepresentative, ID: rep, Name: "代表"}
		switch {
		case i < 9000:
			label := fmt.Sprintf("bench-%d", i/3)
			switch i % 3 {
			case 0:
				batch = append(batch, k.SubmissionOf(b, label, domain.CaseSubmitted{Number: label, Category: "env",
					Text: "楼道灯不亮，晚上看不清楚", Community: "幸福里社区"}))
			case 1:
				batch = append(batch, k.Claim(b, label, rep, "代表"))
			default:
				batch = append(batch, k.Fact(b, label, domain.KindCaseProgress, domain.Actor{Role: domain.RoleRepresentative,
					ID: reps[(i-1)%len(reps)]}, domain.CaseNote{Note: "已收到", ToResident: true}))
			}
		case i < 15000:
			batch = append(batch, k.Fact(b, "duty:"+seed.StationCode+":"+rep, domain.KindDutySignedIn, actor,
				domain.DutySign{RepID: rep, Nonce: fmt.Sprintf("%x", i)}))
		case i < 18000:
			batch = append(batch, k.Fact(b, domain.NewEventID(), domain.KindReceptionLogged, actor,
				domain.Reception{RepID: rep, Topic: "停车难"}))
		default:
			batch = append(batch, k.Fact(b, "activity:"+activity.ID, domain.KindActivityCheckedIn, actor,
				domain.ActivityCheckIn{ActivityID: activity.ID, PersonID: rep, Via: domain.ViaKioskBadge, Nonce: fmt.Sprintf("%x", i)}))
		}
		if len(batch) == 500 {
			flush()
		}
	}
	flush()
	con := console.New(console.Config{Now: clk.Now}, st, nil)
	if _, err := con.Accounts().Add(ctx, console.NewUser{Login: "admin", Name: "管理员", Role: "admin", Password: password}); err != nil {
		b.Fatal(err)
	}
	token, err := con.Accounts().CreateToken(ctx, "admin")
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	con.Mount(mux)
	var points int
	for b.Loop() {
		r := httptest.NewRequest("GET", "/api/v1/record/ranking?period=2027", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		var rk console.RecordRanking
		if err := json.Unmarshal(w.Body.Bytes(), &rk); err != nil {
			b.Fatal(err)
		}
		points = rk.Rows[0].Points
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/ranking")
	b.ReportMetric(float64(len(reps)), "reps")
	b.ReportMetric(float64(points), "top_points")
}
