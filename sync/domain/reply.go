package domain

import (
	"encoding/json"
	"time"
)

// FirstReplyTarget is how soon after a case's submission a representative is to answer the
// resident (秒回复): the first reply's delay is measured against it.
const FirstReplyTarget = 24 * time.Hour

// IsResidentReply reports whether ev is a representative's reply to the resident (秒回复): a
// case.progress by a representative whose note is marked ToResident.
func IsResidentReply(ev Event) bool {
	if ev.Kind != KindCaseProgress || ev.Actor.Role != RoleRepresentative {
		return false
	}
	var p CaseNote
	return json.Unmarshal(ev.Data, &p) == nil && p.ToResident
}

// FirstReply finds a case's first reply to the resident among its events (in log order) and
// Fold's verdict on them (nil counts every event): its time and whether there is one. Its
// delay is that time minus the case's SubmittedAt.
func FirstReply(evs []Event, applied []Applied) (time.Time, bool) {
	for i, ev := range evs {
		if applied != nil && i < len(applied) && !applied[i].Effective {
			continue
		}
		if IsResidentReply(ev) {
			return ev.At, true
		}
	}
	return time.Time{}, false
}
