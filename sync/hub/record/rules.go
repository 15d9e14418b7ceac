// Package record scores representatives' work (履职积分 and 星级) from the hub's log: every act
// is already an event (a duty sign-in, a claim, a first reply to the resident, a case handled
// and its rating, an activity check-in, a reception record), and Score turns the events of a
// period into points with the rules an admin edits. Nothing is stored but the rules, so a
// change of rules rescores the past. The package has no I/O; docs/record.md describes the
// rules and the API built on it.
package record

import (
	"slices"
	"strconv"
	"time"

	"liaison/sync/domain"
)

// Act names a kind of act that scores. The string is stored in the rules and sent to the
// console: never rename one.
type Act string

const (
	ActDuty             Act = "duty"              // 值班签到: a duty sign-in, once a day
	ActClaim            Act = "claim"             // 领办: an effective claim of a case
	ActCoHandle         Act = "cohandle"          // 协办: a concurrent claim kept as co-handler
	ActReplyOnTime      Act = "reply_on_time"     // 按时首次答复: first reply within the target
	ActReplyLate        Act = "reply_late"        // 超时首次答复: first reply after the target
	ActHandled          Act = "handled"           // 办结: a claimed case reached closed
	ActRatedSatisfied   Act = "rated_satisfied"   // 满意: a rating of a claimed case
	ActRatedBasically   Act = "rated_basically"   // 基本满意
	ActRatedUnsatisfied Act = "rated_unsatisfied" // 不满意
	ActActivity         Act = "activity"          // 活动签到: checked in at an activity, once each
	ActReception        Act = "reception"         // 接待记录: a reception logged
)

// Acts lists every act in the order the console and the PDF show them.
func Acts() []Act {
	return []Act{ActDuty, ActClaim, ActCoHandle, ActReplyOnTime, ActReplyLate, ActHandled,
		ActRatedSatisfied, ActRatedBasically, ActRatedUnsatisfied, ActActivity, ActReception}
}

// ActNames are the acts' Chinese names (the console's catalogues word them too).
var ActNames = map[Act]string{
	ActDuty: "值班签到", ActClaim: "领办事项", ActCoHandle: "协办事项", ActReplyOnTime: "按时首次答复",
	ActReplyLate: "超时首次答复", ActHandled: "办结事项", ActRatedSatisfied: "群众满意",
	ActRatedBasically: "群众基本满意", ActRatedUnsatisfied: "群众不满意", ActActivity: "活动签到",
	ActReception: "接待群众",
}

// ReplyTarget is how soon after a case's submission a representative's first reply to the
// resident (秒回复) counts as on time: the product's target for first replies.
const ReplyTarget = domain.FirstReplyTarget

// Cap periods: how long the window is within which a kind's points are capped.
const (
	CapMonth   = "month"
	CapQuarter = "quarter"
	CapYear    = "year"
)

// Bounds of the rules.
const (
	MaxPoints = 100   // points of one act, either sign
	MaxCap    = 10000 // points of one kind in one cap period
	MaxStars  = 5
	MaxStar   = 100000 // the highest threshold
)

// ActRule is what one kind of act is worth.
type ActRule struct {
	Act    Act `json:"act"`
	Points int `json:"points"` // per act; negative for a penalty
	// Cap bounds the points of this kind in one cap period (in magnitude, for a penalty);
	// 0 is no cap.
	Cap int `json:"cap"`
}

// Rules are the scoring rules.
type Rules struct {
	Acts      []ActRule `json:"acts"`       // one per act, in Acts() order
	CapPeriod string    `json:"cap_period"` // CapMonth, CapQuarter or CapYear
	// Stars are the points of a whole year that earn 1, 2 … stars, ascending. A shorter
	// period's thresholds are the year's in proportion to its months, rounded up.
	Stars []int `json:"stars"`
}

// DefaultRules are the rules a hub starts with.
func DefaultRules() Rules {
	return Rules{
		Acts: []ActRule{
			{ActDuty, 2, 20}, {ActClaim, 3, 30}, {ActCoHandle, 1, 10}, {ActReplyOnTime, 2, 20},
			{ActReplyLate, 0, 0}, {ActHandled, 3, 30}, {ActRatedSatisfied, 2, 0},
			{ActRatedBasically, 1, 0}, {ActRatedUnsatisfied, -1, 0}, {ActActivity, 2, 10},
			{ActReception, 1, 10},
		},
		CapPeriod: CapMonth,
		Stars:     []int{30, 80, 150, 250, 400},
	}
}

// Problem is one thing wrong with rules: a registered code and its parameters.
type Problem struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
}

// Check returns what is wrong with the rules, nothing for good ones.
func (r Rules) Check() []Problem {
	var out []Problem
	add := func(code string, kv ...string) {
		p := Problem{Code: code, Params: map[string]string{}}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Params[kv[i]] = kv[i+1]
		}
		out = append(out, p)
	}
	seen := map[Act]bool{}
	for _, a := range r.Acts {
		if !slices.Contains(Acts(), a.Act) || seen[a.Act] {
			add(domain.CodeRecordActs)
			continue
		}
		seen[a.Act] = true
		if a.Points < -MaxPoints || a.Points > MaxPoints {
			add(domain.CodeRecordPoints, "act", ActNames[a.Act], "max", strconv.Itoa(MaxPoints))
		}
		if a.Cap < 0 || a.Cap > MaxCap {
			add(domain.CodeRecordCap, "act", ActNames[a.Act], "max", strconv.Itoa(MaxCap))
		}
	}
	if len(seen) != len(Acts()) && !slices.ContainsFunc(out, func(p Problem) bool { return p.Code == domain.CodeRecordActs }) {
		add(domain.CodeRecordActs)
	}
	if r.CapPeriod != CapMonth && r.CapPeriod != CapQuarter && r.CapPeriod != CapYear {
		add(domain.CodeRecordCapPeriod)
	}
	ok := len(r.Stars) >= 1 && len(r.Stars) <= MaxStars
	for i, s := range r.Stars {
		if s <= 0 || s > MaxStar || (i > 0 && s <= r.Stars[i-1]) {
			ok = false
		}
	}
	if !ok {
		add(domain.CodeRecordStars, "max", strconv.Itoa(MaxStars))
	}
	return out
}

// rule returns the rule of an act; an act the rules lack is worth nothing.
func (r Rules) rule(a Act) ActRule {
	for _, x := range r.Acts {
		if x.Act == a {
			return x
		}
	}
	return ActRule{Act: a}
}

// StarsFor returns the stars points earn in a period of months months.
func (r Rules) StarsFor(points, months int) int {
	n := 0
	for _, t := range r.Thresholds(months) {
		if points >= t {
			n++
		}
	}
	return n
}

// Thresholds are the star thresholds of a period of months months: the year's in proportion,
// rounded up.
func (r Rules) Thresholds(months int) []int {
	months = max(1, min(12, months))
	out := make([]int, len(r.Stars))
	for i, s := range r.Stars {
		out[i] = (s*months + 11) / 12
	}
	return out
}

// Change is one saved version of the rules: the store keeps every one, with who saved it.
type Change struct {
	Version int64     `json:"version"`
	Rules   Rules     `json:"-"`
	Login   string    `json:"login"`
	Name    string    `json:"name"`
	Saved   time.Time `json:"saved"`
}
