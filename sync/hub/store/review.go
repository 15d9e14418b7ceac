package store

import (
	"encoding/json"
	"errors"
	"time"

	"liaison/sync/domain"
)

// KindReviewSaved records a 工作评议 session as it was saved in the console: the whole session
// (the console's type) in every event of its stream ReviewStream(id), so the stream is the
// session's audited history and its last event the session as it stands. The events have the
// scope AuditScope and never leave the hub.
const KindReviewSaved domain.Kind = "review.saved"

// ReviewStream is the log stream of the session id.
func ReviewStream(id string) string { return "review:" + id }

// ErrReviewStale is returned when a session is saved over a version other than its current
// one (someone else saved it in between), or created with an id that exists.
var ErrReviewStale = errors.New("review session changed meanwhile")

// ReviewRecord is one saved version of a session.
type ReviewRecord struct {
	ID      string
	Version int // 1 for the first save
	Data    json.RawMessage
	At      time.Time
	Actor   domain.Actor
}
