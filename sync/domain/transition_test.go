package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// expectedGrid is the lifecycle as docs/case-lifecycle.md states it, written out by hand and
// independently of the permission table in transition.go: for each state, the event kinds
// that are legal and the roles (R resident, A anonymous, P representative, S staff,
// D department, Y system) that may record them. Everything not listed is illegal.
var expectedGrid = map[State]string{
	StateNew:        "sub:RA",
	StateSubmitted:  "acc:PS sup:S clo:S wdr:RA mrg:S",
	StateAccepted:   "asg:S prg:P sup:S rep:S clo:S wdr:RA mrg:S coh:Y esc:S",
	StateAssigned:   "asg:S prg:PD ret:D sup:S rep:SD clo:S wdr:RA mrg:S coh:Y",
	StateInProgress: "asg:S prg:PD ret:D sup:S rep:SD clo:S wdr:RA mrg:S coh:Y",
	StateReturned:   "asg:S sup:S rep:S clo:S wdr:RA mrg:S coh:Y esc:S",
	StateReplied:    "sup:S rat:RA reo:S clo:SY coh:Y",
	StateReopened:   "asg:S prg:PD ret:D sup:S rep:SD clo:S wdr:RA mrg:S coh:Y",
	StateClosed:     "reo:S coh:Y",
	StateWithdrawn:  "coh:Y",
	StateMerged:     "coh:Y",
}

var gridKinds = map[string]Kind{
	"sub": KindCaseSubmitted, "acc": KindCaseAccepted, "asg": KindCaseAssigned,
	"prg": KindCaseProgress, "ret": KindCaseReturned, "sup": KindCaseSupervised,
	"rep": KindCaseReplied, "rat": KindCaseRated, "reo": KindCaseReopened,
	"clo": KindCaseClosed, "wdr": KindCaseWithdrawn, "mrg": KindCaseMerged,
	"coh": KindCaseCoHandler, "esc": KindCaseEscalated,
}

var gridRoles = map[byte]Role{
	'R': RoleResident, 'A': RoleAnonymous, 'P': RoleRepresentative,
	'S': RoleStaff, 'D': RoleDepartment, 'Y': RoleSystem,
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // a Monday

func actorFor(r Role) Actor {
	switch r {
	case RoleResident:
		return Actor{Role: r, ID: "res-1", Name: "张*"}
	case RoleRepresentative:
		return Actor{Role: r, ID: "rep-1", Name: "测试代表"}
	case RoleStaff:
		return Actor{Role: r, ID: "staff-1", Name: "测试工委"}
	case RoleDepartment:
		return Actor{Role: r, ID: "D01", Name: "测试街道城管科"}
	}
	return Actor{Role: r}
}

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func submission(anonymous bool) CaseSubmitted {
	p := CaseSubmitted{Number: "HX01-K1-20261123-0001", Token: "tok", Category: "env",
		Text: "楼道灯坏了", Community: "测试社区", ResidentID: "res-1", SurnameMask: "张*"}
	if anonymous {
		p.Anonymous, p.ResidentID, p.SurnameMask = true, "", ""
	}
	return p
}

// validPayload returns a payload for kind that passes every payload check.
func validPayload(t testing.TB, k Kind, anonymous bool) json.RawMessage {
	switch k {
	case KindCaseSubmitted:
		return mustJSON(t, submission(anonymous))
	case KindCaseAccepted:
		return mustJSON(t, CaseAccepted{})
	case KindCaseAssigned:
		return mustJSON(t, CaseAssigned{DeptCode: "D01", DeptName: "测试街道城管科"})
	case KindCaseReplied:
		return mustJSON(t, CaseReplied{Reply: "已修复"})
	case KindCaseRated:
		return mustJSON(t, CaseRated{Rating: RatingSatisfied})
	case KindCaseMerged:
		return mustJSON(t, CaseMerged{Into: "case-other"})
	case KindCaseCoHandler:
		return mustJSON(t, CaseCoHandler{RepID: "rep-2", RepName: "测试代表二"})
	case KindCaseEscalated:
		return mustJSON(t, CaseEscalated{To: "QU", ToName: "示范区"})
	}
	return mustJSON(t, CaseNote{Note: "说明"})
}

type step struct {
	kind Kind
	role Role
	data any
}

// pathTo lists the events that bring a case into each state.
func pathTo(s State) []step {
	sub := []step{{KindCaseSubmitted, RoleResident, nil}}
	acc := append(sub, step{KindCaseAccepted, RoleRepresentative, nil})
	asg := append(acc, step{KindCaseAssigned, RoleStaff, nil})
	prg := append(asg, step{KindCaseProgress, RoleDepartment, nil})
	rep := append(prg, step{KindCaseReplied, RoleDepartment, nil})
	switch s {
	case StateNew:
		return nil
	case StateSubmitted:
		return sub
	case StateAccepted:
		return acc
	case StateAssigned:
		return asg
	case StateInProgress:
		return prg
	case StateReturned:
		return append(asg, step{KindCaseReturned, RoleDepartment, nil})
	case StateReplied:
		return rep
	case StateReopened:
		return append(rep, step{KindCaseRated, RoleResident, CaseRated{Rating: RatingUnsatisfied}})
	case StateClosed:
		return append(rep, step{KindCaseRated, RoleResident, nil})
	case StateWithdrawn:
		return append(sub, step{KindCaseWithdrawn, RoleResident, nil})
	case StateMerged:
		return append(sub, step{KindCaseMerged, RoleStaff, nil})
	}
	panic("no path to " + s)
}

func buildEvents(t testing.TB, steps []step, anonymous bool) []Event {
	var evs []Event
	for i, s := range steps {
		role := s.role
		if anonymous && (role == RoleResident) {
			role = RoleAnonymous
		}
		data := validPayload(t, s.kind, anonymous)
		if s.data != nil {
			data = mustJSON(t, s.data)
		}
		evs = append(evs, Event{ID: fmt.Sprintf("e%d", i+1), Stream: "case-1", Station: "HX01",
			Kind: s.kind, At: t0.Add(time.Duration(i) * time.Hour), Actor: actorFor(role), Data: data})
	}
	return evs
}

func caseIn(t testing.TB, s State, anonymous bool) Case {
	t.Helper()
	var c Case
	for _, ev := range buildEvents(t, pathTo(s), anonymous) {
		var err error
		if c, err = Transition(c, ev, DefaultRules()); err != nil {
			t.Fatalf("path to %s: %v", s, err)
		}
	}
	if c.State != s {
		t.Fatalf("path to %s ended in %s", s, c.State)
	}
	return c
}

func parseGrid(t *testing.T) map[State]map[Kind]map[Role]bool {
	out := map[State]map[Kind]map[Role]bool{}
	for s, line := range expectedGrid {
		out[s] = map[Kind]map[Role]bool{}
		for _, f := range strings.Fields(line) {
			k, roles, ok := strings.Cut(f, ":")
			if !ok || gridKinds[k] == "" {
				t.Fatalf("bad grid cell %q", f)
			}
			out[s][gridKinds[k]] = map[Role]bool{}
			for i := 0; i < len(roles); i++ {
				out[s][gridKinds[k]][gridRoles[roles[i]]] = true
			}
		}
	}
	return out
}

func expectedNext(from State, k Kind) State {
	switch k {
	case KindCaseSubmitted:
		return StateSubmitted
	case KindCaseAccepted:
		return StateAccepted
	case KindCaseAssigned:
		return StateAssigned
	case KindCaseProgress:
		if from == StateAccepted {
			return StateAccepted
		}
		return StateInProgress
	case KindCaseReturned:
		return StateReturned
	case KindCaseReplied:
		return StateReplied
	case KindCaseRated, KindCaseClosed:
		return StateClosed
	case KindCaseReopened:
		return StateReopened
	case KindCaseWithdrawn:
		return StateWithdrawn
	case KindCaseMerged:
		return StateMerged
	case KindCaseEscalated:
		return StateAccepted
	}
	return from // supervise, cohandler
}

func TestTransitionEveryCombination(t *testing.T) {
	t.Parallel()
	grid := parseGrid(t)
	states := []State{StateNew, StateSubmitted, StateAccepted, StateAssigned, StateInProgress,
		StateReturned, StateReplied, StateReopened, StateClosed, StateWithdrawn, StateMerged}
	roles := []Role{RoleResident, RoleAnonymous, RoleRepresentative, RoleStaff, RoleDepartment,
		RoleSystem, Role("stranger")}
	legal := 0
	for _, s := range states {
		named, anon := caseIn(t, s, false), caseIn(t, s, true)
		for _, k := range gridKinds {
			for _, role := range roles {
				name := fmt.Sprintf("%s/%s/%s", s, k, role)
				c := named
				if role == RoleAnonymous {
					c = anon
				}
				ev := Event{ID: "probe", Stream: "case-1", Station: "HX01", Kind: k,
					At: t0.Add(30 * 24 * time.Hour), Actor: actorFor(role),
					Data: validPayload(t, k, role == RoleAnonymous)}
				want := grid[s][k][role]
				got, err := Transition(c, ev, DefaultRules())
				if want {
					legal++
					if err != nil {
						t.Errorf("%s: want legal, got %v", name, err)
						continue
					}
					if next := expectedNext(s, k); got.State != next {
						t.Errorf("%s: state %s, want %s", name, got.State, next)
					}
					if got.Version != c.Version+1 || !got.UpdatedAt.Equal(ev.At) {
						t.Errorf("%s: version/updated not advanced", name)
					}
					if Allowed(s, k, role) != true {
						t.Errorf("%s: Allowed disagrees", name)
					}
					continue
				}
				var te *TransitionError
				if !errors.As(err, &te) || !errors.Is(err, ErrIllegalTransition) {
					t.Errorf("%s: want TransitionError, got %v", name, err)
					continue
				}
				if te.From != s || te.Kind != k || te.Reason == nil {
					t.Errorf("%s: error fields %+v", name, te)
				} else if _, ok := LookupCode(te.Reason.Code); !ok {
					t.Errorf("%s: reason %q is not a registered code", name, te.Reason.Code)
				}
				if te.Code != CodeRole && te.Code != CodeState {
					t.Errorf("%s: code %s, want role or state", name, te.Code)
				}
				if got.State != c.State || got.Version != c.Version {
					t.Errorf("%s: illegal event changed the case", name)
				}
			}
		}
	}
	if legal != 75 {
		t.Errorf("grid has %d legal combinations, want 75 (grid or test changed?)", legal)
	}
}

func TestTransitionChecks(t *testing.T) {
	t.Parallel()
	rules := DefaultRules()
	later := t0.Add(30 * 24 * time.Hour)
	cases := []struct {
		name  string
		from  State
		anon  bool
		kind  Kind
		actor Actor
		data  any
		at    time.Time
		code  TransitionCode
	}{
		{"other resident rates", StateReplied, false, KindCaseRated, Actor{Role: RoleResident, ID: "res-9"}, CaseRated{Rating: RatingSatisfied}, later, CodeIdentity},
		{"anonymous rates named case", StateReplied, false, KindCaseRated, Actor{Role: RoleAnonymous}, CaseRated{Rating: RatingSatisfied}, later, CodeIdentity},
		{"resident rates anonymous case", StateReplied, true, KindCaseRated, Actor{Role: RoleResident, ID: "res-1"}, CaseRated{Rating: RatingSatisfied}, later, CodeIdentity},
		{"invalid rating", StateReplied, false, KindCaseRated, actorFor(RoleResident), CaseRated{Rating: "great"}, later, CodePayload},
		{"empty rating", StateReplied, false, KindCaseRated, actorFor(RoleResident), CaseRated{}, later, CodePayload},
		{"other department progresses", StateAssigned, false, KindCaseProgress, Actor{Role: RoleDepartment, ID: "D02"}, CaseNote{Note: "x"}, later, CodeIdentity},
		{"other department replies", StateInProgress, false, KindCaseReplied, Actor{Role: RoleDepartment, ID: "D02"}, CaseReplied{Reply: "x"}, later, CodeIdentity},
		{"other representative progresses", StateAccepted, false, KindCaseProgress, Actor{Role: RoleRepresentative, ID: "rep-9"}, CaseNote{Note: "x"}, later, CodeIdentity},
		{"other resident withdraws", StateSubmitted, false, KindCaseWithdrawn, Actor{Role: RoleResident, ID: "res-9"}, CaseNote{}, later, CodeIdentity},
		{"empty progress note", StateAssigned, false, KindCaseProgress, actorFor(RoleDepartment), CaseNote{}, later, CodePayload},
		{"return without reason", StateAssigned, false, KindCaseReturned, actorFor(RoleDepartment), CaseNote{Note: "  "}, later, CodePayload},
		{"reopen without reason", StateClosed, false, KindCaseReopened, actorFor(RoleStaff), CaseNote{}, later, CodePayload},
		{"close unreplied without reason", StateAssigned, false, KindCaseClosed, actorFor(RoleStaff), CaseNote{}, later, CodePayload},
		{"empty reply", StateInProgress, false, KindCaseReplied, actorFor(RoleStaff), CaseReplied{}, later, CodePayload},
		{"assign without department", StateAccepted, false, KindCaseAssigned, actorFor(RoleStaff), CaseAssigned{}, later, CodePayload},
		{"assign due in the past", StateAccepted, false, KindCaseAssigned, actorFor(RoleStaff), CaseAssigned{DeptCode: "D01", Due: t0}, later, CodePayload},
		{"merge into itself", StateSubmitted, false, KindCaseMerged, actorFor(RoleStaff), CaseMerged{Into: "case-1"}, later, CodePayload},
		{"merge nowhere", StateSubmitted, false, KindCaseMerged, actorFor(RoleStaff), CaseMerged{}, later, CodePayload},
		{"cohandler is the claimant", StateAccepted, false, KindCaseCoHandler, actorFor(RoleSystem), CaseCoHandler{RepID: "rep-1"}, later, CodePayload},
		{"representative claims for another", StateSubmitted, false, KindCaseAccepted, actorFor(RoleRepresentative), CaseAccepted{RepID: "rep-9"}, later, CodePayload},
		{"close unrated too early", StateReplied, false, KindCaseClosed, actorFor(RoleSystem), CaseNote{}, t0.Add(5 * 24 * time.Hour), CodeTooEarly},
		{"not a case event", StateSubmitted, false, KindDutySignedIn, actorFor(RoleStaff), CaseNote{}, later, CodeNotCase},
		{"anonymous submission with identity", StateNew, true, KindCaseSubmitted, actorFor(RoleAnonymous), submission(false), later, CodePayload},
		{"named submission without identity", StateNew, false, KindCaseSubmitted, actorFor(RoleResident), submission(true), later, CodePayload},
		{"submission without text", StateNew, false, KindCaseSubmitted, actorFor(RoleResident), CaseSubmitted{Number: "n", Token: "t", ResidentID: "res-1"}, later, CodePayload},
		{"submission without number", StateNew, false, KindCaseSubmitted, actorFor(RoleResident), CaseSubmitted{Token: "t", Text: "x", ResidentID: "res-1"}, later, CodePayload},
		{"submission for someone else", StateNew, false, KindCaseSubmitted, Actor{Role: RoleResident, ID: "res-9"}, submission(false), later, CodePayload},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := caseIn(t, tc.from, tc.anon)
			ev := Event{ID: "x", Stream: "case-1", Kind: tc.kind, At: tc.at, Actor: tc.actor, Data: mustJSON(t, tc.data)}
			_, err := Transition(c, ev, rules)
			var te *TransitionError
			if !errors.As(err, &te) || te.Code != tc.code {
				t.Fatalf("err = %v, want code %s", err, tc.code)
			}
		})
	}
}

func TestTransitionWrongStream(t *testing.T) {
	t.Parallel()
	c := caseIn(t, StateSubmitted, false)
	ev := Event{ID: "x", Stream: "case-2", Kind: KindCaseSupervised, At: t0, Actor: actorFor(RoleStaff)}
	if _, err := Transition(c, ev, DefaultRules()); !errors.Is(err, ErrIllegalTransition) {
		t.Fatalf("event of another stream applied: %v", err)
	}
}

func TestTransitionEffects(t *testing.T) {
	t.Parallel()
	rules := DefaultRules()
	c := caseIn(t, StateReopened, false)
	if c.ReopenCount != 1 || c.Rating != RatingUnsatisfied || c.ClosedAt != (time.Time{}) {
		t.Errorf("unsatisfied rating: %+v", c)
	}
	if want := rules.HandleDeadline(c.ReopenedAt, c.Category); !c.Due.Equal(want) {
		t.Errorf("reopened due %v, want %v", c.Due, want)
	}
	closed := caseIn(t, StateClosed, false)
	if closed.Rating != RatingSatisfied || closed.ClosedUnrated || closed.ClosedAt.IsZero() {
		t.Errorf("satisfied rating: %+v", closed)
	}
	sub := caseIn(t, StateSubmitted, false)
	if sub.Number == "" || sub.Token == "" || sub.Station != "HX01" || sub.ResidentID != "res-1" || sub.SurnameMask != "张*" {
		t.Errorf("submission not projected: %+v", sub)
	}
	acc := caseIn(t, StateAccepted, false)
	if acc.RepID != "rep-1" || acc.RepName != "测试代表" {
		t.Errorf("claim: rep %q %q", acc.RepID, acc.RepName)
	}
	asg := caseIn(t, StateAssigned, false)
	if asg.DeptCode != "D01" || !asg.Due.Equal(rules.HandleDeadline(asg.AssignedAt, asg.Category)) {
		t.Errorf("assign: %+v", asg)
	}

	sup := Event{ID: "s", Stream: "case-1", Kind: KindCaseSupervised, At: t0.Add(40 * time.Hour), Actor: actorFor(RoleStaff)}
	for i := 0; i < 2; i++ {
		var err error
		if asg, err = Transition(asg, sup, rules); err != nil {
			t.Fatal(err)
		}
	}
	if asg.SupervisedCount != 2 || asg.State != StateAssigned {
		t.Errorf("supervise: count %d state %s", asg.SupervisedCount, asg.State)
	}

	coh := Event{ID: "c", Stream: "case-1", Kind: KindCaseCoHandler, At: t0.Add(41 * time.Hour),
		Actor: actorFor(RoleSystem), Data: mustJSON(t, CaseCoHandler{RepID: "rep-2", RepName: "测试代表二"})}
	for i := 0; i < 2; i++ {
		var err error
		if asg, err = Transition(asg, coh, rules); err != nil {
			t.Fatal(err)
		}
	}
	if len(asg.CoHandlers) != 1 || asg.CoHandlers[0].RepID != "rep-2" {
		t.Errorf("cohandlers %+v", asg.CoHandlers)
	}
	// a co-handler may record progress
	prg := Event{ID: "p", Stream: "case-1", Kind: KindCaseProgress, At: t0.Add(42 * time.Hour),
		Actor: Actor{Role: RoleRepresentative, ID: "rep-2"}, Data: mustJSON(t, CaseNote{Note: "走访"})}
	if _, err := Transition(asg, prg, rules); err != nil {
		t.Errorf("co-handler progress: %v", err)
	}

	replied := caseIn(t, StateReplied, false)
	unrated := Event{ID: "u", Stream: "case-1", Kind: KindCaseClosed, Actor: actorFor(RoleSystem),
		At: rules.RatingDeadline(replied.RepliedAt)}
	got, err := Transition(replied, unrated, rules)
	if err != nil || !got.ClosedUnrated || got.State != StateClosed {
		t.Errorf("close unrated at the deadline: %v %+v", err, got)
	}
	reo := Event{ID: "r", Stream: "case-1", Kind: KindCaseReopened, Actor: actorFor(RoleStaff),
		At: got.ClosedAt.Add(time.Hour), Data: mustJSON(t, CaseNote{Note: "回访发现仍未解决"})}
	if got, err = Transition(got, reo, rules); err != nil || got.ClosedUnrated || !got.ClosedAt.IsZero() || got.ReopenCount != 1 {
		t.Errorf("reopen after close: %v %+v", err, got)
	}
}

func TestTransitionDoesNotAlias(t *testing.T) {
	t.Parallel()
	c := caseIn(t, StateAccepted, false)
	c.CoHandlers = make([]CoHandler, 1, 4)
	c.CoHandlers[0] = CoHandler{RepID: "rep-3"}
	ev := Event{ID: "c", Stream: "case-1", Kind: KindCaseCoHandler, At: t0.Add(5 * time.Hour),
		Actor: actorFor(RoleSystem), Data: mustJSON(t, CaseCoHandler{RepID: "rep-2"})}
	a, _ := Transition(c, ev, DefaultRules())
	ev.Data = mustJSON(t, CaseCoHandler{RepID: "rep-4"})
	b, _ := Transition(c, ev, DefaultRules())
	if a.CoHandlers[1].RepID != "rep-2" || b.CoHandlers[1].RepID != "rep-4" {
		t.Fatalf("transitions share memory: %+v %+v", a.CoHandlers, b.CoHandlers)
	}
}

func TestAnonymousCaseOwnedByResident(t *testing.T) {
	t.Parallel()
	rules := DefaultRules()
	p := submission(false)
	p.Anonymous = true
	sub := Event{ID: "s", Stream: "case-1", Kind: KindCaseSubmitted, At: t0,
		Actor: actorFor(RoleResident), Data: mustJSON(t, p)}
	c, err := Transition(Case{}, sub, rules)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Anonymous || c.SurnameMask != "" || c.ResidentID != "res-1" {
		t.Fatalf("anonymous submission projected as %+v", c)
	}
	wd := Event{ID: "w", Stream: "case-1", Kind: KindCaseWithdrawn, At: t0.Add(time.Hour), Actor: Actor{Role: RoleAnonymous}}
	if _, err := Transition(c, wd, rules); !errors.Is(err, ErrIllegalTransition) {
		t.Fatal("a token holder withdrew a case that has an owner")
	}
	wd.Actor = actorFor(RoleResident)
	if c, err = Transition(c, wd, rules); err != nil || c.State != StateWithdrawn {
		t.Fatalf("owner withdraw: %v %s", err, c.State)
	}
}

// An escalated case goes back to waiting for assignment, now by the level above: the
// department the street had lets go, and its assign deadline runs from the escalation.
func TestEscalation(t *testing.T) {
	t.Parallel()
	rules := DefaultRules()
	c := caseIn(t, StateReturned, false)
	at := c.UpdatedAt.Add(48 * time.Hour)
	esc := func(c Case, p CaseEscalated, at time.Time) (Case, error) {
		return Transition(c, Event{ID: "esc", Stream: c.ID, Kind: KindCaseEscalated, At: at,
			Actor: actorFor(RoleStaff), Data: mustJSON(t, p)}, rules)
	}
	got, err := esc(c, CaseEscalated{To: "QU", ToName: "示范区", Note: "涉及多个街道"}, at)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != StateAccepted || got.EscalatedTo != "QU" || got.EscalatedToName != "示范区" ||
		!got.EscalatedAt.Equal(at) || got.DeptCode != "" || !got.Due.IsZero() {
		t.Errorf("escalated case: %+v", got)
	}
	if d := Deadline(got, rules); !d.Equal(rules.AssignDeadline(at)) {
		t.Errorf("deadline %v, want the assign deadline from the escalation %v", d, rules.AssignDeadline(at))
	}
	if _, err := esc(got, CaseEscalated{To: "QU"}, at.Add(time.Hour)); !errors.Is(err, ErrIllegalTransition) {
		t.Errorf("escalating to the same node again: %v", err)
	}
	if _, err := esc(got, CaseEscalated{To: " "}, at.Add(time.Hour)); !errors.Is(err, ErrIllegalTransition) {
		t.Errorf("escalating to no node: %v", err)
	}
	// the district passes it to the city
	if up, err := esc(got, CaseEscalated{To: "SHI", ToName: "示范市"}, at.Add(time.Hour)); err != nil || up.EscalatedTo != "SHI" {
		t.Errorf("escalating again, higher: %v %+v", err, up)
	}
	var fe *FactError
	if err := ValidateFact(Event{Kind: KindCaseEscalated}, Origin{Role: DeviceKiosk}, at); !errors.As(err, &fe) || fe.Code != CodeHubOnly {
		t.Errorf("a kiosk sending an escalation: %v, want hub_only", err)
	}
}
