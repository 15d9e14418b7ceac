package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
)

// Reference data edited on the hub reaches the kiosk's pickers as soon as its events are
// applied: a retired category or representative leaves them, a restored one comes back.
func TestRetiredItemsLeaveTheKioskPickers(t *testing.T) {
	t.Parallel()
	ts := newTestStation(t)
	ctx := context.Background()
	rep := func(id, name string, retired bool) domain.Representative {
		return domain.Representative{ID: id, Name: name, Level: "区", Stations: []string{"HX01"}, Retired: retired}
	}
	withPhoto := func(r domain.Representative) domain.Representative {
		r.Photo = "/media/reps/" + r.ID + ".jpg?v=ab12"
		return r
	}
	refs := []domain.Event{
		refEvent(t, 3, domain.KindCategoryUpserted, "category:old", domain.Category{Code: "old", Name: "旧分类", Retired: true}),
		refEvent(t, 4, domain.KindRepresentativeUpserted, "rep:HX01-R01", withPhoto(rep("HX01-R01", "张三", false))),
		refEvent(t, 5, domain.KindRepresentativeUpserted, "rep:HX01-R02", rep("HX01-R02", "李四", true)),
	}
	if err := ts.store.ApplyRemote(ctx, "epoch-test", refs, 5); err != nil {
		t.Fatal(err)
	}
	cats, err := ts.Kiosk.Categories()
	if err != nil || len(cats) != 1 || cats[0].Code != "env" {
		t.Fatalf("categories: %+v, %v", cats, err)
	}
	names := func() []string {
		t.Helper()
		cards, err := ts.Kiosk.Representatives()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cards {
			out = append(out, c.Name)
		}
		return out
	}
	if got := names(); !slices.Equal(got, []string{"张三"}) {
		t.Fatalf("representatives (扫码找代表): %v", got)
	}
	cards, _ := ts.Kiosk.Representatives()
	if want := ts.Kiosk.hubBase() + "/media/reps/HX01-R01.jpg?v=ab12"; cards[0].PhotoURL != want {
		t.Errorf("photo %q, want the hub's %q", cards[0].PhotoURL, want)
	}
	restored := refEvent(t, 6, domain.KindRepresentativeUpserted, "rep:HX01-R02", rep("HX01-R02", "李四", false))
	if err := ts.store.ApplyRemote(ctx, "epoch-test", []domain.Event{restored}, 6); err != nil {
		t.Fatal(err)
	}
	if got := names(); len(got) != 2 || !slices.Contains(got, "李四") {
		t.Fatalf("after the restore: %v", got)
	}
	// the case list still names a retired category
	if n := ts.Kiosk.categoryNames(ctx)["old"]; n != "旧分类" {
		t.Errorf("a retired category lost its name: %q", n)
	}
}

// A retired representative's badge still verifies but opens nothing and signs nobody in.
func TestRetiredRepresentativesBadgeIsRefused(t *testing.T) {
	t.Parallel()
	b := newBadgeStation(t)
	ctx := context.Background()
	good := b.badge(t, "B0001", time.Now().AddDate(1, 0, 0), b.hubSign)
	retired := refEvent(t, 5, domain.KindRepresentativeUpserted, "rep:HX01-R01",
		domain.Representative{ID: "HX01-R01", Name: "张三", Level: "区人大代表", Retired: true})
	if err := b.store.ApplyRemote(ctx, "epoch-test", []domain.Event{retired}, 5); err != nil {
		t.Fatal(err)
	}
	if r := b.Rep.ScanText(good); r.OK || r.Code != domain.CodeBadgeRepRetired {
		t.Fatalf("scan of a retired representative's badge: %+v", r)
	}
	if b.Rep.Workbench() != nil {
		t.Fatal("the badge opened the workbench")
	}
	if ids, _ := b.store.SignedIn(ctx, b.today()); len(ids) != 0 {
		t.Fatalf("the badge signed in %v", ids)
	}
	restored := refEvent(t, 6, domain.KindRepresentativeUpserted, "rep:HX01-R01",
		domain.Representative{ID: "HX01-R01", Name: "张三", Level: "区人大代表"})
	if err := b.store.ApplyRemote(ctx, "epoch-test", []domain.Event{restored}, 6); err != nil {
		t.Fatal(err)
	}
	if r := b.Rep.ScanText(good); !r.OK || !r.SignedIn {
		t.Fatalf("scan after the restore: %+v", r)
	}
}

func wordListEvent(t *testing.T, seq int64, name string, words ...string) domain.Event {
	t.Helper()
	return refEvent(t, seq, domain.KindWordListUpserted, "words:"+name, domain.WordList{Name: name, Words: words})
}

// The hub's sensitive-word list masks the wall's texts along with the station's own file.
func TestHubSensitiveWordsMaskTheWall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := boardNow
	st := newWallStation(t, t.TempDir(), &now)
	sub := domain.CaseSubmitted{Number: "N1", Token: "t", Category: "env", Text: "三期公寓门口占道经营，出行不便",
		Community: "朝阳社区", Anonymous: true}
	data, _ := json.Marshal(sub)
	evs := []domain.Event{{ID: domain.NewEventID(), Device: domain.HubDevice, DevSeq: 1, HubSeq: 1, Station: "HX01",
		Stream: "case-N1", Kind: domain.KindCaseSubmitted, At: now.Add(-time.Hour).UTC(),
		Actor: domain.Actor{Role: domain.RoleAnonymous}, Data: data}}
	if err := st.store.ApplyRemote(ctx, "epoch-test", evs, 1); err != nil {
		t.Fatal(err)
	}
	board := func() string {
		t.Helper()
		b, err := st.Wall.Board()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(b)
		return string(raw)
	}
	if !strings.Contains(board(), "占道经营") {
		t.Fatalf("the ticker does not show the case: %s", board())
	}
	if err := st.store.ApplyRemote(ctx, "epoch-test", []domain.Event{wordListEvent(t, 2, domain.WordsSensitive, "占道经营")}, 2); err != nil {
		t.Fatal(err)
	}
	got := board()
	if strings.Contains(got, "占道经营") || !strings.Contains(got, "****") {
		t.Errorf("the hub's sensitive word is shown: %s", got)
	}
	// the station's own list still applies
	if !slices.Contains(st.Wall.screenWords(ctx), "王八蛋") {
		t.Errorf("the station's own words are gone: %v", st.Wall.screenWords(ctx))
	}
}

// The hub's hot-word stop list keeps its words off the wall, and the board still fills up
// with the next words.
func TestHotStopListFromTheHub(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, tok := openHotWordsStore(t)
	defer st.Close()
	var evs []domain.Event
	texts := []string{"小区路灯不亮", "小区路灯坏了", "小区门口拥堵", "门口拥堵严重"}
	for i, text := range texts {
		data, _ := json.Marshal(domain.CaseSubmitted{Number: "N" + string(rune('1'+i)), Token: "t", Category: "env",
			Text: text, Community: "朝阳社区", Anonymous: true})
		evs = append(evs, domain.Event{ID: domain.NewEventID(), Device: domain.HubDevice, DevSeq: int64(i + 1),
			HubSeq: int64(i + 1), Station: "HX01", Stream: "case-" + string(rune('1'+i)), Kind: domain.KindCaseSubmitted,
			At: boardNow.Add(-time.Hour).UTC(), Actor: domain.Actor{Role: domain.RoleAnonymous}, Data: data})
	}
	if err := st.ResetRemote(ctx, "e"); err != nil {
		t.Fatal(err)
	}
	if err := st.ApplyRemote(ctx, "e", evs, int64(len(evs))); err != nil {
		t.Fatal(err)
	}
	words := func() []string {
		t.Helper()
		h := &hotWords{tok: tok}
		got, err := h.compute(ctx, hotWordsSource{store: st, station: "HX01"}, boardNow)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range got {
			out = append(out, w.Word)
		}
		slices.Sort(out)
		return out
	}
	if got := words(); !slices.Equal(got, []string{"小区", "拥堵", "路灯", "门口"}) {
		t.Fatalf("hot words: %v", got)
	}
	stop := wordListEvent(t, int64(len(evs)+1), domain.WordsHotStop, "小区", "门口")
	if err := st.ApplyRemote(ctx, "e", []domain.Event{stop}, stop.HubSeq); err != nil {
		t.Fatal(err)
	}
	if got := words(); !slices.Equal(got, []string{"拥堵", "路灯"}) {
		t.Errorf("hot words with the stop list: %v", got)
	}
	// the wall also drops them from the list it already has, before the next refresh
	shown := dropWords([]WordWeight{{Word: "小区", Weight: 3}, {Word: "路灯", Weight: 2}}, wordSet([]string{"小区"}))
	if len(shown) != 1 || shown[0].Word != "路灯" {
		t.Errorf("dropWords: %v", shown)
	}
}

// Categories may be defined at a level of the organisation: the kiosk offers those of the
// whole hub and of its own street and the levels above, never another street's, and refuses
// a case filed under one.
func TestKioskOffersTheCategoriesOfItsLevels(t *testing.T) {
	t.Parallel()
	ts := newTestStation(t)
	ctx := context.Background()
	node := func(code, name, level, parent string) domain.OrgNode {
		return domain.OrgNode{Code: code, Name: name, Level: level, Parent: parent}
	}
	cat := func(code, name, node string) domain.Category {
		return domain.Category{Code: code, Name: name, Node: node}
	}
	refs := []domain.Event{
		refEvent(t, 3, domain.KindOrgNodeUpserted, "org:SFQ", node("SFQ", "示范区", domain.LevelDistrict, "")),
		refEvent(t, 4, domain.KindOrgNodeUpserted, "org:HX", node("HX", "和谐街道", domain.LevelStreet, "SFQ")),
		refEvent(t, 5, domain.KindOrgNodeUpserted, "org:HP", node("HP", "和平街道", domain.LevelStreet, "SFQ")),
		refEvent(t, 6, domain.KindStationUpserted, "HX01", domain.Station{Code: "HX01", Name: "测试联络站", Node: "HX",
			Communities: []string{"朝阳社区"}}),
		refEvent(t, 7, domain.KindCategoryUpserted, "category:q-road", cat("q-road", "区管道路", "SFQ")),
		refEvent(t, 8, domain.KindCategoryUpserted, "category:hx-old", cat("hx-old", "老旧小区", "HX")),
		refEvent(t, 9, domain.KindCategoryUpserted, "category:hp-port", cat("hp-port", "码头管理", "HP")),
	}
	if err := ts.store.ApplyRemote(ctx, "epoch-test", refs, 9); err != nil {
		t.Fatal(err)
	}
	offered := func() []string {
		t.Helper()
		cats, err := ts.Kiosk.Categories()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cats {
			out = append(out, c.Code)
		}
		slices.Sort(out)
		return out
	}
	if got := offered(); !slices.Equal(got, []string{"env", "hx-old", "q-road"}) {
		t.Fatalf("categories of 和谐街道's kiosk: %v", got)
	}
	if !ts.Kiosk.knownCategory(ctx, "q-road") || ts.Kiosk.knownCategory(ctx, "hp-port") {
		t.Error("a case may take the district's category and not 和平街道's")
	}
	// the station moves to 和平街道: its categories follow
	moved := refEvent(t, 10, domain.KindStationUpserted, "HX01", domain.Station{Code: "HX01", Name: "测试联络站", Node: "HP"})
	if err := ts.store.ApplyRemote(ctx, "epoch-test", []domain.Event{moved}, 10); err != nil {
		t.Fatal(err)
	}
	if got := offered(); !slices.Equal(got, []string{"env", "hp-port", "q-road"}) {
		t.Fatalf("after the move to 和平街道: %v", got)
	}
	// the station's list still names every category
	if n := ts.Kiosk.categoryNames(ctx)["hx-old"]; n != "老旧小区" {
		t.Errorf("another level's category lost its name: %q", n)
	}
}
