package domain

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// DeptRanking is a published 工作评议 of the departments (承办单位): the ranking a 评议
// session agreed on, for the street's public page and the stations' walls. It holds
// departments and figures only, never a person. Key: ID (the session's id).
type DeptRanking struct {
	ID     string `json:"id"`
	Title  string `json:"title"`  // 2026年11月承办单位工作评议
	Period string `json:"period"` // the period as shown: 2026年11月, 2026年第四季度 …
	From   string `json:"from"`   // YYYY-MM-DD, first day of the period
	To     string `json:"to"`     // YYYY-MM-DD, last day of the period (inclusive)
	// Held is the day the session met, Published when the ranking was published.
	Held      string       `json:"held"`
	Published time.Time    `json:"published"`
	Rows      []RankingRow `json:"rows"`
	Retired   bool         `json:"retired,omitempty"` // withdrawn from the public page and walls
}

// RankingRow is one department of a ranking, best first. Rank is shared by equal scores.
type RankingRow struct {
	Rank     int     `json:"rank"`
	DeptCode string  `json:"dept_code"`
	DeptName string  `json:"dept_name"`
	Score    float64 `json:"score"` // 0..100, one decimal (docs/console.md, 工作评议)
	Grade    string  `json:"grade,omitempty"`
	// The figures of the period the score was computed from.
	Received       int      `json:"received"`
	AcceptedOnTime int      `json:"accepted_on_time"`
	HandledOnTime  int      `json:"handled_on_time"`
	Rated          int      `json:"rated"`
	Unsatisfied    int      `json:"unsatisfied"`
	AvgRating      *float64 `json:"avg_rating,omitempty"` // 1..3, absent when nothing was rated
}

// ReviewGrades are the conclusions (评议等次) a session may give a department, best first.
var ReviewGrades = []string{"满意", "基本满意", "不满意"}

func (c *refChecker) checkRanking(x *DeptRanking) {
	c.code("id", x.ID)
	c.text("title", x.Title, MaxRefTitleRunes, true)
	c.text("period", x.Period, MaxNameRunes, true)
	from, okFrom := c.date("from", x.From)
	to, okTo := c.date("to", x.To)
	if okFrom && okTo && to.Before(from) {
		c.add("to", CodeRefEndsBefore)
	}
	c.date("held", x.Held)
	if x.Published.IsZero() {
		c.add("published", CodeFieldRequired)
	}
	c.list("rows", len(x.Rows))
	codes := make([]string, 0, len(x.Rows))
	for i, r := range x.Rows {
		f := fmt.Sprintf("rows[%d]", i)
		c.rangeOf(f+".rank", r.Rank, 1, MaxRefList, false)
		c.code(f+".dept_code", r.DeptCode)
		c.text(f+".dept_name", r.DeptName, MaxNameRunes, true)
		if math.IsNaN(r.Score) || r.Score < 0 || r.Score > 100 {
			c.add(f+".score", CodeFieldRange, "min", "0", "max", "100")
		}
		c.oneOf(f+".grade", r.Grade, ReviewGrades, false)
		for _, n := range []struct {
			field string
			v     int
		}{{"accepted_on_time", r.AcceptedOnTime}, {"handled_on_time", r.HandledOnTime}, {"rated", r.Rated}} {
			c.rangeOf(f+"."+n.field, n.v, 0, r.Received, false)
		}
		c.rangeOf(f+".received", r.Received, 0, math.MaxInt32, false)
		c.rangeOf(f+".unsatisfied", r.Unsatisfied, 0, r.Rated, false)
		if a := r.AvgRating; a != nil && (math.IsNaN(*a) || *a < 1 || *a > 3) {
			c.add(f+".avg_rating", CodeFieldRange, "min", "1", "max", "3")
		}
		if i > 0 && r.Rank < x.Rows[i-1].Rank {
			c.add(f+".rank", CodeFieldRange, "min", strconv.Itoa(x.Rows[i-1].Rank), "max", strconv.Itoa(MaxRefList))
		}
		codes = append(codes, r.DeptCode)
	}
	c.repeated("rows", codes)
}
