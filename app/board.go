package app

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"liaison/sync/domain"
)

// boardInput is everything the board is computed from.
type boardInput struct {
	stationName  string
	cases        []domain.Case
	categories   map[string]string
	duty         []DutyRep
	activities   []BoardActivity
	projects     []domain.Project
	offlineSince *string
	sensitive    []string
}

// Definitions shown under the rates; the same words as docs/case-lifecycle.md.
var rateDefs = BoardRateDefs{
	Response:     "期限内受理 ÷（提交 − 尚在受理期限内 − 受理前撤回或合并）",
	Completion:   "已办结 ÷（提交 − 撤回 − 合并）",
	Satisfaction: "（满意 + 基本满意）÷ 已评价",
}

// computeBoard is the wall's board as a pure function of its input, so that tests can compare
// it with figures recomputed from raw events.
func computeBoard(in boardInput, now time.Time, rules domain.Rules) Board {
	b := Board{
		GeneratedAt: now.UTC().Format(time.RFC3339), StationName: in.stationName,
		OfflineSince: in.offlineSince, RateDefs: rateDefs,
		OnDuty: nonNil(in.duty), Activities: nonNil(in.activities),
	}
	loc := now.Location()
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	month := time.Date(y, m, 1, 0, 0, 0, 0, loc)
	year := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	trendStart := today.AddDate(0, 0, -29)
	trend := make([]TrendDay, 30)
	for i := range trend {
		trend[i].Day = trendStart.AddDate(0, 0, i).Format("2006-01-02")
	}
	dayIndex := func(t time.Time) int {
		t = t.In(loc)
		if t.Before(trendStart) {
			return -1
		}
		i := int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc).Sub(trendStart).Hours()+0.5) / 24
		if i >= len(trend) {
			return -1
		}
		return i
	}
	cats := map[string]int{}
	for _, c := range in.cases {
		at := c.SubmittedAt.In(loc)
		if !at.Before(year) {
			b.Totals.Year++
		}
		if !at.Before(month) {
			b.Totals.Month++
		}
		if !at.Before(today) {
			b.Totals.Today++
		}
		cats[c.Category]++
		countFunnel(&b.Funnel, c)
		if i := dayIndex(c.SubmittedAt); i >= 0 {
			trend[i].Submitted++
		}
		if c.State == domain.StateClosed && !c.ClosedAt.IsZero() {
			if i := dayIndex(c.ClosedAt); i >= 0 {
				trend[i].Closed++
			}
		}
	}
	rates := domain.ComputeRates(in.cases, now, rules)
	b.Totals.Overdue = rates.Overdue
	b.Totals.Open = rates.Open
	b.Rates = BoardRates{
		Response:     ratio(rates.Response, rates.Submitted-rates.AwaitingAccept-rates.EndedUnaccepted),
		Completion:   ratio(rates.Completion, rates.Submitted-rates.Withdrawn-rates.Merged),
		Satisfaction: ratio(rates.Satisfaction, rates.Rated),
	}
	b.Trend = trend
	for code, n := range cats {
		name := in.categories[code]
		if name == "" {
			name = "其他"
		}
		b.Categories = append(b.Categories, NameCount{Name: name, Count: n})
	}
	slices.SortFunc(b.Categories, func(a, c NameCount) int {
		if a.Count != c.Count {
			return c.Count - a.Count
		}
		return strings.Compare(a.Name, c.Name)
	})
	b.Categories = nonNil(b.Categories)
	b.Ticker = ticker(in, 20)
	b.Projects = boardProjects(in.projects)
	b.HotWords = hotWords(in.cases, now.AddDate(0, 0, -30), 24)
	return b
}

// ratio is nil when its denominator is zero: "no data", not 0 %.
func ratio(v float64, denominator int) *float64 {
	if denominator <= 0 {
		return nil
	}
	return &v
}

func countFunnel(f *BoardFunnel, c domain.Case) {
	f.Submitted++
	if !c.AcceptedAt.IsZero() {
		f.Accepted++
	}
	if !c.AssignedAt.IsZero() {
		f.Assigned++
	}
	if !c.RepliedAt.IsZero() {
		f.Replied++
	}
	if c.State == domain.StateClosed {
		f.Closed++
	}
}

// ticker lists the latest submissions and replies, masked and filtered for a public screen.
func ticker(in boardInput, n int) []TickerItem {
	var items []TickerItem
	for _, c := range in.cases {
		if c.State == domain.StateWithdrawn || c.State == domain.StateMerged {
			continue
		}
		name := in.categories[c.Category]
		surname := c.SurnameMask
		if c.Anonymous {
			surname = ""
		}
		items = append(items, TickerItem{At: c.SubmittedAt.UTC().Format(time.RFC3339), Kind: "case",
			Category: name, Community: c.Community, SurnameMask: surname,
			Text: publicText(c.Text, in.sensitive, 40)})
		if !c.RepliedAt.IsZero() {
			items = append(items, TickerItem{At: c.RepliedAt.UTC().Format(time.RFC3339), Kind: "reply",
				Category: name, Community: c.Community, SurnameMask: surname,
				Text: publicText(c.Reply, in.sensitive, 40)})
		}
	}
	slices.SortFunc(items, func(a, b TickerItem) int { return strings.Compare(b.At, a.At) })
	if len(items) > n {
		items = items[:n]
	}
	return nonNil(items)
}

// publicText prepares free text for the wall: phone and ID numbers removed, sensitive words
// replaced, cut to n characters.
func publicText(s string, sensitive []string, n int) string {
	s = domain.ScrubText(s)
	for _, w := range sensitive {
		if w != "" {
			s = strings.ReplaceAll(s, w, strings.Repeat("*", utf8.RuneCountInString(w)))
		}
	}
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n]) + "…"
	}
	return s
}

func boardProjects(ps []domain.Project) []BoardProject {
	out := make([]BoardProject, 0, len(ps))
	for _, p := range ps {
		bp := BoardProject{Name: p.Name, Progress: p.Progress, Milestones: []BoardMilestone{}}
		for _, m := range p.Milestones {
			bp.Milestones = append(bp.Milestones, BoardMilestone{Title: m.Title, Due: m.Due.Format("2006-01-02"), Done: m.Done})
		}
		out = append(out, bp)
	}
	return out
}

// Characters that make a two-character run a poor hot word (particles, pronouns, auxiliaries).
const stopRunes = "的了是在我们有和就不人都一个上也很到说要去你会着没看好自己这那他她它吗呢吧啊请能把被让给为与及或等很太还"

// hotWords ranks two-character runs of Chinese text by the number of recent cases that use
// them. It needs no dictionary; the hot-word panel only has to show what people raise most.
func hotWords(cases []domain.Case, since time.Time, n int) []WordWeight {
	df := map[string]int{}
	for _, c := range cases {
		if c.SubmittedAt.Before(since) {
			continue
		}
		seen := map[string]bool{}
		r := []rune(c.Text)
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			if !unicode.Is(unicode.Han, a) || !unicode.Is(unicode.Han, b) ||
				strings.ContainsRune(stopRunes, a) || strings.ContainsRune(stopRunes, b) {
				continue
			}
			w := string([]rune{a, b})
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	var out []WordWeight
	for w, k := range df {
		if k >= 2 {
			out = append(out, WordWeight{Word: w, Weight: float64(k)})
		}
	}
	slices.SortFunc(out, func(a, b WordWeight) int {
		if a.Weight != b.Weight {
			if a.Weight > b.Weight {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Word, b.Word)
	})
	if len(out) > n {
		out = out[:n]
	}
	return nonNil(out)
}
