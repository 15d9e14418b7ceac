package domain

import "time"

// State of a case. The string is stored and sent on the wire: never rename one.
type State string

const (
	StateSubmitted  State = "submitted"
	StateAccepted   State = "accepted"
	StateAssigned   State = "assigned"
	StateInProgress State = "in_progress"
	StateReturned   State = "returned" // returned by the department, back with staff
	StateReplied    State = "replied"
	StateReopened   State = "reopened" // the resident was unsatisfied
	StateClosed     State = "closed"
	StateWithdrawn  State = "withdrawn"
	StateMerged     State = "merged"
)

// Rating given by the resident to a replied case.
type Rating string

const (
	RatingSatisfied   Rating = "satisfied"   // 满意
	RatingBasically   Rating = "basically"   // 基本满意
	RatingUnsatisfied Rating = "unsatisfied" // 不满意
)

// CaseSubmitted is the payload of KindCaseSubmitted.
type CaseSubmitted struct {
	Number      string `json:"number"`      // human case number, unique across devices
	Token       string `json:"token"`       // unguessable token for the public status page
	Category    string `json:"category"`    // category code
	Text        string `json:"text"`        // what the resident wrote
	Community   string `json:"community"`   // 社区
	Building    string `json:"building"`    // 楼栋/小区, free text
	Phone       string `json:"phone"`       // optional; full number, never shown on the wall
	ResidentID  string `json:"resident_id"` // empty when anonymous
	Anonymous   bool   `json:"anonymous"`
	SurnameMask string `json:"surname_mask"` // e.g. "张*", empty when anonymous
}

// CaseAccepted is the payload of KindCaseAccepted (a representative claims the case).
type CaseAccepted struct {
	RepID   string `json:"rep_id"`
	RepName string `json:"rep_name"`
}

// CaseAssigned is the payload of KindCaseAssigned.
type CaseAssigned struct {
	DeptCode string    `json:"dept_code"`
	DeptName string    `json:"dept_name"`
	Due      time.Time `json:"due"` // the department must reply by then
}

// CaseEscalated is the payload of case.escalated: the organisation node (a district or a
// city) the case is handed up to, its name as shown on the timeline, and why.
type CaseEscalated struct {
	To     string `json:"to"`
	ToName string `json:"to_name"`
	Note   string `json:"note,omitempty"`
}

// CaseNote is the payload of progress, return, supervise, reopen, close and withdraw events.
type CaseNote struct {
	Note string `json:"note"`
	// ToResident marks a representative's progress note written to the resident (秒回复): the
	// public timeline shows it as the representative's reply, and the first one on a case is
	// the first reply whose delay the representative's record measures.
	ToResident bool `json:"to_resident,omitempty"`
}

// CaseReplied is the payload of KindCaseReplied.
type CaseReplied struct {
	Reply string `json:"reply"`
}

// CaseRated is the payload of KindCaseRated.
type CaseRated struct {
	Rating  Rating `json:"rating"`
	Comment string `json:"comment"`
}

// CaseMerged is the payload of KindCaseMerged: this case duplicates Into.
type CaseMerged struct {
	Into string `json:"into"`
}

// CaseCoHandler is recorded by the hub when a claim lost to an earlier one.
type CaseCoHandler struct {
	RepID   string `json:"rep_id"`
	RepName string `json:"rep_name"`
	Reason  string `json:"reason"`
}

// ResidentRegistered is the payload of KindResidentRegistered. It never holds the full ID
// number in clear: only a keyed hash, a masked form and the number sealed to the hub's key.
type ResidentRegistered struct {
	IDHash      string `json:"id_hash"`      // hex HMAC-SHA256 of the ID number, station key
	IDMasked    string `json:"id_masked"`    // e.g. 110105********002X
	Sealed      []byte `json:"sealed"`       // nacl/box anonymous seal of the ID number to the hub
	SurnameMask string `json:"surname_mask"` // 张*
	NameSealed  []byte `json:"name_sealed"`  // full name sealed to the hub
	Gender      string `json:"gender"`
	BirthYear   int    `json:"birth_year"`
	Community   string `json:"community"` // derived from the card address, when known
	CardType    string `json:"card_type"`
}

// DutySign is the payload of duty sign-in/out events.
type DutySign struct {
	RepID   string `json:"rep_id"`
	RepName string `json:"rep_name"`
	Badge   string `json:"badge"` // badge serial
	Nonce   string `json:"nonce"`
}

// ActivityCheckIn is the payload of sign-up and check-in events.
type ActivityCheckIn struct {
	ActivityID string `json:"activity_id"`
	PersonID   string `json:"person_id"` // resident id or representative id
	Via        string `json:"via"`       // kiosk-card, kiosk-badge, phone
	Nonce      string `json:"nonce"`
}

// KindActivitySignUpStatus is the hub's answer to a sign-up or a cancellation: whether the
// person has a place, waits (and where), or no longer takes part. Capacity can only be
// enforced where every kiosk's and phone's sign-ups meet, so a kiosk records the sign-up as a
// fact and shows this answer when it arrives. The hub says it again whenever the answer
// changes: a waiter promoted to a place, or moved up the waitlist.
const KindActivitySignUpStatus Kind = "activity.signup_status"

// Sign-up statuses.
const (
	SignUpConfirmed  = "confirmed"
	SignUpWaitlisted = "waitlisted"
	SignUpCancelled  = "cancelled"
)

// SignUpStatus is the payload of KindActivitySignUpStatus.
type SignUpStatus struct {
	ActivityID string `json:"activity_id"`
	PersonID   string `json:"person_id"`
	Status     string `json:"status"`   // SignUpConfirmed, SignUpWaitlisted or SignUpCancelled
	Position   int    `json:"position"` // 1-based place on the waitlist; 0 unless waitlisted
	Capacity   int    `json:"capacity"`
	// Promoted is set on the answer that moves a waiter to a place (已转为正式名额).
	Promoted bool `json:"promoted,omitempty"`
	// Reason is the code of why a sign-up was not taken (CodeActivityCancelled,
	// CodeSignUpNotOpen, CodeSignUpClosed); "" when the person cancelled or has a place.
	Reason string `json:"reason,omitempty"`
	// Answers is the id of the person's latest sign-up or cancellation the hub had folded:
	// a station that holds a later one of its own shows that one as still undecided.
	Answers string `json:"answers,omitempty"`
}

// Reception is the payload of KindReceptionLogged: a representative's note of a resident they
// received (接待记录). The resident appears only as a masked surname; when the matter became a
// case, CaseID and CaseNumber point to it.
type Reception struct {
	RepID       string `json:"rep_id"`
	RepName     string `json:"rep_name"`
	SurnameMask string `json:"surname_mask"`
	Community   string `json:"community"`
	Topic       string `json:"topic"`
	Outcome     string `json:"outcome"`
	CaseID      string `json:"case_id,omitempty"`
	CaseNumber  string `json:"case_number,omitempty"`
}

// KindDeviceRevoked is recorded by the hub when staff revoke a device: the audit trail of who
// disabled which kiosk or wall, and when. Only the hub records it.
const KindDeviceRevoked Kind = "device.revoked"

// DeviceRevoked is the payload of KindDeviceRevoked.
type DeviceRevoked struct {
	DeviceID string `json:"device_id"`
	Code     string `json:"code"`
	Role     string `json:"role"`
	Name     string `json:"name"`
}
