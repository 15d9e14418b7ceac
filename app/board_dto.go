package app

// Board is everything the wall shows, computed on the Go side from the local projections.
type Board struct {
	GeneratedAt  string          `json:"generatedAt"`
	StationName  string          `json:"stationName"`
	OfflineSince *string         `json:"offlineSince"`
	Totals       BoardTotals     `json:"totals"`
	Rates        BoardRates      `json:"rates"`
	RateDefs     BoardRateDefs   `json:"rateDefs"`
	Funnel       BoardFunnel     `json:"funnel"`
	Categories   []NameCount     `json:"categories"`
	Trend        []TrendDay      `json:"trend"`
	Ticker       []TickerItem    `json:"ticker"`
	OnDuty       []DutyRep       `json:"onDuty"`
	Activities   []BoardActivity `json:"activities"`
	Projects     []BoardProject  `json:"projects"`
	HotWords     []WordWeight    `json:"hotWords"`
	// Ranking is the street's latest published 工作评议 of the departments, nil when none.
	Ranking *BoardRanking `json:"ranking"`
}

// BoardRanking is a published ranking of the departments (承办单位), best first.
type BoardRanking struct {
	Title  string         `json:"title"`
	Period string         `json:"period"`
	Rows   []BoardRankRow `json:"rows"`
}

// BoardRankRow is one department of the ranking. The rates are fractions 0..1, nil when
// their denominator is 0; AvgRating is on 1..3.
type BoardRankRow struct {
	Rank       int      `json:"rank"`
	Name       string   `json:"name"`
	Score      float64  `json:"score"`
	Grade      string   `json:"grade"`
	Received   int      `json:"received"`
	HandleRate *float64 `json:"handleRate"`
	AvgRating  *float64 `json:"avgRating"`
}

// BoardTotals are the headline numbers.
type BoardTotals struct {
	Year    int `json:"year"`
	Month   int `json:"month"`
	Today   int `json:"today"`
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
}

// BoardRates are fractions 0..1, nil when their denominator is 0.
type BoardRates struct {
	Response     *float64 `json:"response"`
	Completion   *float64 `json:"completion"`
	Satisfaction *float64 `json:"satisfaction"`
}

// BoardRateDefs are the one-line definitions shown under the rates.
type BoardRateDefs struct {
	Response     string `json:"response"`
	Completion   string `json:"completion"`
	Satisfaction string `json:"satisfaction"`
}

// BoardFunnel counts cases that reached each step.
type BoardFunnel struct {
	Submitted int `json:"submitted"`
	Accepted  int `json:"accepted"`
	Assigned  int `json:"assigned"`
	Replied   int `json:"replied"`
	Closed    int `json:"closed"`
}

// NameCount is one bar of a breakdown.
type NameCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// TrendDay is one day of the 30-day trend.
type TrendDay struct {
	Day       string `json:"day"`
	Submitted int    `json:"submitted"`
	Closed    int    `json:"closed"`
}

// TickerItem is one line of the latest-cases ticker; already masked and filtered.
type TickerItem struct {
	At          string `json:"at"`
	Kind        string `json:"kind"` // case | reply
	Category    string `json:"category"`
	Community   string `json:"community"`
	SurnameMask string `json:"surnameMask"`
	Text        string `json:"text"`
}

// DutyRep is a representative on today's roster.
type DutyRep struct {
	Name     string `json:"name"`
	Level    string `json:"level"`
	SignedIn bool   `json:"signedIn"`
}

// BoardActivity is an activity of today or soon.
type BoardActivity struct {
	Title    string `json:"title"`
	Starts   string `json:"starts"`
	Ends     string `json:"ends"`
	Place    string `json:"place"`
	Attended int    `json:"attended"`
	Capacity int    `json:"capacity"`
	Live     bool   `json:"live"`
}

// BoardProject is a 民生实事 project.
type BoardProject struct {
	Name       string           `json:"name"`
	Progress   int              `json:"progress"`
	Milestones []BoardMilestone `json:"milestones"`
}

// BoardMilestone is one milestone of a project.
type BoardMilestone struct {
	Title string `json:"title"`
	Due   string `json:"due"`
	Done  bool   `json:"done"`
}

// WordWeight is one hot word.
type WordWeight struct {
	Word   string  `json:"word"`
	Weight float64 `json:"weight"`
}
