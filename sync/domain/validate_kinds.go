package domain

import (
	"fmt"
	"time"
)

// factSpec is what a kiosk may record of one kind: which actors, and the check of its stream
// and payload (the envelope and the payload's JSON shape are checked before).
type factSpec struct {
	roles map[Role]bool
	check func(ev Event, from Origin, now time.Time) error
}

var (
	residents = map[Role]bool{RoleResident: true, RoleAnonymous: true}
	reps      = map[Role]bool{RoleRepresentative: true}
	people    = map[Role]bool{RoleResident: true, RoleRepresentative: true}
)

// deviceFacts lists every kind a kiosk records, one validator each. A kind missing here is
// refused: either the hub alone records it (hubOnlyKind) or nobody does.
var deviceFacts = map[Kind]factSpec{
	KindCaseSubmitted:           {residents, checkCaseSubmitted},
	KindCaseAccepted:            {reps, checkCaseAccepted},
	KindCaseProgress:            {reps, checkCaseNote},
	KindCaseRated:               {residents, checkCaseRated},
	KindCaseWithdrawn:           {residents, checkCaseNote},
	KindResidentRegistered:      {map[Role]bool{RoleResident: true}, checkResidentRegistered},
	KindDutySignedIn:            {reps, checkDutySign},
	KindDutySignedOut:           {reps, checkDutySign},
	KindReceptionLogged:         {reps, checkReception},
	KindActivitySignedUp:        {people, checkActivityMark},
	KindActivityCheckedIn:       {people, checkActivityMark},
	KindActivitySignUpCancelled: {people, checkActivityMark},
}

// DeviceKinds lists the kinds a kiosk may record.
func DeviceKinds() []Kind {
	out := make([]Kind, 0, len(deviceFacts))
	for k := range deviceFacts {
		out = append(out, k)
	}
	return out
}

func caseStream(ev Event) error {
	if !IsUUID(ev.Stream) {
		return factErr(CodeBadID, "stream", "a case id is a UUID")
	}
	return nil
}

func checkCaseSubmitted(ev Event, from Origin, now time.Time) error {
	if err := caseStream(ev); err != nil {
		return err
	}
	var p CaseSubmitted
	if err := decodeStrict(ev.Data, &p); err != nil {
		return err
	}
	if err := checkCaseNumber("data.number", p.Number, from, now); err != nil {
		return err
	}
	if !base64URL(p.Token, 16, 64) {
		return factErr(CodeBadID, "data.token", "16–64 URL-safe base64 characters")
	}
	if !IsRefID(p.Category) {
		return factErr(CodeBadID, "data.category", "not a category code")
	}
	if p.ResidentID != "" && !IsResidentID(p.ResidentID) {
		return factErr(CodeBadID, "data.resident_id", "not a resident id")
	}
	if !phoneLike(p.Phone) {
		return factErr(CodeBadValue, "data.phone", "7–20 digits, spaces, dashes or a leading +")
	}
	return texts(
		text{"data.text", p.Text, MaxTextRunes, true},
		text{"data.community", p.Community, MaxNameRunes, false},
		text{"data.building", p.Building, MaxAddressRunes, false},
		text{"data.surname_mask", p.SurnameMask, MaxNameRunes, false},
	)
}

func checkCaseAccepted(ev Event, _ Origin, _ time.Time) error {
	if err := caseStream(ev); err != nil {
		return err
	}
	var p CaseAccepted
	if err := decodeStrict(ev.Data, &p); err != nil {
		return err
	}
	if p.RepID != ev.Actor.ID {
		return factErr(CodeBadValue, "data.rep_id", "a representative claims a case only for themself")
	}
	return texts(text{"data.rep_name", p.RepName, MaxNameRunes, false})
}

func checkCaseNote(ev Event, _ Origin, _ time.Time) error {
	if err := caseStream(ev); err != nil {
		return err
	}
	var p CaseNote
	if err := decodeStrict(ev.Data, &p); err != nil {
		return err
	}
	if p.ToResident && (ev.Kind != KindCaseProgress || ev.Actor.Role != RoleRepresentative) {
		return factErr(CodeBadValue, "data.to_resident", "only a representative's progress note is a reply to the resident")
	}
	return texts(text{"data.note", p.Note, MaxNoteRunes, false})
}

func checkCaseRated(ev Event, _ Origin, _ time.Time) error {
	if err := caseStream(ev); err != nil {
		return err
	}
	var p CaseRated
	if err := decodeStrict(ev.Data, &p); err != nil {
		return err
	}
	switch p.Rating {
	case RatingSatisfied, RatingBasically, RatingUnsatisfied:
	default:
		return factErr(CodeBadValue, "data.rating", fmt.Sprintf("%.20q is not a rating", p.Rating))
	}
	return texts(text{"data.comment", p.Comment, MaxNoteRunes, false})
}

func checkResidentRegistered(ev Event, _ Origin, now time.Time) error {
	var p ResidentRegistered
	if err := decodeStrict(ev.Data, &p); err != nil {
		return err
	}
	if len(p.IDHash) != 64 || !isHex(p.IDHash) {
		return factErr(CodeBadID, "data.id_hash", "64 hex digits")
	}
	if ev.Stream != ResidentID(p.IDHash) || ev.Actor.ID != ev.Stream {
		return factErr(CodeBadID, "stream", "a resident's stream and actor are ResidentID(id_hash)")
	}
	if !tokenOf(p.IDMasked, 32, func(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '*' }) {
		return factErr(CodeBadID, "data.id_masked", "up to 32 digits, capitals and *")
	}
	// An anonymous seal of an ID number or a name is 48 bytes of overhead and the text.
	if len(p.Sealed) < 49 || len(p.Sealed) > 256 || len(p.NameSealed) > 256 {
		return factErr(CodeBadValue, "data.sealed", "a seal is 49–256 bytes")
	}
	if p.BirthYear != 0 && (p.BirthYear < 1900 || p.BirthYear > now.Year()) {
		return factErr(CodeBadValue, "data.birth_year", "outside 1900 .. this year")
	}
	if p.CardType != "" && !IsRefID(p.CardType) {
		return factErr(CodeBadID, "data.card_type", "not a card type")
	}
	return texts(
		text{"data.surname_mask", p.SurnameMask, MaxNameRunes, false},
		text{"data.gender", p.Gender, 8, false},
		text{"data.community", p.Community, MaxNameRunes, false},
	)
}

func checkDutySign(ev Event, _ Origin, _ time.Time) error {
	var p DutySign
	if err := decodeStrict(ev.Data, &p); err != nil {
		return err
	}
	if p.RepID != ev.Actor.ID || ev.Stream != "duty:"+ev.Station+":"+p.RepID {
		return factErr(CodeBadID, "stream", "a duty sign is the actor's own, on duty:STATION:REP")
	}
	if p.Badge != "" && !IsRefID(p.Badge) {
		return factErr(CodeBadID, "data.badge", "not a badge serial")
	}
	if err := checkNonce(p.Nonce); err != nil {
		return err
	}
	return texts(text{"data.rep_name", p.RepName, MaxNameRunes, false})
}

func checkReception(ev Event, from Origin, now time.Time) error {
	if !IsUUID(ev.Stream) {
		return factErr(CodeBadID, "stream", "a reception's stream is a UUID")
	}
	var p Reception
	if err := decodeStrict(ev.Data, &p); err != nil {
		return err
	}
	if p.RepID != ev.Actor.ID {
		return factErr(CodeBadValue, "data.rep_id", "a representative logs only their own receptions")
	}
	if p.CaseID != "" && !IsUUID(p.CaseID) {
		return factErr(CodeBadID, "data.case_id", "a case id is a UUID")
	}
	if p.CaseNumber != "" {
		if err := checkCaseNumber("data.case_number", p.CaseNumber, from, now); err != nil {
			return err
		}
	}
	return texts(
		text{"data.rep_name", p.RepName, MaxNameRunes, false},
		text{"data.surname_mask", p.SurnameMask, MaxNameRunes, false},
		text{"data.community", p.Community, MaxNameRunes, false},
		text{"data.topic", p.Topic, MaxTitleRunes, true},
		text{"data.outcome", p.Outcome, MaxNoteRunes, false},
	)
}

// Ways a kiosk records a person at an activity. "phone" is the hub's own check-in page and
// ViaRepPhone the representatives' phone workspace at the hub; neither comes from a device.
const (
	ViaKioskCard  = "kiosk-card"
	ViaKioskBadge = "kiosk-badge"
	ViaRepPhone   = "rep-phone"
)

func checkActivityMark(ev Event, _ Origin, _ time.Time) error {
	var p ActivityCheckIn
	if err := decodeStrict(ev.Data, &p); err != nil {
		return err
	}
	if !IsRefID(p.ActivityID) || ev.Stream != "activity:"+p.ActivityID {
		return factErr(CodeBadID, "stream", "an activity mark is on activity:ID with ID its activity_id")
	}
	if p.PersonID != ev.Actor.ID {
		return factErr(CodeBadValue, "data.person_id", "a person signs up, cancels and checks in only themself")
	}
	want := ViaKioskCard
	if ev.Actor.Role == RoleRepresentative {
		want = ViaKioskBadge
	}
	if p.Via != want {
		return factErr(CodeBadValue, "data.via", fmt.Sprintf("%.20q: a %s is recorded via %s", p.Via, ev.Actor.Role, want))
	}
	return checkNonce(p.Nonce)
}

func checkNonce(n string) error {
	if len(n) > 64 || (n != "" && !isHex(n)) {
		return factErr(CodeBadID, "data.nonce", "up to 64 lower-case hex digits")
	}
	return nil
}

type text struct {
	field    string
	value    string
	max      int
	required bool
}

func texts(ts ...text) error {
	for _, t := range ts {
		if err := checkText(t.field, t.value, t.max, t.required); err != nil {
			return err
		}
	}
	return nil
}

// base64URL reports whether s is min..max characters of unpadded URL-safe base64.
func base64URL(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// phoneLike accepts "" or a telephone number as a person types it.
func phoneLike(p string) bool {
	if p == "" {
		return true
	}
	if len(p) > MaxPhoneLen {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c >= '0' && c <= '9':
			n++
		case c == ' ' || c == '-' || (c == '+' && i == 0):
		default:
			return false
		}
	}
	return n >= 7
}
