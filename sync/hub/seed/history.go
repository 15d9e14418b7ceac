package seed

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"liaison/sync/domain"
)

// scenario is where a demo case's story ends; the weights give about CaseCount cases whose
// states look like a working station's.
type scenario int

const (
	scSubmitted scenario = iota
	scAccepted
	scAssigned
	scInProgress
	scReturned
	scReplied
	scReopened
	scClosedSatisfied
	scClosedBasically
	scClosedAfterReopen
	scClosedUnrated
	scWithdrawn
	scMerged
)

var scenarioCounts = []struct {
	sc scenario
	n  int
}{
	{scSubmitted, 10}, {scAccepted, 12}, {scAssigned, 16}, {scInProgress, 24}, {scReturned, 8},
	{scReplied, 18}, {scReopened, 8}, {scClosedSatisfied, 50}, {scClosedBasically, 20},
	{scClosedAfterReopen, 8}, {scClosedUnrated, 10}, {scWithdrawn, 10}, {scMerged, 6},
}

// step is one event of a case story, dated by its delay after the previous step.
type step struct {
	after   time.Duration
	kind    domain.Kind
	actor   domain.Actor
	payload any
}

// story builds one case.
type story struct {
	g      *gen
	id     string
	cat    categorySeed
	steps  []step
	rep    domain.Representative
	dept   domain.Department
	sub    domain.CaseSubmitted
	author domain.Actor
}

func (g *gen) hours(lo, hi float64) time.Duration {
	return time.Duration((lo + g.rng.Float64()*(hi-lo)) * float64(time.Hour))
}

// history generates the case events, per case in story order; the caller sorts them by time.
func (g *gen) history() ([]domain.Event, error) {
	var order []scenario
	for _, sc := range scenarioCounts {
		for range max(1, sc.n*g.share/100) {
			order = append(order, sc.sc)
		}
	}
	g.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	var evs []domain.Event
	var mergeTargets []string // ids of earlier cases a duplicate can be merged into
	seqOfDay := map[string]int{}
	waiting := 0 // submitted cases laid out so far
	for _, sc := range order {
		// A working station has a few cases past their deadline, not most of those in hand: an
		// open case is drawn again, story and start, closer to now until it is within its
		// deadline, unless it is one of the late ones.
		late := g.rng.IntN(lateOneIn) == 0
		var s *story
		var out []domain.Event
		for try := 0; ; try++ {
			s = g.newStory()
			if sc == scSubmitted {
				// The cases still waiting for a representative go round the communities, so
				// every community's representatives find new cases on their phone whatever
				// the hour the demo is made at (drawn, one community in five had none).
				cs := g.d.Station.Communities
				s.sub.Community = cs[waiting%len(cs)]
			}
			s.plan(sc, mergeTargets)
			start := g.startFor(sc, s.span(), try)
			day := start.In(g.loc).Format("20060102")
			s.sub.Number = domain.CaseNumber(g.d.Station.Code, DeviceCode, start.In(g.loc), seqOfDay[day]+1)
			var err error
			if out, err = s.events(start); err != nil {
				return nil, err
			}
			if late || try == maxRedraws || !g.overdue(out) {
				seqOfDay[day]++
				break
			}
		}
		evs = append(evs, out...)
		if sc == scSubmitted {
			waiting++
		}
		if sc != scMerged && sc != scWithdrawn {
			mergeTargets = append(mergeTargets, s.id)
		}
	}
	return evs, nil
}

func (g *gen) newStory() *story {
	cat := categories[g.rng.IntN(len(categories))]
	s := &story{g: g, cat: cat, rep: g.d.Representatives[g.rng.IntN(len(g.d.Representatives))]}
	deptCode := g.pick(cat.depts)
	if own, ok := g.streetDepts[deptCode]; ok {
		deptCode = own // the street's own office of that kind
	}
	for _, d := range g.d.Departments {
		if d.Code == deptCode {
			s.dept = d
		}
	}
	s.sub = domain.CaseSubmitted{
		Token:     g.token(),
		Category:  cat.cat.Code,
		Text:      g.pick(cat.texts),
		Community: g.pick(g.d.Station.Communities),
		Building:  g.pick(buildings),
	}
	if g.rng.IntN(5) == 0 {
		s.sub.Anonymous = true
		s.author = domain.Actor{Role: domain.RoleAnonymous}
	} else {
		rid := fmt.Sprintf("demo-res-%04d", g.rng.IntN(10000))
		s.sub.ResidentID = rid
		s.sub.SurnameMask = g.pick(surnames) + "*"
		s.author = domain.Actor{Role: domain.RoleResident, ID: rid, Name: s.sub.SurnameMask}
	}
	return s
}

// token is a status-page token in the form domain.NewToken makes (128 bits, URL-safe
// base64), drawn from the seeded source.
func (g *gen) token() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], g.rng.Uint64())
	binary.BigEndian.PutUint64(b[8:], g.rng.Uint64())
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// startFor picks when a story starts so that it ends before now. Open cases start within the
// last three weeks (some then run past their deadlines); finished ones anywhere in the window.
// lateOneIn: about one open case in this many is left past its deadline.
const lateOneIn = 8

// maxRedraws bounds how often a case's start is drawn again to bring it within its deadline.
const maxRedraws = 12

// overdue tells whether the case told by evs is past its deadline at the generator's now.
func (g *gen) overdue(evs []domain.Event) bool {
	c, _ := domain.Fold(evs, g.rules())
	return domain.Overdue(c, g.now, g.rules())
}

// startFor draws when a case of scenario sc whose steps take span began. Each redraw (try > 0)
// halves the window, so later tries land closer to now.
func (g *gen) startFor(sc scenario, span time.Duration, try int) time.Time {
	window := time.Duration(HistoryDays) * 24 * time.Hour
	switch sc {
	case scSubmitted:
		window = 40 * time.Hour
	case scAccepted, scAssigned, scInProgress, scReturned, scReplied, scReopened:
		window = 21 * 24 * time.Hour
	}
	if try > 0 {
		window = max(window>>min(try, 20), span+time.Hour+time.Minute)
	}
	earliest := g.now.Add(-window)
	latest := g.now.Add(-span - time.Hour)
	if sc == scReplied {
		// Still inside the rating window, or the hub would close it unrated at once.
		earliest = latest.Add(-g.rules().RatingWindow + 6*time.Hour)
	}
	if latest.Before(earliest) {
		latest = earliest.Add(time.Hour)
	}
	t := earliest.Add(time.Duration(g.rng.Int64N(int64(latest.Sub(earliest)))))
	// Nobody walks into the station at night: move the submission into 8:00–19:00.
	l := t.In(g.loc)
	if h := l.Hour(); h < 8 || h >= 19 {
		t = time.Date(l.Year(), l.Month(), l.Day(), 8+g.rng.IntN(11), g.rng.IntN(60), 0, 0, g.loc).UTC()
		if t.After(latest) {
			t = t.Add(-24 * time.Hour)
		}
	}
	return t.Truncate(time.Second)
}

func (s *story) span() time.Duration {
	var d time.Duration
	for _, st := range s.steps {
		d += st.after
	}
	return d
}

func (s *story) add(after time.Duration, kind domain.Kind, actor domain.Actor, payload any) {
	s.steps = append(s.steps, step{after: after, kind: kind, actor: actor, payload: payload})
}

func (s *story) repActor() domain.Actor {
	return domain.Actor{Role: domain.RoleRepresentative, ID: s.rep.ID, Name: s.rep.Name}
}

func (s *story) deptActor() domain.Actor {
	return domain.Actor{Role: domain.RoleDepartment, ID: s.dept.Code, Name: s.dept.Name}
}

// plan lays out the story's steps after the submission.
func (s *story) plan(sc scenario, mergeTargets []string) {
	g := s.g
	switch sc {
	case scSubmitted:
		return
	case scWithdrawn:
		if g.rng.IntN(2) == 0 {
			s.accept()
		}
		s.add(g.hours(2, 30), domain.KindCaseWithdrawn, s.author, domain.CaseNote{Note: "问题已自行解决，撤回诉求。"})
		return
	case scMerged:
		if len(mergeTargets) == 0 {
			return // nothing earlier to merge into: the case stays submitted
		}
		into := mergeTargets[g.rng.IntN(len(mergeTargets))]
		s.add(g.hours(1, 20), domain.KindCaseMerged, s.g.staff, domain.CaseMerged{Into: into})
		return
	}
	s.accept()
	if sc == scAccepted {
		return
	}
	s.assign()
	switch sc {
	case scAssigned:
		s.maybeSupervise()
		return
	case scReturned:
		s.add(g.hours(4, 48), domain.KindCaseReturned, s.deptActor(), domain.CaseNote{Note: g.pick(returnNotes)})
		return
	}
	s.work()
	if sc == scInProgress {
		s.maybeSupervise()
		return
	}
	s.reply()
	switch sc {
	case scReplied:
		return
	case scClosedSatisfied:
		s.rate(domain.RatingSatisfied)
	case scClosedBasically:
		s.rate(domain.RatingBasically)
	case scClosedUnrated:
		s.add(s.g.rules().RatingWindow+g.hours(1, 12), domain.KindCaseClosed,
			domain.Actor{Role: domain.RoleSystem, ID: domain.HubDevice, Name: "系统"},
			domain.CaseNote{Note: "评价期已过，系统自动办结。"})
	case scReopened, scClosedAfterReopen:
		s.rate(domain.RatingUnsatisfied)
		if sc == scReopened {
			return
		}
		s.assign()
		s.work()
		s.reply()
		s.rate(domain.RatingBasically)
	}
}

func (g *gen) rules() domain.Rules { return domain.DefaultRules() }

func (s *story) accept() {
	s.add(s.g.hours(0.5, 20), domain.KindCaseAccepted, s.repActor(),
		domain.CaseAccepted{RepID: s.rep.ID, RepName: s.rep.Name})
}

func (s *story) assign() {
	after := s.g.hours(0.5, 8)
	s.add(after, domain.KindCaseAssigned, s.g.staff, domain.CaseAssigned{DeptCode: s.dept.Code,
		DeptName: s.dept.Name, Due: time.Time{}})
}

func (s *story) work() {
	for range 1 + s.g.rng.IntN(2) {
		s.add(s.g.hours(8, 60), domain.KindCaseProgress, s.deptActor(), domain.CaseNote{Note: s.g.pick(progressNotes)})
	}
}

// maybeSupervise adds a 督办 to about half the open cases that have been waiting a while.
func (s *story) maybeSupervise() {
	if s.g.rng.IntN(2) == 0 {
		s.add(s.g.hours(24, 72), domain.KindCaseSupervised, s.g.staff, domain.CaseNote{Note: s.g.pick(superviseNotes)})
	}
}

func (s *story) reply() {
	s.add(s.g.hours(12, 96), domain.KindCaseReplied, s.deptActor(), domain.CaseReplied{Reply: s.g.pick(s.cat.reply)})
}

func (s *story) rate(r domain.Rating) {
	comment := s.g.pick(satisfiedComments)
	if r == domain.RatingUnsatisfied {
		comment = s.g.pick(unsatisfiedComments)
	}
	s.add(s.g.hours(2, 72), domain.KindCaseRated, s.author, domain.CaseRated{Rating: r, Comment: comment})
}

// events dates the steps from start and encodes them. Assignment due dates are filled in
// here, from the assignment's own time, because only then is it known.
func (s *story) events(start time.Time) ([]domain.Event, error) {
	s.id = s.g.eventID(start)
	at := start
	evs := make([]domain.Event, 0, len(s.steps)+1)
	first, err := s.event(at, domain.KindCaseSubmitted, s.author, s.sub)
	if err != nil {
		return nil, err
	}
	evs = append(evs, first)
	for _, st := range s.steps {
		at = at.Add(st.after).Truncate(time.Second)
		p := st.payload
		if a, ok := p.(domain.CaseAssigned); ok {
			a.Due = s.g.rules().HandleDeadline(at, s.sub.Category)
			p = a
		}
		ev, err := s.event(at, st.kind, st.actor, p)
		if err != nil {
			return nil, err
		}
		evs = append(evs, ev)
	}
	return evs, nil
}

func (s *story) event(at time.Time, kind domain.Kind, actor domain.Actor, payload any) (domain.Event, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return domain.Event{}, fmt.Errorf("encode %s: %w", kind, err)
	}
	return domain.Event{ID: s.g.eventID(at), Station: s.g.d.Station.Code, Stream: s.id, Kind: kind,
		At: at, Actor: actor, Data: b}, nil
}
