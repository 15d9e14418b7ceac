package store

import (
	"errors"
	"fmt"
	"time"

	"liaison/sync/domain"
)

// Account roles at the hub's console.
const (
	RoleAdmin          = "admin"          // everything, including users
	RoleStaff          = "staff"          // the street's 人大工委 desk
	RoleDepartment     = "department"     // one 承办单位: its own cases only
	RoleRepresentative = "representative" // reads their own cases
	// RoleDisplay is a wall screen's account (大屏): it reads its area's board and nothing
	// else, and its session does not end after AbsoluteTimeout while the screen reads on.
	RoleDisplay = "display"
)

// ValidRole reports whether r is one of the account roles.
func ValidRole(r string) bool {
	switch r {
	case RoleAdmin, RoleStaff, RoleDepartment, RoleRepresentative, RoleDisplay:
		return true
	}
	return false
}

// Errors of the console's part of the store contract.
var (
	// ErrLoginTaken is returned by CreateUser for a login already in use.
	ErrLoginTaken = errors.New("login taken")
	// ErrNoUser is returned for a login, session or token the store does not know.
	ErrNoUser = errors.New("no such user")
)

// User is a person's account. PasswordHash is an argon2id PHC string; it never leaves the
// hub's code.
type User struct {
	Login    string
	Name     string
	Role     string
	DeptCode string // department accounts: the department they act for
	RepID    string // representative accounts: who they are
	// Node is the organisation node (domain.OrgNode) the account belongs to: it sees the
	// stations beneath it. "" is the whole hub.
	Node         string
	PasswordHash string
	Disabled     bool
	Created      time.Time
}

// Session is a signed-in browser session. The store keeps only the hash of its id.
type Session struct {
	Hash     []byte
	Login    string
	CSRF     string
	Created  time.Time
	LastSeen time.Time
}

// StaleError is returned by an action that names a case version other than the current one.
type StaleError struct {
	Version int          // the case's current version
	By      domain.Actor // who made the latest change
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("case changed: now at version %d (by %s)", e.Version, e.By.Name)
}

// AnyNode as DeskFilter.EscalatedTo selects the cases escalated to any node.
const AnyNode = "*"

// Desk tabs: the inbox's queues. Each is a condition on the case's state and deadline.
const (
	TabToAccept       = "to_accept"       // submitted
	TabToAssign       = "to_assign"       // accepted or returned
	TabDueToday       = "due_today"       // someone must act, deadline today (station zone)
	TabOverdue        = "overdue"         // someone must act, deadline passed
	TabAwaitingRating = "awaiting_rating" // replied
	TabReturned       = "returned"        // returned by the department
	TabAll            = "all"
)

// Tabs lists the desk tabs in the order the console shows them.
func Tabs() []string {
	return []string{TabToAccept, TabToAssign, TabDueToday, TabOverdue, TabAwaitingRating, TabReturned, TabAll}
}

// DeskFilter selects cases of the desk. Zero fields match everything.
type DeskFilter struct {
	State     domain.State
	Dept      string
	Category  string
	Community string
	Rep       string
	Station   string
	// Stations limits the cases to those of the stations listed (an account's or a
	// drilled-down node's); nil means every station, empty means none.
	Stations []string
	// EscalatedTo keeps only the cases escalated (上报) to this node; AnyNode keeps every
	// escalated case.
	EscalatedTo string
	Overdue     bool   // only cases past their deadline that someone must act on
	Query       string // full text over number, text, reply and notes
	Tab         string // one of the Tab constants; "" is TabAll
	// SubmittedFrom and SubmittedTo bound the submission time [from, to) when not zero.
	SubmittedFrom, SubmittedTo time.Time

	Now                       time.Time // for overdue
	TodayStart, TomorrowStart time.Time // the station zone's day, for due_today

	Offset, Limit int // the page; Limit 0 means no limit
	// Counts asks for the number of cases in every tab under the other filters.
	Counts bool
}

// DeskPage is one page of the desk.
type DeskPage struct {
	Cases  []domain.Case
	Total  int            // cases matching the filter and tab
	Counts map[string]int // per tab, when asked for
}

// AuditScope is the station field of the hub's audit events (domain.KindContactRevealed,
// KindReviewSaved): no station's, so they never leave the hub.
const AuditScope = "#hub"
