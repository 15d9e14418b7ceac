package app

import (
	"slices"
	"strings"
	"time"

	"liaison/app/store"
	"liaison/sync/domain"
)

// boardInput is everything the board is computed from.
type boardInput struct {
	stationName  string
	figures      store.BoardFigures
	categories   map[string]string
	duty         []DutyRep
	activities   []BoardActivity
	projects     []domain.Project
	hotWords     []WordWeight
	ranking      *domain.DeptRanking
	offlineSince *string
	filter       wordFilter
}

// Definitions shown beside the rates, in plain words a passer-by reads from a few metres:
// what is counted over what. docs/case-lifecycle.md has the exact rules.
var rateDefs = BoardRateDefs{
	Response:     "按期受理 ÷ 应受理",
	Completion:   "已办结 ÷ 已提交（不含撤回）",
	Satisfaction: "满意和基本满意 ÷ 已评价",
}

// tickerLen is how many ticker lines the board carries.
const tickerLen = 20

// computeBoard is the wall's board as a pure function of its input, so that tests can compare
// it with figures recomputed from raw events. Days are those of loc, the lifecycle rules'
// zone, which is also the zone the store buckets days in.
func computeBoard(in boardInput, now time.Time, loc *time.Location) Board {
	f := in.filter
	b := Board{
		GeneratedAt: now.UTC().Format(time.RFC3339), StationName: f.mask(in.stationName),
		OfflineSince: in.offlineSince, RateDefs: rateDefs,
		OnDuty: nonNil(in.duty), Activities: nonNil(in.activities),
	}
	for i := range b.OnDuty {
		b.OnDuty[i].Name = f.mask(b.OnDuty[i].Name)
	}
	for i := range b.Activities {
		b.Activities[i].Title, b.Activities[i].Place = f.mask(b.Activities[i].Title), f.mask(b.Activities[i].Place)
	}
	local := now.In(loc)
	y, m, d := local.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	yearFrom := today.AddDate(0, 0, 1-local.YearDay()).Format(time.DateOnly)
	monthFrom := today.AddDate(0, 0, 1-d).Format(time.DateOnly)
	todayKey := today.Format(time.DateOnly)
	for day, dc := range in.figures.Days {
		if day > todayKey {
			continue // a clock running behind the hub's; not "this year" yet
		}
		if day >= yearFrom {
			b.Totals.Year += dc.Submitted
		}
		if day >= monthFrom {
			b.Totals.Month += dc.Submitted
		}
		if day == todayKey {
			b.Totals.Today += dc.Submitted
		}
	}
	b.Trend = make([]TrendDay, 30)
	for i := range b.Trend {
		day := today.AddDate(0, 0, i-29).Format(time.DateOnly)
		dc := in.figures.Days[day]
		b.Trend[i] = TrendDay{Day: day, Submitted: dc.Submitted, Closed: dc.Closed}
	}
	rates := in.figures.Rates
	b.Totals.Overdue = rates.Overdue
	b.Totals.Open = rates.Open
	b.Rates = BoardRates{
		Response:     ratio(rates.Response, rates.Submitted-rates.AwaitingAccept-rates.EndedUnaccepted),
		Completion:   ratio(rates.Completion, rates.Submitted-rates.Withdrawn-rates.Merged),
		Satisfaction: ratio(rates.Satisfaction, rates.Rated),
	}
	fu := in.figures.Funnel
	b.Funnel = BoardFunnel{Submitted: fu.Submitted, Accepted: fu.Accepted, Assigned: fu.Assigned,
		Replied: fu.Replied, Closed: fu.Closed}
	b.Categories = categoryBars(in.figures.Categories, in.categories, f)
	b.Ticker = ticker(in, tickerLen)
	b.Projects = boardProjects(in.projects, f)
	b.HotWords = nonNil(f.hotWords(in.hotWords))
	b.Ranking = boardRanking(in.ranking, f)
	return b
}

// boardRankRows bounds the ranking on the wall: a street has a few dozen departments at most.
const boardRankRows = 40

// boardRanking is the wall's form of a published ranking, its texts screened like the rest.
func boardRanking(r *domain.DeptRanking, f wordFilter) *BoardRanking {
	if r == nil {
		return nil
	}
	out := &BoardRanking{Title: f.mask(r.Title), Period: f.mask(r.Period), Rows: []BoardRankRow{}}
	for _, row := range r.Rows {
		if len(out.Rows) == boardRankRows {
			break
		}
		out.Rows = append(out.Rows, BoardRankRow{Rank: row.Rank, Name: f.mask(row.DeptName), Score: row.Score,
			Grade: row.Grade, Received: row.Received, HandleRate: ratio(float64(row.HandledOnTime)/max(float64(row.Received), 1), row.Received),
			AvgRating: row.AvgRating})
	}
	return out
}

func categoryBars(counts map[string]int, names map[string]string, f wordFilter) []NameCount {
	byName := map[string]int{}
	for code, n := range counts {
		name := names[code]
		if name == "" {
			name = "其他"
		}
		byName[f.mask(name)] += n
	}
	out := make([]NameCount, 0, len(byName))
	for name, n := range byName {
		out = append(out, NameCount{Name: name, Count: n})
	}
	slices.SortFunc(out, func(a, c NameCount) int {
		if a.Count != c.Count {
			return c.Count - a.Count
		}
		return strings.Compare(a.Name, c.Name)
	})
	return out
}

// ratio is nil when its denominator is zero: "no data", not 0 %.
func ratio(v float64, denominator int) *float64 {
	if denominator <= 0 {
		return nil
	}
	return &v
}

// ticker lists the latest submissions and replies, masked and filtered for a public screen.
func ticker(in boardInput, n int) []TickerItem {
	var items []TickerItem
	item := func(c domain.Case, kind string, at time.Time, text string) TickerItem {
		surname := c.SurnameMask
		if c.Anonymous {
			surname = ""
		}
		name := in.categories[c.Category]
		if name == "" {
			name = "其他"
		}
		return TickerItem{At: at.UTC().Format(time.RFC3339), Kind: kind, Category: in.filter.mask(name),
			Community: in.filter.mask(c.Community), SurnameMask: surname, Text: in.filter.text(text, 40)}
	}
	for _, c := range in.figures.Latest {
		items = append(items, item(c, "case", c.SubmittedAt, c.Text))
	}
	for _, c := range in.figures.Replies {
		items = append(items, item(c, "reply", c.RepliedAt, c.Reply))
	}
	slices.SortStableFunc(items, func(a, b TickerItem) int { return strings.Compare(b.At, a.At) })
	if len(items) > n {
		items = items[:n]
	}
	return nonNil(items)
}

func boardProjects(ps []domain.Project, f wordFilter) []BoardProject {
	out := make([]BoardProject, 0, len(ps))
	for _, p := range ps {
		bp := BoardProject{Name: f.mask(p.Name), Progress: p.Progress, Milestones: []BoardMilestone{}}
		for _, m := range p.Milestones {
			bp.Milestones = append(bp.Milestones, BoardMilestone{Title: f.mask(m.Title),
				Due: m.Due.Format(time.DateOnly), Done: m.Done})
		}
		out = append(out, bp)
	}
	return out
}
