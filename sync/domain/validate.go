package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// What a device's fact may hold. The hub admits a fact only inside these bounds, so that what
// it admits it can read, project and serve for ever; the station can check its own facts with
// the same function before recording them.
const (
	// MaxFactData is the largest payload in bytes (the wire's protocol.MaxEventData).
	MaxFactData = 64 << 10
	// MaxFactDepth is the deepest nesting of a payload: every device payload is a flat object.
	MaxFactDepth = 4
	// MaxNameRunes bounds names: people, masked surnames, communities, actor names.
	MaxNameRunes = 64
	// MaxTitleRunes bounds titles: a reception's topic.
	MaxTitleRunes = 500
	// MaxNoteRunes bounds notes: progress notes, rating comments, a reception's outcome.
	MaxNoteRunes = 1000
	// MaxTextRunes bounds free text: what a resident wrote in a case.
	MaxTextRunes = 2000
	// MaxAddressRunes bounds a building or address given as free text.
	MaxAddressRunes = 100
	// MaxRefIDBytes bounds reference ids (representatives, activities, categories, badges).
	MaxRefIDBytes = 64
	// MaxFactAhead is how far past the hub's clock a fact's time may lie: a station clock
	// that runs a little fast still has its facts admitted.
	MaxFactAhead = 24 * time.Hour
)

// MinFactTime is the earliest time a fact may carry; earlier means a device clock that lost
// its setting (a dead RTC battery starts at 2000 or 1970).
var MinFactTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// FactCode says why a fact was refused; it travels to the device and into the hub's
// quarantine. The strings are stable: never rename one.
type FactCode string

// Refusal codes of the validator (content) and of the hub's scope checks.
const (
	CodeUnknownKind FactCode = "unknown_kind" // not a kind any device records
	CodeHubOnly     FactCode = "hub_only"     // a kind or outcome only the hub decides
	CodeActorRole   FactCode = "actor_role"   // the actor's role may not record this kind
	CodeSchema      FactCode = "schema"       // not the kind's payload: unknown or missing field, wrong type
	CodeTooLarge    FactCode = "too_large"    // payload over MaxFactData
	CodeTooDeep     FactCode = "too_deep"     // payload nested deeper than MaxFactDepth
	CodeBadText     FactCode = "bad_text"     // a string that is not valid UTF-8 or holds control characters
	CodeTooLong     FactCode = "too_long"     // a string over its bound
	CodeBadTime     FactCode = "bad_time"     // a time outside [MinFactTime, now+MaxFactAhead]
	CodeBadID       FactCode = "bad_id"       // an identifier not in its format
	CodeBadValue    FactCode = "bad_value"    // a value outside its set or range
	CodeWrongDevice FactCode = "wrong_device" // the fact names another device
	CodeScope       FactCode = "scope"        // data of another station
	CodeDeviceRole  FactCode = "device_role"  // this kind of device records no such facts (a wall)
	CodeDuplicateID FactCode = "duplicate_id" // the event id is already in the log
	CodeForeign     FactCode = "foreign"      // acts on another station's case or activity
	CodeCaseExists  FactCode = "case_exists"  // a submission of a case (or number) that exists
)

// ErrFact is matched (errors.Is) by every *FactError.
var ErrFact = errors.New("fact refused")

// FactError says why a fact cannot be admitted. Detail names the field and the problem in
// English for the log and the quarantine; it never holds the field's value beyond a short,
// quoted prefix.
type FactError struct {
	Code   FactCode
	Field  string
	Detail string
}

func (e *FactError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Detail)
}

// Is makes errors.Is(err, ErrFact) true.
func (e *FactError) Is(target error) bool { return target == ErrFact }

func factErr(code FactCode, field, detail string) *FactError {
	return &FactError{Code: code, Field: field, Detail: detail}
}

// RefusalCode is the code of a refusal, or "" when err is not a *FactError.
func RefusalCode(err error) FactCode {
	var fe *FactError
	if errors.As(err, &fe) {
		return fe.Code
	}
	return ""
}

// Origin is the enrolled device a fact arrives from.
type Origin struct {
	Device  string // device id
	Station string // its station's code
	Code    string // its short code (K1, W1), part of its case numbers
	Role    string // kiosk | wall
}

// Device roles an Origin may have.
const (
	DeviceKiosk = "kiosk"
	DeviceWall  = "wall"
)

// ValidateFact checks one device fact completely, before the hub admits it: its kind is one a
// kiosk records, its envelope (id, device, station, stream, time, actor) is in form and inside
// the origin's scope, and its payload is exactly the kind's schema within every bound. now is
// the hub's clock. It returns nil or a *FactError. What needs the hub's state (an id or case
// number already taken, another station's case or activity) is checked by the store.
func ValidateFact(ev Event, from Origin, now time.Time) error {
	if from.Role != DeviceKiosk {
		return factErr(CodeDeviceRole, "device", fmt.Sprintf("a %.16q device records no facts", from.Role))
	}
	spec, ok := deviceFacts[ev.Kind]
	if !ok {
		if hubOnlyKind(ev.Kind) {
			return factErr(CodeHubOnly, "kind", fmt.Sprintf("only the hub records %.40q", ev.Kind))
		}
		return factErr(CodeUnknownKind, "kind", fmt.Sprintf("%.40q", ev.Kind))
	}
	if err := checkEnvelope(ev, from, now); err != nil {
		return err
	}
	if !spec.roles[ev.Actor.Role] {
		return factErr(CodeActorRole, "actor.role", fmt.Sprintf("%.20q may not record %s", ev.Actor.Role, ev.Kind))
	}
	if err := checkActor(ev.Actor); err != nil {
		return err
	}
	if len(ev.Data) > MaxFactData {
		return factErr(CodeTooLarge, "data", fmt.Sprintf("%d bytes, at most %d", len(ev.Data), MaxFactData))
	}
	if !json.Valid(ev.Data) {
		return factErr(CodeSchema, "data", "payload is not JSON")
	}
	if err := checkJSONShape(ev.Data); err != nil {
		return err
	}
	return spec.check(ev, from, now)
}

// hubOnlyKind reports kinds the hub records and a device never may: reference data and the
// outcomes the hub decides (a sign-up's place, a claim's loser made co-handler, staff acts).
func hubOnlyKind(k Kind) bool {
	if strings.HasPrefix(string(k), "ref.") || strings.HasPrefix(string(k), "device.") {
		return true
	}
	switch k {
	case KindActivitySignUpStatus, KindCaseCoHandler, KindCaseAssigned, KindCaseReturned,
		KindCaseSupervised, KindCaseReplied, KindCaseReopened, KindCaseClosed, KindCaseMerged,
		KindCaseEscalated, KindResidentConsented:
		return true
	}
	return false
}

func checkEnvelope(ev Event, from Origin, now time.Time) error {
	if !IsUUID(ev.ID) {
		return factErr(CodeBadID, "id", "not a UUID")
	}
	if ev.Device != from.Device {
		return factErr(CodeWrongDevice, "device", fmt.Sprintf("names device %.40q", ev.Device))
	}
	if ev.DevSeq <= 0 {
		return factErr(CodeBadValue, "dev_seq", "not positive")
	}
	if !IsStationCode(ev.Station) {
		return factErr(CodeBadID, "station", "not a station code")
	}
	if ev.Station != from.Station {
		return factErr(CodeScope, "station", fmt.Sprintf("%.20q from a device of %.20q", ev.Station, from.Station))
	}
	return checkTime("at", ev.At, now)
}

func checkTime(field string, t, now time.Time) error {
	if t.Before(MinFactTime) || t.After(now.Add(MaxFactAhead)) {
		return factErr(CodeBadTime, field, fmt.Sprintf("%s outside %s .. hub time + %s",
			t.UTC().Format(time.RFC3339), MinFactTime.Format("2006-01-02"), MaxFactAhead))
	}
	return nil
}

func checkActor(a Actor) error {
	if err := checkText("actor.name", a.Name, MaxNameRunes, false); err != nil {
		return err
	}
	switch a.Role {
	case RoleResident:
		if !IsResidentID(a.ID) {
			return factErr(CodeBadID, "actor.id", "not a resident id")
		}
	case RoleAnonymous:
		if a.ID != "" {
			return factErr(CodeBadValue, "actor.id", "an anonymous actor has no id")
		}
	default:
		if !IsRefID(a.ID) {
			return factErr(CodeBadID, "actor.id", "not an id")
		}
	}
	return nil
}

// checkText checks a string field: valid UTF-8, no control characters but tab and newline,
// at most max runes, and present when required.
func checkText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return factErr(CodeSchema, field, "required")
	}
	if !utf8.ValidString(s) {
		return factErr(CodeBadText, field, "not valid UTF-8")
	}
	n := 0
	for _, r := range s {
		n++
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || r == utf8.RuneError {
			return factErr(CodeBadText, field, "control or replacement character")
		}
	}
	if n > max {
		return factErr(CodeTooLong, field, fmt.Sprintf("%d characters, at most %d", n, max))
	}
	return nil
}

// decodeStrict decodes a payload into v refusing unknown fields and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return factErr(CodeSchema, "data", trimDetail(err.Error()))
	}
	if dec.More() {
		return factErr(CodeSchema, "data", "trailing data")
	}
	return nil
}

func trimDetail(s string) string {
	if len(s) > 120 {
		s = s[:120]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// IsUUID reports whether s is a UUID in its canonical lower-case form.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// IsStationCode reports whether s has the form of a station code: 1–16 upper-case letters,
// digits or dashes, starting with a letter or digit.
func IsStationCode(s string) bool {
	return tokenOf(s, 16, func(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' })
}

// IsDeviceCode reports whether s has the form of a device's short code (K1, W12).
func IsDeviceCode(s string) bool {
	return tokenOf(s, 8, func(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' })
}

// IsRefID reports whether s has the form of a reference id (HX01-R01, a badge serial, a
// category code): 1–MaxRefIDBytes letters, digits and . _ : - starting with a letter or digit.
func IsRefID(s string) bool {
	return tokenOf(s, MaxRefIDBytes, func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == ':' || c == '-'
	})
}

// IsResidentID reports whether s is a resident id as ResidentID makes it: "R-" and 20 hex digits.
func IsResidentID(s string) bool {
	return len(s) == 22 && strings.HasPrefix(s, "R-") && isHex(s[2:])
}

func tokenOf(s string, max int, ok func(byte) bool) bool {
	if s == "" || len(s) > max || s[0] == '-' || s[0] == '.' || s[0] == ':' || s[0] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// CaseNumberPrefix is how every case number of a device begins: its station and its code.
func CaseNumberPrefix(station, deviceCode string) string {
	return station + "-" + deviceCode + "-"
}

// checkCaseNumber checks a number made by CaseNumber for the origin device: its own prefix, a
// real day no earlier than MinFactTime's and at most a day past now's, a counter of four to
// six digits.
func checkCaseNumber(field, number string, from Origin, now time.Time) error {
	prefix := CaseNumberPrefix(from.Station, from.Code)
	if !IsDeviceCode(from.Code) || !strings.HasPrefix(number, prefix) {
		return factErr(CodeScope, field, fmt.Sprintf("%.40q does not start with this device's %q", number, prefix))
	}
	rest := number[len(prefix):]
	day, counter, ok := strings.Cut(rest, "-")
	if !ok || len(day) != 8 || len(counter) < 4 || len(counter) > 6 || !digits(day) || !digits(counter) {
		return factErr(CodeBadID, field, fmt.Sprintf("%.40q is not STATION-DEVICE-YYYYMMDD-NNNN", number))
	}
	d, err := time.Parse("20060102", day)
	if err != nil {
		return factErr(CodeBadID, field, fmt.Sprintf("%.40q has no real day", number))
	}
	// The day is the station's local day: allow a day either side of the UTC bounds.
	if d.Before(MinFactTime.AddDate(0, 0, -1)) || d.After(now.Add(MaxFactAhead+24*time.Hour)) {
		return factErr(CodeBadTime, field, fmt.Sprintf("%.40q has a day out of range", number))
	}
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
