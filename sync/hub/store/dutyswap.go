package store

import (
	"errors"
	"time"
)

// States of a duty swap request.
const (
	SwapPending  = "pending"
	SwapApproved = "approved"
	SwapRejected = "rejected"
)

// Errors of the duty swap requests.
var (
	// ErrSwapPending: the representative already asked to swap that day and staff have not
	// decided yet.
	ErrSwapPending = errors.New("a swap of that day is already pending")
	// ErrSwapDecided: the request was approved or rejected before.
	ErrSwapDecided = errors.New("swap request already decided")
	// ErrSwapStale: the roster changed since the request; the requester is no longer on duty
	// that day, or the replacement already is.
	ErrSwapStale = errors.New("duty roster changed since the swap request")
)

// DutySwap is a representative's request to be relieved of one duty day (a ref.duty_roster
// item), optionally naming the colleague to take it, and the staff's decision. Approval
// writes the roster change as a reference fact in the same transaction.
type DutySwap struct {
	ID          int64
	RepID       string
	RepName     string
	Station     string
	Day         string // YYYY-MM-DD, the duty day's key with Station
	Colleague   string // the colleague the representative named; "" for none
	Reason      string
	State       string // SwapPending, SwapApproved or SwapRejected
	Replacement string // who took the day on approval; "" when the requester was only taken off
	Note        string // the staff's note with the decision
	Created     time.Time
	Decided     time.Time // zero while pending
	DecidedBy   string    // the deciding staff's name
}

// SwapFilter selects swap requests; zero fields select all.
type SwapFilter struct {
	RepID string
	State string
}
