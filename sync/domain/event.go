// Package domain holds the vocabulary shared by the station and the hub: events (facts), the
// case lifecycle, the rates, and the rules for showing personal data. It has no I/O.
package domain

import (
	"encoding/json"
	"time"
)

// HubDevice is the device id the hub uses for events it originates (staff actions,
// conflict resolutions).
const HubDevice = "hub"

// Event is one fact: something that happened, to one stream (a case, a resident, an activity…).
// Events are immutable. The originating device numbers its events with a gapless per-device
// sequence (DevSeq, from 1); the hub numbers every event it accepts with a gapless log
// sequence (HubSeq, from 1) within its epoch.
type Event struct {
	ID      string          `json:"id"`      // UUIDv7
	Device  string          `json:"device"`  // originating device id, or HubDevice
	DevSeq  int64           `json:"dev_seq"` // per-device sequence, from 1
	Station string          `json:"station"` // station code the event belongs to (its scope)
	Stream  string          `json:"stream"`  // aggregate id, e.g. a case id
	Kind    Kind            `json:"kind"`    // what happened
	At      time.Time       `json:"at"`      // when it happened (device clock), UTC
	Actor   Actor           `json:"actor"`   // who did it
	Data    json.RawMessage `json:"data"`    // kind-specific payload (see payloads.go)
	HubSeq  int64           `json:"hub_seq"` // set by the hub; 0 while only local
}

// Actor says who caused an event.
type Actor struct {
	Role Role   `json:"role"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"` // display name, already masked where the role requires
}

// Role of an actor.
type Role string

const (
	RoleResident       Role = "resident"
	RoleAnonymous      Role = "anonymous"
	RoleRepresentative Role = "representative"
	RoleStaff          Role = "staff"
	RoleDepartment     Role = "department"
	RoleSystem         Role = "system"
)

// Kind names an event type. The string is stored and sent on the wire: never rename one.
type Kind string

// Case events.
const (
	KindCaseSubmitted  Kind = "case.submitted"
	KindCaseAccepted   Kind = "case.accepted"   // a representative accepts/claims it (领办)
	KindCaseAssigned   Kind = "case.assigned"   // staff assign it to a department (交办)
	KindCaseProgress   Kind = "case.progress"   // a progress note
	KindCaseReturned   Kind = "case.returned"   // the department returns it (退单)
	KindCaseSupervised Kind = "case.supervised" // 督办
	KindCaseReplied    Kind = "case.replied"
	KindCaseRated      Kind = "case.rated"
	KindCaseReopened   Kind = "case.reopened"
	KindCaseClosed     Kind = "case.closed"
	KindCaseWithdrawn  Kind = "case.withdrawn"
	KindCaseMerged     Kind = "case.merged"    // a duplicate merged into another case
	KindCaseCoHandler  Kind = "case.cohandler" // a losing concurrent claim, kept as co-handler
	KindCaseEscalated  Kind = "case.escalated" // staff hand it up a level (上报)
)

// KindContactRevealed records, in a case's stream, that a person at the hub was shown the
// resident's contact. It is an audit event of the hub: kept in its log (and so in the hash
// chain) under the hub's own scope, so no station receives it, and only the committee's staff
// read it in a case's timeline.
const KindContactRevealed Kind = "audit.contact_revealed"

// Resident, duty and activity events.
const (
	KindResidentRegistered Kind = "resident.registered"
	KindResidentConsented  Kind = "resident.consented"
	KindDutySignedIn       Kind = "duty.signed_in"
	KindDutySignedOut      Kind = "duty.signed_out"
	KindReceptionLogged    Kind = "reception.logged"
	KindActivitySignedUp   Kind = "activity.signed_up"
	KindActivityCheckedIn  Kind = "activity.checked_in"
	// KindActivitySignUpCancelled: a person takes back their sign-up (payload ActivityCheckIn).
	KindActivitySignUpCancelled Kind = "activity.signup_cancelled"
)

// Reference-data events, originated by the hub (seeded or edited by staff).
const (
	KindOrgNodeUpserted        Kind = "ref.org_node"
	KindStationUpserted        Kind = "ref.station"
	KindRepresentativeUpserted Kind = "ref.representative"
	KindDepartmentUpserted     Kind = "ref.department"
	KindCategoryUpserted       Kind = "ref.category"
	KindActivityUpserted       Kind = "ref.activity"
	KindProjectUpserted        Kind = "ref.project"
	KindDutyRosterUpserted     Kind = "ref.duty_roster"
	KindBadgeRevoked           Kind = "ref.badge_revoked"
	KindCommunityUpserted      Kind = "ref.community"
	KindWordListUpserted       Kind = "ref.words"
	KindCalendarUpserted       Kind = "ref.calendar"
	// KindDeptRankingUpserted is a published 工作评议 ranking of the departments (DeptRanking).
	KindDeptRankingUpserted Kind = "ref.dept_ranking"
)

// IsCase reports whether k belongs to a case stream.
func (k Kind) IsCase() bool { return len(k) > 5 && k[:5] == "case." }
