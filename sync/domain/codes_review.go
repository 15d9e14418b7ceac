package domain

// Codes of the 工作评议 of the departments (console).
const (
	CodeReviewBadPeriod = "review_bad_period" // a period that is not a month, quarter, year or range of days
	CodeReviewNoDept    = "review_no_dept"    // a department the hub does not know
	CodeReviewNotFound  = "review_not_found"  // no 评议 session with that id
	CodeReviewStale     = "review_stale"      // the session was saved by someone else meanwhile
	CodeReviewInvalid   = "review_invalid"    // field: a session field missing or out of bounds
)

func init() {
	registry = append(registry, hub(CodeReviewBadPeriod), hub(CodeReviewNoDept), hub(CodeReviewNotFound),
		hub(CodeReviewStale), hub(CodeReviewInvalid, "field"))
}
