package storetest

import (
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Resident is the resident of the test submissions, an id as domain.ResidentID makes one.
const Resident = "R-00000000000000000001"

// CaseID is the case id (a UUID, as stations make them) of a case a test names by a label;
// a label that is already a UUID is its own id.
func CaseID(label string) string {
	if domain.IsUUID(label) {
		return label
	}
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte(label)).String()
}

// CaseNumber is dev's case number for a label: the label itself when it is already a full
// number of the device (STATION-DEVICE-YYYYMMDD-NNNN), otherwise one derived from it. Tests
// that look a case up by number or submit many cases of one device give full numbers, so
// that two labels can never meet on one derived number.
func CaseNumber(dev store.DeviceInfo, label string) string {
	prefix := domain.CaseNumberPrefix(dev.Station, dev.Code)
	if strings.HasPrefix(label, prefix) && len(label) >= len(prefix)+13 {
		return label
	}
	return fmt.Sprintf("%s20261123-%06d", prefix, 1+crc32.ChecksumIEEE([]byte(label))%999999)
}

// NthNumber is dev's n-th case number of 23 November 2026, for tests that submit many cases
// of one device and must never meet two labels on one derived number.
func NthNumber(dev store.DeviceInfo, n int) string {
	return domain.CaseNumber(dev.Station, dev.Code, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), n)
}

// Facts builds the facts of one enrolled kiosk as the kiosk records them, numbered from 1,
// so that every one passes the hub's validation unless a test spoils it on purpose.
type Facts struct {
	Dev store.DeviceInfo
	Seq int64     // the last fact's device sequence
	At  time.Time // the last fact's time; each next one is a minute later
	// Now, when set, dates each fact instead (a test whose clock is the hub's).
	Now func() time.Time
}

// Fact is the device's next fact. The stream of a case kind is CaseID(stream).
func (f *Facts) Fact(t testing.TB, stream string, kind domain.Kind, actor domain.Actor, payload any) domain.Event {
	t.Helper()
	f.Seq++
	if f.Now != nil {
		f.At = f.Now()
	} else {
		f.At = f.At.Add(time.Minute)
	}
	if kind.IsCase() {
		stream = CaseID(stream)
	}
	return domain.Event{ID: domain.NewEventID(), Device: f.Dev.ID, DevSeq: f.Seq, Station: f.Dev.Station,
		Stream: stream, Kind: kind, At: f.At, Actor: actor, Data: mustJSON(t, payload)}
}

// Submission is Resident's submission of case stream with number CaseNumber(number).
func (f *Facts) Submission(t testing.TB, stream, number string) domain.Event {
	t.Helper()
	return f.SubmissionOf(t, stream, domain.CaseSubmitted{Number: number, Category: "env",
		Text: "测试：楼下垃圾未清运"})
}

// SubmissionOf is Resident's submission of case stream with the test's payload, its number
// made CaseNumber(p.Number) and the token, resident and surname a kiosk adds filled in.
func (f *Facts) SubmissionOf(t testing.TB, stream string, p domain.CaseSubmitted) domain.Event {
	t.Helper()
	p.Number = CaseNumber(f.Dev, p.Number)
	if p.Token == "" {
		p.Token = domain.NewToken()
	}
	p.ResidentID, p.SurnameMask = Resident, "张*"
	return f.Fact(t, stream, domain.KindCaseSubmitted,
		domain.Actor{Role: domain.RoleResident, ID: Resident, Name: p.SurnameMask}, p)
}

// Claim is representative rep taking case stream on the kiosk.
func (f *Facts) Claim(t testing.TB, stream, rep, name string) domain.Event {
	t.Helper()
	return f.Fact(t, stream, domain.KindCaseAccepted,
		domain.Actor{Role: domain.RoleRepresentative, ID: rep, Name: name},
		domain.CaseAccepted{RepID: rep, RepName: name})
}
