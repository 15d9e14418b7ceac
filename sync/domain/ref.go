package domain

import "time"

// Station is a liaison station (联络站). Its Code scopes events and case numbers.
type Station struct {
	Code        string   `json:"code"` // short, e.g. "HX01"
	Name        string   `json:"name"`
	Address     string   `json:"address"`
	Communities []string `json:"communities"`     // 社区 served by this station
	Hours       string   `json:"hours,omitempty"` // opening hours as shown, e.g. "周一至周五 9:00-17:00"
	// Node is the street (an OrgNode of level street) the station belongs to; "" when the
	// hub is not organised in levels.
	Node    string `json:"node,omitempty"`
	Retired bool   `json:"retired,omitempty"`
}

// Community is a 社区 (residents' community) and the station that serves it.
type Community struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Station string `json:"station"`
	Retired bool   `json:"retired,omitempty"`
}

// Representative is a people's-congress representative (人大代表).
type Representative struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Gender       string   `json:"gender"`
	Level        string   `json:"level"`        // a RepLevels entry, alone or with 人大代表: 区, 区人大代表
	Constituency string   `json:"constituency"` // 选区
	Communities  []string `json:"communities"`  // communities in the constituency
	Title        string   `json:"title"`        // occupation / unit, public
	Stations     []string `json:"stations"`
	PhotoSeed    int      `json:"photo_seed"`        // the frontend draws an avatar when there is no photo
	Profile      string   `json:"profile,omitempty"` // public profile text
	Photo        string   `json:"photo,omitempty"`   // hub path of the resized photo, e.g. /media/reps/R001.jpg
	Phone        string   `json:"phone,omitempty"`   // for notifications; never shown publicly
	Retired      bool     `json:"retired,omitempty"` // hidden from pickers, badge refused; history keeps the name
}

// Department is a handling unit (承办单位).
type Department struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"` // the contact person
	Phone   string `json:"phone,omitempty"`   // the contact person's office phone
	// Node is the level the department belongs to (a district's 住建局, a street's 城管科):
	// cases are assigned to it by that level or from beneath it. "" is the whole hub.
	Node    string `json:"node,omitempty"`
	Retired bool   `json:"retired,omitempty"`
}

// Category of a case, with its common-issue templates.
type Category struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Icon      string   `json:"icon"` // icon name known to the frontend
	Templates []string `json:"templates"`
	Order     int      `json:"order"`
	// AcceptHours is how many working hours a submitted case of the category may wait to be
	// accepted, HandleDays how many working days a department has to reply; zero means the
	// rules' defaults.
	AcceptHours int `json:"accept_hours,omitempty"`
	HandleDays  int `json:"handle_days,omitempty"`
	// Node is the level that defined the category; the stations beneath it offer it. ""
	// is the whole hub.
	Node    string `json:"node,omitempty"`
	Retired bool   `json:"retired,omitempty"`
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
	// Sign-ups are taken from SignUpOpens (zero: as soon as published) until SignUpCloses
	// (zero: the start).
	SignUpOpens  time.Time `json:"signup_opens,omitzero"`
	SignUpCloses time.Time `json:"signup_closes,omitzero"`
	Description  string    `json:"description,omitempty"`
	Cancelled    bool      `json:"cancelled,omitempty"`
	// Invited are the representatives (ids) invited to take part: the activity appears in
	// their phone workspace, where they sign up (activity.signed_up via ViaRepPhone).
	Invited []string `json:"invited,omitempty"`
}

// Project is a 民生实事 project with progress and milestones.
type Project struct {
	ID         string      `json:"id"`
	Station    string      `json:"station"`
	Name       string      `json:"name"`
	Progress   int         `json:"progress"` // 0..100
	Milestones []Milestone `json:"milestones"`
	Retired    bool        `json:"retired,omitempty"`
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

// WordList is an editable list of words: the sensitive words a submission is checked against,
// or the hot-word stop list the wall leaves out.
type WordList struct {
	Name  string   `json:"name"` // WordsSensitive or WordsHotStop
	Words []string `json:"words"`
}

// Word list names.
const (
	WordsSensitive = "sensitive"
	WordsHotStop   = "hot_stop"
)

// CalendarYear lists a year's public holidays and its make-up working days (调休): weekend
// days that are working days. Every other weekday is a working day, every other weekend day
// is not. See Calendar for how deadlines count them.
type CalendarYear struct {
	Year     int           `json:"year"`
	Holidays []CalendarDay `json:"holidays"`
	Workdays []CalendarDay `json:"workdays"`
	// Provisional marks a year shipped before the State Council published its holiday
	// notice: only the fixed-date statutory holidays are listed, to be completed by an admin.
	Provisional bool `json:"provisional,omitempty"`
	// Source names where the dates come from, e.g. the notice's title and date.
	Source string `json:"source,omitempty"`
}

// CalendarDay is one day of a CalendarYear, local to the stations.
type CalendarDay struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"` // 春节, 国庆节调休 …
}
