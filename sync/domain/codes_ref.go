package domain

// Codes of the reference data's checks.
const (
	CodeFieldRequired   = "field_required"
	CodeFieldTooLong    = "field_too_long"    // max
	CodeFieldBadText    = "field_bad_text"    // control characters or not UTF-8
	CodeFieldBadCode    = "field_bad_code"    // not a code: letters, digits, - _ . :
	CodeFieldBadStation = "field_bad_station" // not a station code: HX01
	CodeFieldBadDate    = "field_bad_date"    // not a date YYYY-MM-DD
	CodeFieldBadPhone   = "field_bad_phone"
	CodeFieldRange      = "field_out_of_range" // min, max
	CodeFieldNotIn      = "field_not_in_set"   // values
	CodeFieldRepeated   = "field_repeated"     // value: an entry listed twice
	CodeFieldTooMany    = "field_too_many"     // max
	CodeRefBadItem      = "ref_bad_item"       // detail: not JSON of the kind
	CodeRefUnknownKind  = "ref_unknown_kind"   // kind
	CodeRefEndsBefore   = "ref_ends_before_starts"
	CodeRefSignUpWindow = "ref_signup_window"
	CodeRefDayMismatch  = "ref_day_mismatch" // day: a shift's start is not on its day
	CodeRefWorkdayDay   = "ref_workday_not_weekend"
	CodeRefDateYear     = "ref_date_other_year" // year
	CodeRefHolidayWork  = "ref_holiday_and_workday"
	CodeRefDuplicate    = "ref_duplicate"    // key
	CodeRefDangling     = "ref_dangling"     // kind, key
	CodeRefKeyMismatch  = "ref_key_mismatch" // key
	CodeRefRefused      = "ref_refused"
	CodeRefRetired      = "ref_retired"       // name: a retired item cannot be used
	CodeBadgeRepRetired = "badge_rep_retired" // a retired representative's badge
	CodeRefPhotoInvalid = "ref_photo_invalid"
	CodeRefPhotoTooBig  = "ref_photo_too_large" // max
	CodeRefCopyWeek     = "ref_copy_week"       // a copy-week between days that are not Mondays
)

var refCodes = []CodeInfo{
	hub(CodeFieldRequired), hub(CodeFieldTooLong, "max"), hub(CodeFieldBadText), hub(CodeFieldBadCode),
	hub(CodeFieldBadStation), hub(CodeFieldBadDate), hub(CodeFieldBadPhone),
	hub(CodeFieldRange, "min", "max"), hub(CodeFieldNotIn, "values"), hub(CodeFieldRepeated, "value"),
	hub(CodeFieldTooMany, "max"), hub(CodeRefBadItem, "detail"), hub(CodeRefUnknownKind, "kind"),
	hub(CodeRefEndsBefore), hub(CodeRefSignUpWindow), hub(CodeRefDayMismatch, "day"),
	hub(CodeRefWorkdayDay), hub(CodeRefDateYear, "year"), hub(CodeRefHolidayWork),
	hub(CodeRefDuplicate, "key"), hub(CodeRefDangling, "kind", "key"), hub(CodeRefKeyMismatch, "key"),
	hub(CodeRefRefused), hub(CodeRefRetired, "name"), shared(CodeBadgeRepRetired),
	hub(CodeRefPhotoInvalid), hub(CodeRefPhotoTooBig, "max"), hub(CodeRefCopyWeek),
}

func init() { registry = append(registry, refCodes...) }
