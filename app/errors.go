package app

import (
	"encoding/json"
	"errors"
)

// Error codes the frontend translates (frontend/src/i18n: errors.<code>).
const (
	CodeNoSession         = "no_session"
	CodeConsentRequired   = "consent_required"
	CodeInvalidInput      = "invalid_input"
	CodeNotFound          = "not_found"
	CodeIllegalTransition = "illegal_transition"
	CodeStoreFailed       = "store_failed"
	CodeNotDemo           = "not_demo"
	CodeLocked            = "locked"
	CodeDeviceUnavailable = "device_unavailable"
	CodeHubUnreachable    = "hub_unreachable"
	CodeInternal          = "internal"
)

// Error is what a bound method returns to the frontend: a code to translate and a plain
// Chinese message for logs. Its Error() is JSON because Wails hands the frontend the string.
// Internals (SQL text, paths) never go into Message: they are logged where they happen.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

func errorf(code, message string) *Error { return &Error{Code: code, Message: message} }

// AsError returns err as an *Error, keeping one that already is and hiding any other behind
// CodeInternal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return errorf(CodeInternal, "内部错误，请联系工作人员")
}
