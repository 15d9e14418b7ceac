package domain

// Codes of the representatives' phone workspace at the hub (/m/, the console's
// /api/v1/rep/… endpoints).
const (
	CodeRepUnbound     = "rep_unbound"       // the account is bound to no serving representative
	CodeRepClaimed     = "rep_claimed"       // another representative claimed the case first
	CodeRepNoteTooLong = "rep_note_too_long" // a note or reply over MaxNoteRunes
	CodeRepNotInvited  = "rep_not_invited"   // an activity the representative is not invited to
	CodeRepBadgeNone   = "rep_badge_none"    // no valid duty badge to show
)

var repCodes = []CodeInfo{
	hub(CodeRepUnbound), hub(CodeRepClaimed, "name"), hub(CodeRepNoteTooLong, "max"),
	hub(CodeRepNotInvited), hub(CodeRepBadgeNone),
}

func init() { registry = append(registry, repCodes...) }
