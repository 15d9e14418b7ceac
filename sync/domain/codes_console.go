package domain

// Codes of the hub console's API (sync/hub/console): its sign-in, its accounts, and the
// refusals of its lists and actions that the codes shared with the station do not cover.
const (
	CodeBadCredentials        = "bad_credentials"    // the login name or the password is wrong
	CodeOldPasswordWrong      = "old_password_wrong" // a password change with a wrong current password
	CodeTooManyAttempts       = "too_many_attempts"  // logins refused for a while (Retry-After says how long)
	CodeUserDisabled          = "user_disabled"      // the account is disabled
	CodeCSRF                  = "csrf"               // an unsafe request without the session's token
	CodeForbidden             = "forbidden"          // the account's role may not do this
	CodeWeakPassword          = "weak_password"      // a password shorter than min
	CodeLoginTaken            = "login_taken"        // another account has the login name
	CodeBadLogin              = "bad_login"          // a login name that is not 2–32 letters, digits or . _ -
	CodeBadUserRole           = "bad_user_role"      // an account role the console does not know
	CodeUserNotFound          = "user_not_found"     // no such account
	CodeUnknownDepartment     = "unknown_department" // no such department (承办单位)
	CodeUnknownRepresentative = "unknown_representative"
	CodeBadTab                = "bad_tab"   // a case list tab the desk does not know
	CodeBadView               = "bad_view"  // a list of the phone workspace it does not know
	CodeBadMonth              = "bad_month" // a month not written YYYY-MM
	CodeStale                 = "stale"     // the case changed since it was read (by: who changed it)
	CodeMergeTargetUnknown    = "merge_target_unknown"
	CodeBulkAssignInvalid     = "bulk_assign_invalid" // a bulk assignment of no cases, or of more than max
)

var consoleCodes = []CodeInfo{
	hub(CodeBadCredentials), hub(CodeOldPasswordWrong), hub(CodeTooManyAttempts), hub(CodeUserDisabled),
	hub(CodeCSRF), hub(CodeForbidden), hub(CodeWeakPassword, "min"), hub(CodeLoginTaken), hub(CodeBadLogin),
	hub(CodeBadUserRole), hub(CodeUserNotFound), hub(CodeUnknownDepartment), hub(CodeUnknownRepresentative),
	hub(CodeBadTab), hub(CodeBadView), hub(CodeBadMonth), hub(CodeStale, "by"), hub(CodeMergeTargetUnknown),
	hub(CodeBulkAssignInvalid, "max"),
}

func init() { registry = append(registry, consoleCodes...) }
