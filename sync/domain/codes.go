package domain

// Every code a person can be shown, in one place. A code is worded where it is shown: the
// station's frontend (frontend/src/i18n/messages.<lang>.json, under "errors" or "status") and
// the hub (sync/text). Tests fail when a code lacks a message in either language on a side
// that shows it, or when a message asks for a parameter the code does not declare.

// Where a code is worded.
type Shown uint8

const (
	OnStation Shown = 1 << iota // the station's frontend
	OnHub                       // the hub's pages, API and CLI (sync/text)
)

// Groups of the station's catalogue.
const (
	GroupErrors = "errors" // why something did not happen
	GroupStatus = "status" // how the station is, and what a scan did
)

// CodeInfo describes one registered code.
type CodeInfo struct {
	Code   string
	Group  string   // GroupErrors or GroupStatus
	Params []string // the parameters its messages may use
	Shown  Shown
}

// Codes every side uses.
const (
	CodeInternal     = "internal"      // something failed inside; details are in the log
	CodeInvalidInput = "invalid_input" // a request the caller could have got right
	CodeNotFound     = "not_found"
)

// Codes of the station's services (app).
const (
	CodeNoSession          = "no_session"
	CodeConsentRequired    = "consent_required"
	CodeIllegalTransition  = "illegal_transition"
	CodeStoreFailed        = "store_failed"      // a write did not happen
	CodeStoreReadFailed    = "store_read_failed" // a read did not happen
	CodeStoreUnavailable   = "store_unavailable" // the local database is not open
	CodeStoreReadOnly      = "store_read_only"   // disk full or database damaged: reads only (param reason)
	CodeNotDemo            = "not_demo"
	CodeLocked             = "locked"
	CodeDeviceUnavailable  = "device_unavailable"
	CodeHubUnreachable     = "hub_unreachable"
	CodeRepSessionRequired = "rep_session_required"
	CodeCardRequired       = "card_required"
	CodeNoPendingCard      = "no_pending_card"
	CodeSessionEnded       = "session_ended"
	CodeNotRegistered      = "not_registered"
	CodeCheckInUnpaired    = "checkin_unpaired"
	CodeActivityNotFound   = "activity_not_found"
	CodeActivityEnded      = "activity_ended"
	CodeActivityCancelled  = "activity_cancelled" // the activity was called off
	CodeSignUpNotOpen      = "signup_not_open"    // before the sign-up window
	CodeSignUpClosed       = "signup_closed"      // after the sign-up window
	CodeSignUpNone         = "signup_none"        // nothing to cancel
	CodeSignUpUnpaired     = "signup_unpaired"    // no hub to point the phone sign-up QR at
	CodeSignUpLimited      = "signup_limited"     // too many posts to the phone sign-up page
	CodeCheckInClosed      = "checkin_closed"
	CodeCaseNotFound       = "case_not_found"
	CodeCategoryRequired   = "category_required"
	CodeTextTooShort       = "text_too_short"
	CodeTextTooLong        = "text_too_long"
	CodePhoneInvalid       = "phone_invalid"
	CodeAddressTooLong     = "address_too_long"
	CodeReceptionText      = "reception_text_invalid"
	CodeClaimRefused       = "claim_refused"
	CodeSampleUnknown      = "sample_unknown"
	CodeDemoBadgeMissing   = "demo_badge_missing"
	CodeScanTooLong        = "scan_too_long"
	CodeSubmitNotSaved     = "submit_not_saved"
	CodeCardUnsupported    = "card_unsupported"
	CodeCardInvalid        = "card_invalid"
	CodeBadgeExpired       = "badge_expired"
	CodeBadgeRevoked       = "badge_revoked"
	CodeBadgeForged        = "badge_forged"
	CodeBadgeMalformed     = "badge_malformed"
	CodeBadgeNoKey         = "badge_no_key"
	CodeScanUnknown        = "scan_unknown"
)

// Status codes of the station: what a scan did, and the sync client's last problem.
const (
	CodeRepSignedIn        = "rep_signed_in"
	CodeRepAlreadySignedIn = "rep_already_signed_in"

	CodeSyncDialFailed   = "sync_dial_failed"
	CodeSyncTimeout      = "sync_timeout"
	CodeSyncStoreFailed  = "sync_store_failed"
	CodeSyncInterrupted  = "sync_interrupted"
	CodeSyncUnknown      = "sync_unknown_device"
	CodeSyncRevoked      = "sync_revoked"
	CodeSyncVersion      = "sync_version"
	CodeSyncBadSignature = "sync_bad_signature"
	CodeSyncBusy         = "sync_busy"
	CodeSyncSlow         = "sync_slow"
	CodeSyncRestarting   = "sync_hub_restarting"
	CodeSyncReplaced     = "sync_replaced"
	CodeSyncFactRejected = "sync_fact_rejected"
	CodeSyncFactRefused  = "sync_fact_refused"
)

// Reasons a case event may not be applied (Transition, Fold). TransitionCode groups them.
const (
	CodeEventNotCase        = "event_not_case"
	CodeEventOtherCase      = "event_other_case"
	CodeEventDuplicate      = "event_duplicate"
	CodeRoleForbidden       = "role_forbidden"
	CodeStateForbidden      = "state_forbidden"
	CodeOwnerOnly           = "owner_only"
	CodeDepartmentOnly      = "department_only"
	CodeHandlerOnly         = "handler_only"
	CodePayloadInvalid      = "payload_invalid"
	CodeCaseIDMissing       = "case_id_missing"
	CodeCaseTextRequired    = "case_text_required"
	CodeCaseTokenMissing    = "case_token_missing"
	CodeAnonymousIdentified = "anonymous_identified"
	CodeIdentityRequired    = "identity_required"
	CodeSubmitterMismatch   = "submitter_mismatch"
	CodeClaimRepMissing     = "claim_rep_missing"
	CodeClaimSelfOnly       = "claim_self_only"
	CodeDepartmentRequired  = "department_required"
	CodeDueBeforeAssign     = "due_before_assign"
	CodeProgressRequired    = "progress_note_required"
	CodeReturnReason        = "return_reason_required"
	CodeReopenReason        = "reopen_reason_required"
	CodeCloseReason         = "close_reason_required"
	CodeRatingWindowOpen    = "rating_window_open"
	CodeRatingInvalid       = "rating_invalid"
	CodeReplyRequired       = "reply_required"
	CodeMergeTargetMissing  = "merge_target_missing"
	CodeMergeSelf           = "merge_self"
	// CodeSuperviseReplied: the console's own rule, a replied case waits for its rating.
	CodeSuperviseReplied = "supervise_after_reply"
	CodeCoHandlerMissing = "cohandler_missing"
	CodeCoHandlerIsLead  = "cohandler_is_lead"
)

// Codes of the hub: its phone check-in page and its API.
const (
	CodeCheckInExpired     = "checkin_code_expired"
	CodeCheckInInvalid     = "checkin_code_invalid"
	CodeCheckInDuplicate   = "checkin_duplicate"
	CodePhoneRequired      = "phone_required"
	CodeUnavailable        = "service_unavailable"
	CodeUnauthorized       = "unauthorized"
	CodeBadRequest         = "bad_request"
	CodeBadState           = "bad_state"
	CodeUnknownAction      = "unknown_action"
	CodeBadAction          = "bad_action"
	CodeActionTooLong      = "action_too_long" // field, max: a note or reply over its bound
	CodeUnknownRep         = "unknown_rep"
	CodeBadgeNotFound      = "badge_not_found"
	CodeUnknownStation     = "unknown_station"
	CodeBadRole            = "bad_role"
	CodeDeviceNotFound     = "device_not_found"
	CodePairingUnknown     = "pairing_code_unknown"
	CodePairingExpired     = "pairing_code_expired"
	CodePairingUsed        = "pairing_code_used"
	CodePairingLimited     = "pairing_attempts_exceeded"
	CodeBadPublicKey       = "bad_public_key"
	CodeTransitionNotCase  = "transition_" + string(CodeNotCase)
	CodeTransitionRole     = "transition_" + string(CodeRole)
	CodeTransitionState    = "transition_" + string(CodeState)
	CodeTransitionIdentity = "transition_" + string(CodeIdentity)
	CodeTransitionPayload  = "transition_" + string(CodePayload)
	CodeTransitionTooEarly = "transition_" + string(CodeTooEarly)
)

const both = OnStation | OnHub

func station(code string, params ...string) CodeInfo {
	return CodeInfo{Code: code, Group: GroupErrors, Params: params, Shown: OnStation}
}

func hub(code string, params ...string) CodeInfo {
	return CodeInfo{Code: code, Group: GroupErrors, Params: params, Shown: OnHub}
}

func shared(code string, params ...string) CodeInfo {
	return CodeInfo{Code: code, Group: GroupErrors, Params: params, Shown: both}
}

// Station setup, lookups and the technician screen.
const (
	CodeReceiptOpening     = "receipt_opening" // status: a scanned receipt opens its case
	CodeCaseNumberRequired = "case_number_required"
	CodeLookupNeedsCard    = "lookup_needs_card"
	CodePINWrong           = "pin_wrong"
	CodePINInvalid         = "pin_invalid"
	CodeUnpaired           = "unpaired"
	CodeSyncNotStarted     = "sync_not_started"
	CodeTestBusy           = "test_busy"
	CodePairHasHistory     = "pair_has_history"
	CodePairQRMissing      = "pair_qr_missing"
	CodePairQRInvalid      = "pair_qr_invalid"
	CodeHubAddressRequired = "hub_address_required"
	CodePairCodeRequired   = "pair_code_required"
	CodePairRefused        = "pair_refused"
	CodePairHubUnreachable = "pair_hub_unreachable"
	CodePortUnknown        = "port_unknown"
	CodeSettingsNotSaved   = "settings_not_saved"
	CodeNameTooLong        = "name_too_long"
	CodeRoleUnknown        = "role_unknown"
)

func status(code string, params ...string) CodeInfo {
	return CodeInfo{Code: code, Group: GroupStatus, Params: params, Shown: OnStation}
}

var registry = []CodeInfo{
	status(CodeReceiptOpening, "number"),
	station(CodeCaseNumberRequired),
	station(CodeLookupNeedsCard),
	station(CodePINWrong),
	station(CodePINInvalid),
	station(CodeUnpaired),
	station(CodeSyncNotStarted),
	station(CodeTestBusy),
	station(CodePairHasHistory),
	station(CodePairQRMissing),
	station(CodePairQRInvalid),
	station(CodeHubAddressRequired),
	station(CodePairCodeRequired),
	station(CodePairRefused),
	station(CodePairHubUnreachable),
	station(CodePortUnknown),
	station(CodeSettingsNotSaved),
	station(CodeNameTooLong, "max"),
	station(CodeRoleUnknown),
	shared(CodeInternal), shared(CodeInvalidInput), shared(CodeNotFound),

	station(CodeNoSession), station(CodeConsentRequired), station(CodeIllegalTransition),
	station(CodeStoreFailed), station(CodeStoreReadFailed), station(CodeStoreUnavailable),
	station(CodeStoreReadOnly, "reason"),
	station(CodeNotDemo), station(CodeLocked), station(CodeDeviceUnavailable), station(CodeHubUnreachable),
	station(CodeRepSessionRequired), station(CodeCardRequired), station(CodeNoPendingCard),
	station(CodeSessionEnded), station(CodeNotRegistered), station(CodeCheckInUnpaired),
	shared(CodeActivityNotFound), station(CodeActivityEnded), shared(CodeCheckInClosed),
	shared(CodeActivityCancelled), shared(CodeSignUpNotOpen), shared(CodeSignUpClosed),
	shared(CodeSignUpNone), station(CodeSignUpUnpaired), hub(CodeSignUpLimited),
	shared(CodeCaseNotFound), station(CodeCategoryRequired), station(CodeTextTooShort, "min"),
	station(CodeTextTooLong, "max"), station(CodePhoneInvalid), station(CodeAddressTooLong),
	station(CodeReceptionText, "max"), station(CodeClaimRefused), station(CodeSampleUnknown),
	station(CodeDemoBadgeMissing), station(CodeScanTooLong), station(CodeSubmitNotSaved),
	station(CodeCardUnsupported), station(CodeCardInvalid),
	station(CodeBadgeExpired), shared(CodeBadgeRevoked), station(CodeBadgeForged),
	station(CodeBadgeMalformed), station(CodeBadgeNoKey), station(CodeScanUnknown),

	status(CodeRepSignedIn, "name"), status(CodeRepAlreadySignedIn, "name"),
	status(CodeSyncDialFailed), status(CodeSyncTimeout), status(CodeSyncStoreFailed),
	status(CodeSyncInterrupted), status(CodeSyncUnknown), status(CodeSyncRevoked),
	status(CodeSyncVersion), status(CodeSyncBadSignature), status(CodeSyncBusy), status(CodeSyncSlow),
	status(CodeSyncRestarting), status(CodeSyncReplaced), status(CodeSyncFactRejected),
	status(CodeSyncFactRefused, "seq", "fact"),

	shared(CodeEventNotCase), shared(CodeEventOtherCase), shared(CodeEventDuplicate),
	shared(CodeRoleForbidden, "role", "kind"), shared(CodeStateForbidden, "state", "kind"),
	shared(CodeOwnerOnly, "kind"), shared(CodeDepartmentOnly, "kind"), shared(CodeHandlerOnly),
	shared(CodePayloadInvalid), shared(CodeCaseIDMissing), shared(CodeCaseTextRequired),
	shared(CodeCaseTokenMissing), shared(CodeAnonymousIdentified), shared(CodeIdentityRequired),
	shared(CodeSubmitterMismatch), shared(CodeClaimRepMissing), shared(CodeClaimSelfOnly),
	shared(CodeDepartmentRequired), shared(CodeDueBeforeAssign), shared(CodeProgressRequired),
	shared(CodeReturnReason), shared(CodeReopenReason), shared(CodeCloseReason),
	shared(CodeRatingWindowOpen), shared(CodeRatingInvalid), shared(CodeReplyRequired),
	shared(CodeMergeTargetMissing), shared(CodeMergeSelf), hub(CodeSuperviseReplied), shared(CodeCoHandlerMissing),
	shared(CodeCoHandlerIsLead),

	hub(CodeCheckInExpired), hub(CodeCheckInInvalid), hub(CodeCheckInDuplicate), hub(CodePhoneRequired),
	hub(CodeUnavailable), hub(CodeUnauthorized), hub(CodeBadRequest, "detail"), hub(CodeBadState),
	hub(CodeUnknownAction), hub(CodeBadAction, "detail"), hub(CodeActionTooLong, "field", "max"), hub(CodeUnknownRep), hub(CodeBadgeNotFound),
	hub(CodeUnknownStation), hub(CodeBadRole), hub(CodeDeviceNotFound), shared(CodePairingUnknown),
	shared(CodePairingExpired), shared(CodePairingUsed), shared(CodePairingLimited), hub(CodeBadPublicKey),
	hub(CodeTransitionNotCase), hub(CodeTransitionRole), hub(CodeTransitionState),
	hub(CodeTransitionIdentity), hub(CodeTransitionPayload), hub(CodeTransitionTooEarly),
}

// Codes lists every registered code.
func Codes() []CodeInfo {
	out := make([]CodeInfo, len(registry))
	copy(out, registry)
	return out
}

// LookupCode finds a registered code.
func LookupCode(code string) (CodeInfo, bool) {
	for _, c := range registry {
		if c.Code == code {
			return c, true
		}
	}
	return CodeInfo{}, false
}
