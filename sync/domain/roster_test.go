package domain

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

var rosterStart = time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)

type rosterLog struct {
	t   *testing.T
	r   *Roster
	n   int
	act Activity
}

func newRosterLog(t *testing.T, capacity int) *rosterLog {
	l := &rosterLog{t: t, r: NewRoster(), act: Activity{ID: "HX01-A01", Station: "HX01", Title: "议事会",
		Starts: rosterStart, Ends: rosterStart.Add(2 * time.Hour), Capacity: capacity}}
	l.upsert(func(*Activity) {})
	return l
}

func (l *rosterLog) event(kind Kind, at time.Time, v any) Event {
	l.t.Helper()
	l.n++
	data, err := json.Marshal(v)
	if err != nil {
		l.t.Fatal(err)
	}
	return Event{ID: fmt.Sprintf("e%03d", l.n), Kind: kind, Stream: "activity:" + l.act.ID, At: at, Data: data}
}

func (l *rosterLog) upsert(change func(*Activity)) {
	change(&l.act)
	l.r.Fold(l.event(KindActivityUpserted, rosterStart.Add(-48*time.Hour), l.act))
}

func (l *rosterLog) mark(kind Kind, person string, at time.Time) {
	l.r.Fold(l.event(kind, at, ActivityCheckIn{ActivityID: l.act.ID, PersonID: person, Via: ViaKioskCard}))
}

func (l *rosterLog) signUp(person string) {
	l.mark(KindActivitySignedUp, person, rosterStart.Add(-time.Hour))
}
func (l *rosterLog) cancel(person string) {
	l.mark(KindActivitySignUpCancelled, person, rosterStart.Add(-time.Hour))
}

// say folds the hub's answers, as the hub records them, and returns them.
func (l *rosterLog) say() []SignUpStatus {
	out := l.r.Unsaid()
	for _, st := range out {
		l.r.Fold(l.event(KindActivitySignUpStatus, rosterStart, st))
	}
	if again := l.r.Unsaid(); len(again) != 0 {
		l.t.Fatalf("answers still unsaid after saying them: %+v", again)
	}
	return out
}

func (l *rosterLog) want(confirmed, waiting []string) {
	l.t.Helper()
	if got := l.r.Confirmed(); !slices.Equal(got, confirmed) {
		l.t.Errorf("confirmed %v, want %v", got, confirmed)
	}
	if got := l.r.Waiting(); !slices.Equal(got, waiting) {
		l.t.Errorf("waiting %v, want %v", got, waiting)
	}
}

func TestRosterWaitlistAndPromotionInOrder(t *testing.T) {
	l := newRosterLog(t, 2)
	for _, p := range []string{"a", "b", "c", "d"} {
		l.signUp(p)
	}
	l.want([]string{"a", "b"}, []string{"c", "d"})
	said := l.say()
	if len(said) != 4 || said[2].Status != SignUpWaitlisted || said[2].Position != 1 || said[3].Position != 2 {
		t.Fatalf("first answers %+v", said)
	}
	l.cancel("a")
	l.want([]string{"b", "c"}, []string{"d"})
	said = l.say()
	byPerson := map[string]SignUpStatus{}
	for _, st := range said {
		byPerson[st.PersonID] = st
	}
	if len(said) != 3 || byPerson["a"].Status != SignUpCancelled || byPerson["a"].Reason != "" ||
		!byPerson["c"].Promoted || byPerson["c"].Status != SignUpConfirmed ||
		byPerson["d"].Position != 1 || byPerson["d"].Promoted {
		t.Fatalf("answers after a cancellation %+v", said)
	}
	// a cancelled person who signs up again joins the end of the line
	l.signUp("a")
	l.want([]string{"b", "c"}, []string{"d", "a"})
	if st, _ := l.r.Place("a"); st.Status != SignUpWaitlisted || st.Position != 2 {
		t.Fatalf("a back: %+v", st)
	}
}

func TestRosterRepeatAndStrayMarks(t *testing.T) {
	l := newRosterLog(t, 1)
	l.signUp("a")
	l.signUp("b")
	l.say()
	l.signUp("a") // a repeat keeps the place and is answered again
	l.want([]string{"a"}, []string{"b"})
	if said := l.say(); len(said) != 1 || said[0].PersonID != "a" || said[0].Status != SignUpConfirmed || said[0].Answers != "e006" {
		t.Fatalf("repeat answered %+v", said)
	}
	l.cancel("z") // never signed up: answered as cancelled, nobody moves
	l.want([]string{"a"}, []string{"b"})
	if said := l.say(); len(said) != 1 || said[0].PersonID != "z" || said[0].Status != SignUpCancelled {
		t.Fatalf("stray cancel answered %+v", said)
	}
	l.cancel("b")
	l.cancel("b")
	l.want([]string{"a"}, nil)
	if _, ok := l.r.Place("nobody"); ok {
		t.Fatal("a place for someone never seen")
	}
}

func TestRosterCapacityChanges(t *testing.T) {
	l := newRosterLog(t, 3)
	for _, p := range []string{"a", "b", "c", "d", "e"} {
		l.signUp(p)
	}
	l.say()
	l.upsert(func(a *Activity) { a.Capacity = 1 }) // lowered: nobody loses a place
	l.want([]string{"a", "b", "c"}, []string{"d", "e"})
	if said := l.say(); len(said) != 0 {
		t.Fatalf("lowering said %+v", said)
	}
	l.cancel("a")
	l.cancel("b") // still two over the new capacity of one
	l.want([]string{"c"}, []string{"d", "e"})
	l.upsert(func(a *Activity) { a.Capacity = 2 })
	l.want([]string{"c", "d"}, []string{"e"})
	l.upsert(func(a *Activity) { a.Capacity = 0 }) // no limit
	l.want([]string{"c", "d", "e"}, nil)
	promoted := 0
	for _, st := range l.say() {
		if st.Promoted {
			promoted++
		}
	}
	if promoted != 2 {
		t.Fatalf("%d promoted, want d and e", promoted)
	}
}

func TestRosterRefusesOutsideWindowAndWhenCancelled(t *testing.T) {
	l := newRosterLog(t, 5)
	l.upsert(func(a *Activity) {
		a.SignUpOpens = rosterStart.Add(-24 * time.Hour)
		a.SignUpCloses = rosterStart.Add(-2 * time.Hour)
	})
	l.mark(KindActivitySignedUp, "early", rosterStart.Add(-25*time.Hour))
	l.mark(KindActivitySignedUp, "ontime", rosterStart.Add(-3*time.Hour))
	l.mark(KindActivitySignedUp, "late", rosterStart.Add(-2*time.Hour))
	l.want([]string{"ontime"}, nil)
	for p, want := range map[string]string{"early": CodeSignUpNotOpen, "late": CodeSignUpClosed} {
		if st, _ := l.r.Place(p); st.Status != SignUpCancelled || st.Reason != want {
			t.Errorf("%s: %+v, want refused with %s", p, st, want)
		}
	}
	l.upsert(func(a *Activity) { a.SignUpCloses = time.Time{}; a.Cancelled = true })
	l.mark(KindActivitySignedUp, "after", rosterStart.Add(-3*time.Hour))
	if st, _ := l.r.Place("after"); st.Reason != CodeActivityCancelled {
		t.Fatalf("sign-up to a cancelled activity: %+v", st)
	}
	// without a closing time, sign-ups close at the start
	if SignUpRefusal(Activity{Starts: rosterStart}, rosterStart) != CodeSignUpClosed ||
		SignUpRefusal(Activity{Starts: rosterStart}, rosterStart.Add(-time.Second)) != "" {
		t.Fatal("default window")
	}
}

// TestRosterReplayGivesSameAnswers folds a long random-looking history twice, once answering
// after every event and once only at the end: the places agree, and the number confirmed
// never exceeds the capacity when it was never lowered.
func TestRosterReplayGivesSameAnswers(t *testing.T) {
	l := newRosterLog(t, 4)
	people := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	var evs []Event
	for i := 0; i < 200; i++ {
		p := people[(i*7+i/3)%len(people)]
		kind := KindActivitySignedUp
		if (i*5)%3 == 0 {
			kind = KindActivitySignUpCancelled
		}
		ev := l.event(kind, rosterStart.Add(-time.Hour), ActivityCheckIn{ActivityID: l.act.ID, PersonID: p})
		l.r.Fold(ev)
		evs = append(evs, ev)
		if len(l.r.Confirmed()) > 4 {
			t.Fatalf("step %d: %d confirmed", i, len(l.r.Confirmed()))
		}
		if len(l.r.Waiting()) > 0 && len(l.r.Confirmed()) < 4 {
			t.Fatalf("step %d: a free place and a waiter", i)
		}
		l.say()
	}
	first := append([]Event{l.event(KindActivityUpserted, rosterStart, l.act)}, evs...)
	again := FoldRoster(first)
	if !slices.Equal(again.Confirmed(), l.r.Confirmed()) || !slices.Equal(again.Waiting(), l.r.Waiting()) {
		t.Fatalf("replay %v %v, live %v %v", again.Confirmed(), again.Waiting(), l.r.Confirmed(), l.r.Waiting())
	}
}
