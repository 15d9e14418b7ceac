package domain

// Codes of a representative's one-time login by the kiosk workbench's QR (POST
// /api/v1/rep/ticket at the hub, Rep.LoginQR at the station).
const (
	CodeRepTicketInvalid = "rep_ticket_invalid" // malformed or forged
	CodeRepTicketExpired = "rep_ticket_expired" // outside its validity
	CodeRepTicketUsed    = "rep_ticket_used"    // its nonce logged in before
	CodeRepTicketDevice  = "rep_ticket_device"  // unknown or revoked device, not a kiosk, or not of the station
	CodeRepInactive      = "rep_inactive"       // the representative is unknown or retired
	CodeRepNoAccount     = "rep_no_account"     // no enabled representative account bound to the rep
	CodeRepLoginUnpaired = "rep_login_unpaired" // the station is not paired: no hub to log in at
)

var repLoginCodes = []CodeInfo{
	hub(CodeRepTicketInvalid), hub(CodeRepTicketExpired), hub(CodeRepTicketUsed), hub(CodeRepTicketDevice),
	hub(CodeRepInactive), hub(CodeRepNoAccount), station(CodeRepLoginUnpaired),
}

func init() { registry = append(registry, repLoginCodes...) }
