package domain

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	vNow    = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	vOrigin = Origin{Device: "0195f3c2-8a1b-7c3d-9e4f-112233445566", Station: "HX01", Code: "K1", Role: DeviceKiosk}
)

const (
	vResident = "R-0123456789abcdef0123"
	vCase     = "0195f3c2-8a1b-7c3d-9e4f-aabbccddeeff"
)

func mustData(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// validFacts is one well-formed fact of every kind a kiosk records.
func validFacts(t testing.TB) map[Kind]Event {
	t.Helper()
	rep := Actor{Role: RoleRepresentative, ID: "HX01-R01", Name: "张三"}
	res := Actor{Role: RoleResident, ID: vResident, Name: "李*"}
	hash := strings.Repeat("ab", 32)
	ev := func(kind Kind, stream string, a Actor, p any) Event {
		return Event{ID: NewEventID(), Device: vOrigin.Device, DevSeq: 7, Station: "HX01", Stream: stream,
			Kind: kind, At: vNow.Add(-time.Hour), Actor: a, Data: mustData(t, p)}
	}
	return map[Kind]Event{
		KindCaseSubmitted: ev(KindCaseSubmitted, vCase, res, CaseSubmitted{Number: "HX01-K1-20260302-0001",
			Token: NewToken(), Category: "env", Text: "楼下垃圾三天没有清运", Community: "和谐社区",
			Building: "3 栋", Phone: "138-0013-8000", ResidentID: vResident, SurnameMask: "李*"}),
		KindCaseAccepted:  ev(KindCaseAccepted, vCase, rep, CaseAccepted{RepID: rep.ID, RepName: rep.Name}),
		KindCaseProgress:  ev(KindCaseProgress, vCase, rep, CaseNote{Note: "已联系物业，今天答复您", ToResident: true}),
		KindCaseRated:     ev(KindCaseRated, vCase, res, CaseRated{Rating: RatingSatisfied, Comment: "很快"}),
		KindCaseWithdrawn: ev(KindCaseWithdrawn, vCase, res, CaseNote{Note: "已自行解决"}),
		KindResidentRegistered: ev(KindResidentRegistered, ResidentID(hash), Actor{Role: RoleResident, ID: ResidentID(hash)},
			ResidentRegistered{IDHash: hash, IDMasked: "110105********002X", Sealed: make([]byte, 66),
				SurnameMask: "李*", NameSealed: make([]byte, 54), Gender: "女", BirthYear: 1949, Community: "和谐社区",
				CardType: "id"}),
		KindDutySignedIn:  ev(KindDutySignedIn, "duty:HX01:HX01-R01", rep, DutySign{RepID: rep.ID, RepName: rep.Name, Badge: "B-0001", Nonce: "00ff00ff00ff00ff"}),
		KindDutySignedOut: ev(KindDutySignedOut, "duty:HX01:HX01-R01", rep, DutySign{RepID: rep.ID, RepName: rep.Name, Nonce: "0a0b"}),
		KindReceptionLogged: ev(KindReceptionLogged, NewEventID(), rep, Reception{RepID: rep.ID, RepName: rep.Name,
			SurnameMask: "王*", Topic: "停车难", Outcome: "已登记", CaseID: vCase, CaseNumber: "HX01-K1-20260302-0002"}),
		KindActivitySignedUp:        ev(KindActivitySignedUp, "activity:HX01-A01", res, ActivityCheckIn{ActivityID: "HX01-A01", PersonID: vResident, Via: ViaKioskCard, Nonce: "abcd"}),
		KindActivityCheckedIn:       ev(KindActivityCheckedIn, "activity:HX01-A01", rep, ActivityCheckIn{ActivityID: "HX01-A01", PersonID: rep.ID, Via: ViaKioskBadge}),
		KindActivitySignUpCancelled: ev(KindActivitySignUpCancelled, "activity:HX01-A01", res, ActivityCheckIn{ActivityID: "HX01-A01", PersonID: vResident, Via: ViaKioskCard, Nonce: "abce"}),
	}
}

func TestValidateFactAcceptsEveryDeviceKind(t *testing.T) {
	t.Parallel()
	facts := validFacts(t)
	if len(facts) != len(DeviceKinds()) {
		t.Fatalf("%d sample facts for %d device kinds", len(facts), len(DeviceKinds()))
	}
	for kind, ev := range facts {
		if err := ValidateFact(ev, vOrigin, vNow); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}

func TestValidateFactRefusals(t *testing.T) {
	t.Parallel()
	facts := validFacts(t)
	sub := facts[KindCaseSubmitted]
	with := func(base Event, f func(*Event)) Event { f(&base); return base }
	withData := func(base Event, data string) Event { base.Data = json.RawMessage(data); return base }
	subData := func(f func(*CaseSubmitted)) Event {
		var p CaseSubmitted
		_ = json.Unmarshal(sub.Data, &p)
		f(&p)
		return with(sub, func(e *Event) { e.Data = mustData(t, p) })
	}
	deep := `{"text":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`
	cases := []struct {
		name string
		ev   Event
		from Origin
		want FactCode
	}{
		{"a wall records nothing", sub, Origin{Device: vOrigin.Device, Station: "HX01", Code: "W1", Role: DeviceWall}, CodeDeviceRole},
		{"unknown kind", with(sub, func(e *Event) { e.Kind = "case.teleported" }), vOrigin, CodeUnknownKind},
		{"reference data", with(sub, func(e *Event) { e.Kind = KindStationUpserted }), vOrigin, CodeHubOnly},
		{"sign-up outcome", with(facts[KindActivitySignedUp], func(e *Event) { e.Kind = KindActivitySignUpStatus }), vOrigin, CodeHubOnly},
		{"claim resolution", with(facts[KindCaseAccepted], func(e *Event) { e.Kind = KindCaseCoHandler }), vOrigin, CodeHubOnly},
		{"staff reply", with(facts[KindCaseProgress], func(e *Event) { e.Kind = KindCaseReplied }), vOrigin, CodeHubOnly},
		{"id not a UUID", with(sub, func(e *Event) { e.ID = "dev-000001" }), vOrigin, CodeBadID},
		{"upper-case UUID", with(sub, func(e *Event) { e.ID = strings.ToUpper(e.ID) }), vOrigin, CodeBadID},
		{"another device", with(sub, func(e *Event) { e.Device = "someone-else" }), vOrigin, CodeWrongDevice},
		{"another station", with(sub, func(e *Event) { e.Station = "HX02" }), vOrigin, CodeScope},
		{"station code form", with(sub, func(e *Event) { e.Station = "hx 01" }), vOrigin, CodeBadID},
		{"before 2020", with(sub, func(e *Event) { e.At = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }), vOrigin, CodeBadTime},
		{"year 0", with(sub, func(e *Event) { e.At = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) }), vOrigin, CodeBadTime},
		{"two days ahead", with(sub, func(e *Event) { e.At = vNow.Add(49 * time.Hour) }), vOrigin, CodeBadTime},
		{"staff actor", with(sub, func(e *Event) { e.Actor = Actor{Role: RoleStaff, ID: "x"} }), vOrigin, CodeActorRole},
		{"representative submits", with(sub, func(e *Event) { e.Actor = Actor{Role: RoleRepresentative, ID: "HX01-R01"} }), vOrigin, CodeActorRole},
		{"actor name too long", with(sub, func(e *Event) { e.Actor.Name = strings.Repeat("张", MaxNameRunes+1) }), vOrigin, CodeTooLong},
		{"anonymous with an id", with(sub, func(e *Event) { e.Actor = Actor{Role: RoleAnonymous, ID: vResident} }), vOrigin, CodeBadValue},
		{"case stream not a UUID", with(sub, func(e *Event) { e.Stream = "case-1" }), vOrigin, CodeBadID},
		{"payload not JSON", withData(sub, `{"text":`), vOrigin, CodeSchema},
		{"payload an array", withData(sub, `[1]`), vOrigin, CodeSchema},
		{"payload null", withData(sub, `null`), vOrigin, CodeSchema},
		{"unknown field", withData(sub, strings.Replace(string(sub.Data), `{`, `{"status":"confirmed",`, 1)), vOrigin, CodeSchema},
		{"key twice", withData(sub, strings.Replace(string(sub.Data), `{`, `{"text":"短",`, 1)), vOrigin, CodeSchema},
		{"key twice, escaped", withData(sub, strings.Replace(string(sub.Data), `{`, `{"t\u0065xt":"短",`, 1)), vOrigin, CodeSchema},
		{"too deep", withData(sub, deep), vOrigin, CodeTooDeep},
		{"too large", withData(sub, `{"text":"`+strings.Repeat("a", MaxFactData)+`"}`), vOrigin, CodeTooLarge},
		{"invalid UTF-8", withData(sub, strings.Replace(string(sub.Data), "楼下", "\xff\xfe", 1)), vOrigin, CodeBadText},
		{"lone surrogate", withData(sub, strings.Replace(string(sub.Data), "楼下", `\ud800`, 1)), vOrigin, CodeBadText},
		{"escaped NUL", withData(sub, strings.Replace(string(sub.Data), "楼下", `\u0000`, 1)), vOrigin, CodeBadText},
		{"wrong type", withData(sub, strings.Replace(string(sub.Data), `"anonymous":false`, `"anonymous":"no"`, 1)), vOrigin, CodeSchema},
		{"text missing", subData(func(p *CaseSubmitted) { p.Text = "  " }), vOrigin, CodeSchema},
		{"text too long", subData(func(p *CaseSubmitted) { p.Text = strings.Repeat("字", MaxTextRunes+1) }), vOrigin, CodeTooLong},
		{"building too long", subData(func(p *CaseSubmitted) { p.Building = strings.Repeat("楼", MaxAddressRunes+1) }), vOrigin, CodeTooLong},
		{"number of another station", subData(func(p *CaseSubmitted) { p.Number = "HX02-K1-20260302-0001" }), vOrigin, CodeScope},
		{"number of another kiosk", subData(func(p *CaseSubmitted) { p.Number = "HX01-K2-20260302-0001" }), vOrigin, CodeScope},
		{"number without a day", subData(func(p *CaseSubmitted) { p.Number = "HX01-K1-2026030-0001" }), vOrigin, CodeBadID},
		{"number on 30 February", subData(func(p *CaseSubmitted) { p.Number = "HX01-K1-20260230-0001" }), vOrigin, CodeBadID},
		{"number far ahead", subData(func(p *CaseSubmitted) { p.Number = "HX01-K1-20270302-0001" }), vOrigin, CodeBadTime},
		{"short token", subData(func(p *CaseSubmitted) { p.Token = "abc" }), vOrigin, CodeBadID},
		{"phone letters", subData(func(p *CaseSubmitted) { p.Phone = "call me" }), vOrigin, CodeBadValue},
		{"claim for someone else", with(facts[KindCaseAccepted], func(e *Event) { e.Data = mustData(t, CaseAccepted{RepID: "HX01-R02"}) }), vOrigin, CodeBadValue},
		{"resident marks a withdrawal a reply", with(facts[KindCaseWithdrawn], func(e *Event) {
			e.Data = mustData(t, CaseNote{Note: "已自行解决", ToResident: true})
		}), vOrigin, CodeBadValue},
		{"rating not in the set", with(facts[KindCaseRated], func(e *Event) { e.Data = mustData(t, CaseRated{Rating: "great"}) }), vOrigin, CodeBadValue},
		{"duty on another rep's stream", with(facts[KindDutySignedIn], func(e *Event) { e.Stream = "duty:HX01:HX01-R02" }), vOrigin, CodeBadID},
		{"sign-up via phone", with(facts[KindActivitySignedUp], func(e *Event) {
			e.Data = mustData(t, ActivityCheckIn{ActivityID: "HX01-A01", PersonID: vResident, Via: "phone"})
		}), vOrigin, CodeBadValue},
		{"sign-up for someone else", with(facts[KindActivitySignedUp], func(e *Event) {
			e.Data = mustData(t, ActivityCheckIn{ActivityID: "HX01-A01", PersonID: "R-ffffffffffffffffffff", Via: ViaKioskCard})
		}), vOrigin, CodeBadValue},
		{"sign-up asserting its place", withData(facts[KindActivitySignedUp],
			`{"activity_id":"HX01-A01","person_id":"`+vResident+`","via":"kiosk-card","nonce":"","status":"confirmed","position":1}`), vOrigin, CodeSchema},
		{"registration of another stream", with(facts[KindResidentRegistered], func(e *Event) { e.Stream = vResident }), vOrigin, CodeBadID},
		{"reception number of another kiosk", with(facts[KindReceptionLogged], func(e *Event) {
			e.Data = mustData(t, Reception{RepID: "HX01-R01", Topic: "x", CaseNumber: "HX01-K9-20260302-0001"})
		}), vOrigin, CodeScope},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateFact(tc.ev, tc.from, vNow)
			if got := RefusalCode(err); got != tc.want {
				t.Fatalf("code %q (%v), want %q", got, err, tc.want)
			}
			if !errors.Is(err, ErrFact) {
				t.Fatalf("%v does not match ErrFact", err)
			}
		})
	}
}

func TestValidateFactAdmitsAClockADayAhead(t *testing.T) {
	t.Parallel()
	ev := validFacts(t)[KindCaseProgress]
	ev.At = vNow.Add(MaxFactAhead - time.Minute)
	if err := ValidateFact(ev, vOrigin, vNow); err != nil {
		t.Fatal(err)
	}
}

// FuzzValidateFact feeds arbitrary payloads, times and strings to the validator: it must never
// panic, and whatever it admits must survive what the hub does with a fact for ever: encode it
// again, decode its payload as its kind, and hold only valid UTF-8 within the bounds.
func FuzzValidateFact(f *testing.F) {
	facts := validFacts(f)
	for kind, ev := range facts {
		f.Add(string(kind), string(ev.Data), ev.Stream, ev.Actor.ID, ev.Actor.Name, ev.At.Unix())
	}
	f.Add(string(KindCaseSubmitted), `{"text":"\ud800"}`, vCase, vResident, "", vNow.Unix())
	f.Add(string(KindCaseSubmitted), `{"text":[[[[[[[[]]]]]]]]}`, vCase, vResident, "", vNow.Unix())
	f.Add(string(KindCaseProgress), `{"note":"a","note":"b"}`, vCase, "HX01-R01", "张三", int64(-62135596800))
	f.Add(string(KindActivitySignedUp), "{\"activity_id\":\"A\xff\"}", "activity:A", vResident, "\xff", int64(253402300800))
	f.Fuzz(func(t *testing.T, kind, data, stream, actorID, actorName string, at int64) {
		base, ok := facts[Kind(kind)]
		if !ok {
			base = facts[KindCaseSubmitted]
			base.Kind = Kind(kind)
		}
		base.Data, base.Stream, base.Actor.ID, base.Actor.Name = json.RawMessage(data), stream, actorID, actorName
		base.At = time.Unix(at, 0).UTC()
		err := ValidateFact(base, vOrigin, vNow)
		if err != nil {
			if RefusalCode(err) == "" {
				t.Fatalf("refusal without a code: %v", err)
			}
			return
		}
		b, err := json.Marshal(base)
		if err != nil {
			t.Fatalf("admitted fact does not encode: %v", err)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil || !back.At.Equal(base.At) {
			t.Fatalf("admitted fact does not decode: %v", err)
		}
		if len(data) > MaxFactData {
			t.Fatalf("admitted %d bytes", len(data))
		}
		var anyv any
		if err := json.Unmarshal(base.Data, &anyv); err != nil {
			t.Fatalf("admitted payload does not decode: %v", err)
		}
		if !validStrings(anyv) {
			t.Fatalf("admitted payload holds invalid text: %q", data)
		}
	})
}

func validStrings(v any) bool {
	switch v := v.(type) {
	case string:
		return !strings.ContainsRune(v, '\uFFFD') && !strings.ContainsRune(v, 0)
	case []any:
		for _, x := range v {
			if !validStrings(x) {
				return false
			}
		}
	case map[string]any:
		for k, x := range v {
			if !validStrings(k) || !validStrings(x) {
				return false
			}
		}
	}
	return true
}

// FuzzValidateJSONShape checks the shape scanner against encoding/json on any well-formed
// input: it never panics and never admits a nesting deeper than its bound.
func FuzzValidateJSONShape(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,{"b":"c"}]}`, `{"a":"\u00e9\ud83d\ude00"}`, `{"a":1,"a":2}`,
		`{"a":"\\"}`, `{"\"":1,"\\"":2}`, `[[[]]]`, `{"a":{"b":{"c":{"d":{}}}}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			return
		}
		err := checkJSONShape([]byte(s))
		if err == nil {
			var v any
			if json.Unmarshal([]byte(s), &v) != nil || depth(v) > MaxFactDepth {
				t.Fatalf("admitted %q", s)
			}
		}
	})
}

func depth(v any) int {
	d := 0
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			d = max(d, depth(x))
		}
		return d + 1
	case map[string]any:
		for _, x := range v {
			d = max(d, depth(x))
		}
		return d + 1
	}
	return 0
}

// BenchmarkValidateFact measures the validator on a typical submission, the cost ingest adds
// to each fact before it queues.
func BenchmarkValidateFact(b *testing.B) {
	ev := validFacts(b)[KindCaseSubmitted]
	b.ReportAllocs()
	for b.Loop() {
		if err := ValidateFact(ev, vOrigin, vNow); err != nil {
			b.Fatal(err)
		}
	}
}
