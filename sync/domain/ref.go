package domain

import "time"

// Station is a liaison station (联络站). Its Code scopes events and case numbers.
type Station struct {
	Code        string   `json:"code"` // short, e.g. "HX01"
	Name        string   `json:"name"`
	Address     string   `json:"address"`
	Communities []string `json:"communities"` // 社区 served by this station
}

// Representative is a people's-congress representative (人大代表).
type Representative struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Gender       string   `json:"gender"`
	Level        string   `json:"level"`        // 区人大代表, 市人大代表 …
	Constituency string   `json:"constituency"` // 选区
	Communities  []string `json:"communities"`  // communities in the constituency
	Title        string   `json:"title"`        // occupation / unit, public
	Stations     []string `json:"stations"`
	PhotoSeed    int      `json:"photo_seed"` // the frontend draws an avatar; no real photos
}

// Department is a handling unit (承办单位).
type Department struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Category of a case, with its common-issue templates.
type Category struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Icon      string   `json:"icon"` // icon name known to the frontend
	Templates []string `json:"templates"`
	Order     int      `json:"order"`
}

// Activity at a station (接待日, 视察, 议事会, 培训 …).
type Activity struct {
	ID       string    `json:"id"`
	Station  string    `json:"station"`
	Title    string    `json:"title"`
	Kind     string    `json:"kind"`
	Place    string    `json:"place"`
	Starts   time.Time `json:"starts"`
	Ends     time.Time `json:"ends"`
	Capacity int       `json:"capacity"`
}

// Project is a 民生实事 project with progress and milestones.
type Project struct {
	ID         string      `json:"id"`
	Station    string      `json:"station"`
	Name       string      `json:"name"`
	Progress   int         `json:"progress"` // 0..100
	Milestones []Milestone `json:"milestones"`
}

// Milestone of a project.
type Milestone struct {
	Title string    `json:"title"`
	Due   time.Time `json:"due"`
	Done  bool      `json:"done"`
}

// DutyShift says who is on duty at a station on a day.
type DutyShift struct {
	Station string    `json:"station"`
	Day     string    `json:"day"` // YYYY-MM-DD, station local time
	RepIDs  []string  `json:"rep_ids"`
	Starts  time.Time `json:"starts"`
	Ends    time.Time `json:"ends"`
}
