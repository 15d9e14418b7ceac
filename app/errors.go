package app

import (
	"encoding/json"
	"errors"

	"liaison/sync/domain"
)

// The codes the station's services used before the registry, under their old names. Every
// code lives in sync/domain (codes.go); the frontend words it as errors.<code>.
const (
	CodeNoSession         = domain.CodeNoSession
	CodeConsentRequired   = domain.CodeConsentRequired
	CodeInvalidInput      = domain.CodeInvalidInput
	CodeNotFound          = domain.CodeNotFound
	CodeIllegalTransition = domain.CodeIllegalTransition
	CodeStoreFailed       = domain.CodeStoreFailed
	CodeNotDemo           = domain.CodeNotDemo
	CodeLocked            = domain.CodeLocked
	CodeDeviceUnavailable = domain.CodeDeviceUnavailable
	CodeHubUnreachable    = domain.CodeHubUnreachable
	CodeInternal          = domain.CodeInternal
	CodeBadgeExpired      = domain.CodeBadgeExpired
	CodeBadgeRevoked      = domain.CodeBadgeRevoked
	CodeBadgeForged       = domain.CodeBadgeForged
	CodeBadgeMalformed    = domain.CodeBadgeMalformed
	CodeBadgeNoKey        = domain.CodeBadgeNoKey
	CodeScanUnknown       = domain.CodeScanUnknown
)

// Error is what a bound method returns to the frontend: a registered code and its
// parameters, which the frontend words from its catalogue (errors.<code>), and an English
// message for logs only. Its Error() is JSON because Wails hands the frontend the string.
// Internals (SQL text, paths) never go into it: they are logged where they happen.
type Error struct {
	Code    string            `json:"code"`
	Message string            `json:"message,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
}

func (e *Error) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// appError makes the Error of a registered code with key/value pairs of parameters.
func appError(code string, kv ...string) *Error {
	return fromDomain(domain.NewError(code, kv...))
}

func fromDomain(e *domain.Error) *Error {
	return &Error{Code: e.Code, Params: e.Params, Message: (&domain.Error{Code: e.Code, Params: e.Params}).Error()}
}

// AsError turns any error into what the frontend gets: an *Error as it is, the outermost
// *domain.Error in err's chain with its code and parameters (a refused case transition
// gives its reason), and anything else as CodeInternal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if de, ok := domain.AsError(err); ok {
		return fromDomain(de)
	}
	return appError(CodeInternal)
}

// writeFailed is what a service answers when the store did not record a fact: the store's
// own code when it has turned read-only (store_read_only, with its reason), else
// store_failed.
func writeFailed(err error) *Error {
	if de, ok := domain.AsError(err); ok && de.Code == domain.CodeStoreReadOnly {
		return fromDomain(de)
	}
	return appError(CodeStoreFailed)
}
