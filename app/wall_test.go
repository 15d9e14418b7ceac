package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"liaison/sync/domain"
)

func TestWordFilterMask(t *testing.T) {
	t.Parallel()
	f := wordFilter{words: parseSensitiveWords("# comment\n\n混蛋\n王八蛋\n  狗官 \n混蛋\nFoo\n")}
	cases := []struct {
		name, in, want string
	}{
		{"plain text untouched", "小区路灯坏了", "小区路灯坏了"},
		{"sensitive word masked per character", "这个混蛋占道", "这个**占道"},
		{"longer word masked whole", "王八蛋", "***"},
		{"every occurrence", "狗官狗官", "****"},
		{"latin words ignore case", "FOO bar foo", "*** bar ***"},
		{"mobile number removed", "请回电13800138000谢谢", "请回电"},
		{"ID number removed", "身份证11010519491231002X", "身份证"},
		{"own name after a cue", "我叫张三，楼道堆物", "我叫张*，楼道堆物"},
		{"compound surname after a cue", "姓名：欧阳娜娜", "姓名：欧阳*"},
		{"cue followed by other words errs on hiding", "我叫不出名字", "我叫不*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := f.mask(c.in)
			if strings.Contains(c.name, "removed") {
				if strings.ContainsAny(got, "0123456789") || !strings.HasPrefix(got, c.want) {
					t.Fatalf("mask(%q) = %q, want the number gone", c.in, got)
				}
				return
			}
			if got != c.want {
				t.Fatalf("mask(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestWordFilterTextAndHotWords(t *testing.T) {
	t.Parallel()
	f := wordFilter{words: []string{"混蛋"}}
	if got := f.text("一二三四五六七八九十", 4); got != "一二三四…" {
		t.Fatalf("text cut to %q", got)
	}
	got := f.hotWords([]WordWeight{{"路灯", 3}, {"混蛋", 2}, {"停车", 2}})
	if len(got) != 2 || got[0].Word != "路灯" || got[1].Word != "停车" {
		t.Fatalf("hot words %v", got)
	}
}

func TestParseSensitiveWordsLongestFirst(t *testing.T) {
	t.Parallel()
	got := parseSensitiveWords("蛋\n王八蛋\n混蛋\n")
	if !slices.Equal(got, []string{"王八蛋", "混蛋", "蛋"}) {
		t.Fatalf("order %v", got)
	}
	if got := parseSensitiveWords(defaultSensitiveWords); len(got) < 10 || slices.Contains(got, "") {
		t.Fatalf("default list parsed to %d words", len(got))
	}
}

// TestSensitiveWordsFile: the default list is written on first use, an edited list takes
// effect without a restart, and a technician's file is never overwritten.
func TestSensitiveWordsFile(t *testing.T) {
	t.Parallel()
	now := boardNow
	st := newWallStation(t, t.TempDir(), &now)
	path := filepath.Join(st.cfg.DataDir, SensitiveWordsFile)
	words := st.Wall.sensitiveWords()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("default file not written: %v", err)
	}
	if string(b) != defaultSensitiveWords || !slices.Contains(words, "王八蛋") {
		t.Fatalf("default list: %d words", len(words))
	}
	// a later modification time than the first read, whatever the file system's resolution
	if err := os.WriteFile(path, []byte("路灯\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if got := st.Wall.sensitiveWords(); !slices.Equal(got, []string{"路灯"}) {
		t.Fatalf("edited list not read: %v", got)
	}
	if err := writeDefaultSensitiveWords(path); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "路灯\n" {
		t.Fatalf("technician's list overwritten: %q", b)
	}
}

var (
	idNumber     = regexp.MustCompile(`\d{17}[\dXx]`)
	mobileNumber = regexp.MustCompile(`1[3-9]\d{9}`)
)

// TestBoardShowsNoPersonalData: whatever residents and departments wrote, the board carries
// masked surnames only, and no phone or ID number anywhere; anonymous cases show no surname.
func TestBoardShowsNoPersonalData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := boardNow
	st := newWallStation(t, t.TempDir(), &now)
	var evs []domain.Event
	var seq int64
	for i, sub := range []domain.CaseSubmitted{
		{Number: "N1", Token: "t", Category: "env", Text: "我叫张三丰，电话13912345678，身份证440524188001010014，楼下王八蛋乱停车",
			Community: "朝阳社区", ResidentID: "res-1", SurnameMask: domain.MaskSurname("张三丰"), Phone: "13912345678"},
		{Number: "N2", Token: "t", Category: "env", Text: "联系人：欧阳娜娜，路灯坏了，联系 139-1234-5678",
			Community: "和平社区", ResidentID: "res-2", SurnameMask: domain.MaskSurname("欧阳娜娜")},
		{Number: "N3", Token: "t", Category: "env", Text: "匿名：井盖缺失 11010219840406970X", Community: "新桥社区", Anonymous: true},
	} {
		data, _ := json.Marshal(sub)
		seq++
		actor := domain.Actor{Role: domain.RoleResident, ID: sub.ResidentID}
		if sub.Anonymous {
			actor = domain.Actor{Role: domain.RoleAnonymous}
		}
		evs = append(evs, domain.Event{ID: domain.NewEventID(), Device: domain.HubDevice, DevSeq: seq, HubSeq: seq,
			Station: "HX01", Stream: "case-" + sub.Number, Kind: domain.KindCaseSubmitted,
			At: now.Add(-time.Duration(i+1) * time.Hour).UTC(), Actor: actor, Data: data})
	}
	if err := st.store.ApplyRemote(ctx, "epoch-test", evs, seq); err != nil {
		t.Fatal(err)
	}
	b, err := st.Wall.Board()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(b)
	for _, bad := range []string{"张三丰", "欧阳娜娜", "王八蛋", "13912345678", "1234-5678", "440524188001010014", "11010219840406970X"} {
		if strings.Contains(string(raw), bad) {
			t.Errorf("board shows %q: %s", bad, raw)
		}
	}
	if idNumber.Match(raw) || mobileNumber.Match(raw) {
		t.Errorf("board shows a number: %s", raw)
	}
	masks := map[string]string{}
	for _, it := range b.Ticker {
		masks[it.Community] = it.SurnameMask
	}
	want := map[string]string{"朝阳社区": "张*", "和平社区": "欧阳*", "新桥社区": ""}
	if len(masks) != len(want) {
		t.Fatalf("ticker %+v", b.Ticker)
	}
	for k, v := range want {
		if masks[k] != v {
			t.Errorf("ticker surname for %s = %q, want %q", k, masks[k], v)
		}
	}
}

func TestTokenizerWords(t *testing.T) {
	t.Parallel()
	tok, err := newTokenizerFromDict(testDict + "希望 50 v\n号码 40 n\n隐藏 30 v\n")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, text string
		want       []string
	}{
		{"dictionary words, no fragments across words", "三期公寓楼下停车位不足", []string{"三期", "公寓", "停车位"}},
		{"stop words and single characters dropped", "希望小区门口的路灯", []string{"小区", "门口", "路灯"}},
		{"numbers scrubbed first, without a trace", "路灯13800138000", []string{"路灯"}},
		{"each word once", "路灯路灯", []string{"路灯"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := tok.Words(c.text); !slices.Equal(got, c.want) {
				t.Fatalf("words(%q) = %v, want %v", c.text, got, c.want)
			}
		})
	}
}

// TestTokenizersBuiltConcurrently: two stations in one process (the tests, a hub-side tool)
// may load their segmenters at the same time; under -race this fails if loading touches
// shared state.
func TestTokenizersBuiltConcurrently(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	toks := make([]*tokenizer, 4)
	errs := make([]error, len(toks))
	for i := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			toks[i], errs[i] = newTokenizerFromDict(testDict)
		}()
	}
	wg.Wait()
	for i, tok := range toks {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if got := tok.Words("小区门口的路灯"); !slices.Equal(got, []string{"小区", "门口", "路灯"}) {
			t.Errorf("tokenizer %d: %v", i, got)
		}
	}
}

// TestCloseWaitsForHotWords: closing the station waits for the hot-word load under way (it
// writes to the store), and nothing starts afterwards.
func TestCloseWaitsForHotWords(t *testing.T) {
	t.Parallel()
	now := boardNow
	st := newWallStation(t, t.TempDir(), &now)
	started, release := make(chan struct{}), make(chan struct{})
	st.Wall.hot.newTokenizer = func() (*tokenizer, error) {
		close(started)
		<-release
		return newTokenizerFromDict(testDict)
	}
	if _, err := st.Wall.Board(); err != nil {
		t.Fatal(err)
	}
	<-started
	closed := make(chan struct{})
	go func() {
		st.Close()
		close(closed)
	}()
	close(release)
	<-closed
	h := &st.Wall.hot
	h.mu.Lock()
	loaded, stopped := h.tok != nil, h.stopped
	h.mu.Unlock()
	if !loaded || !stopped {
		t.Errorf("after Close: dictionary loaded %v, stopped %v; want both", loaded, stopped)
	}
	h.current(hotWordsSource{store: st.store, station: "HX01", log: st.log}, now)
	h.running.Wait() // returns at once: nothing was started
}

// The wall shows the street's latest published 工作评议 ranking, screened like every text,
// and nothing once it is withdrawn.
func TestBoardShowsTheLatestRanking(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := boardNow
	st := newWallStation(t, t.TempDir(), &now)
	b, err := st.Wall.Board()
	if err != nil || b.Ranking != nil {
		t.Fatalf("no ranking published: %+v %v", b.Ranking, err)
	}
	avg := 2.5
	older := domain.DeptRanking{ID: "PY-1", Title: "2026年10月承办单位工作评议", Period: "2026年10月", From: "2026-10-01",
		To: "2026-10-31", Held: "2026-11-05", Published: now.AddDate(0, -1, 0), Rows: []domain.RankingRow{}}
	latest := domain.DeptRanking{ID: "PY-2", Title: "2026年11月承办单位工作评议", Period: "2026年11月", From: "2026-11-01",
		To: "2026-11-30", Held: "2026-12-04", Published: now.Add(-time.Hour), Rows: []domain.RankingRow{
			{Rank: 1, DeptCode: "JD-CG", DeptName: "街道城管科", Score: 91.5, Grade: "满意", Received: 8, HandledOnTime: 6,
				Rated: 4, AvgRating: &avg},
			{Rank: 2, DeptCode: "Q-ZJ", DeptName: "区住建局 13912345678", Score: 60, Received: 0},
		}}
	if err := st.store.ApplyRemote(ctx, "epoch-test", []domain.Event{
		refEvent(t, 1, domain.KindDeptRankingUpserted, "ranking:PY-2", latest),
		refEvent(t, 2, domain.KindDeptRankingUpserted, "ranking:PY-1", older),
	}, 2); err != nil {
		t.Fatal(err)
	}
	b, err = st.Wall.Board()
	if err != nil || b.Ranking == nil {
		t.Fatalf("ranking: %+v %v", b, err)
	}
	r := b.Ranking
	if r.Title != latest.Title || r.Period != "2026年11月" || len(r.Rows) != 2 {
		t.Fatalf("ranking %+v", r)
	}
	first := r.Rows[0]
	if first.Rank != 1 || first.Name != "街道城管科" || first.Score != 91.5 || first.Grade != "满意" ||
		first.HandleRate == nil || *first.HandleRate != 0.75 || first.AvgRating == nil || *first.AvgRating != 2.5 {
		t.Errorf("first row %+v", first)
	}
	if second := r.Rows[1]; second.HandleRate != nil || second.AvgRating != nil || strings.Contains(second.Name, "13912345678") {
		t.Errorf("second row %+v", second)
	}
	latest.Retired = true
	if err := st.store.ApplyRemote(ctx, "epoch-test", []domain.Event{
		refEvent(t, 3, domain.KindDeptRankingUpserted, "ranking:PY-2", latest)}, 3); err != nil {
		t.Fatal(err)
	}
	if b, err = st.Wall.Board(); err != nil || b.Ranking == nil || b.Ranking.Title != older.Title {
		t.Errorf("after the latest was withdrawn: %+v %v", b.Ranking, err)
	}
}
