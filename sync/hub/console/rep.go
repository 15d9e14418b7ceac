package console

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// The representatives' phone workspace (/m/) talks to /api/v1/rep/…, open to accounts of the
// representative role only. A representative sees the new (submitted, unclaimed) cases of the
// communities they serve, and the cases they lead or co-handle; they act only on those. A
// claim is case.accepted with the representative as actor, recorded by the hub exactly as a
// kiosk records one, so a claim made offline at a kiosk and one made here settle by the
// lifecycle's co-handler rule. A reply to the resident (秒回复) is case.progress with
// CaseNote.ToResident.

var repOnly = []string{store.RoleRepresentative}

// RepView names the lists of GET /api/v1/rep/cases.
const (
	RepViewNew  = "new"  // submitted, unclaimed cases in my communities
	RepViewMine = "mine" // open cases I lead or co-handle
	RepViewDone = "done" // cases I lead or co-handle that are closed (办结), withdrawn or merged
)

// RepViews lists the values of the view parameter.
func RepViews() []string { return []string{RepViewNew, RepViewMine, RepViewDone} }

// repListLimit bounds one list: a representative's communities and cases are few.
const repListLimit = 200

// RepProfile is the body of GET /api/v1/rep/me: who the account represents.
type RepProfile struct {
	RepID       string   `json:"rep_id"`
	Name        string   `json:"name"`
	Level       string   `json:"level"`
	Title       string   `json:"title"`
	Communities []string `json:"communities"`
	Stations    []string `json:"stations"`
	// FirstReplyTargetHours is domain.FirstReplyTarget: the first reply to a resident is due
	// this many hours after the submission.
	FirstReplyTargetHours int `json:"first_reply_target_hours"`
}

// RepCase is one case as the phone lists it.
type RepCase struct {
	CaseRow
	// Mine: the representative leads or co-handles the case.
	Mine bool `json:"mine"`
	// Lead: the representative leads it (领办).
	Lead bool `json:"lead"`
}

// RepCaseList is the body of GET /api/v1/rep/cases.
type RepCaseList struct {
	View  string    `json:"view"`
	Cases []RepCase `json:"cases"`
}

// RepCaseDetail is the body of GET /api/v1/rep/cases/{id} and of a successful claim or note.
type RepCaseDetail struct {
	Case     RepCase         `json:"case"`
	Timeline []TimelineEntry `json:"timeline"`
	// CanClaim: the case waits for a representative and is in my communities.
	CanClaim bool `json:"can_claim"`
	// CanNote: I may record a follow-up note or a reply to the resident now.
	CanNote bool `json:"can_note"`
	// FirstReplyAt is the first reply to the resident (zero when there is none yet);
	// FirstReplyDue is when it is due (the submission plus domain.FirstReplyTarget).
	FirstReplyAt  time.Time `json:"first_reply_at,omitzero"`
	FirstReplyDue time.Time `json:"first_reply_due"`
	// StatusURL is the resident's public page of the case, for a case that is mine.
	StatusURL string `json:"status_url,omitempty"`
}

// RepNote is the body of POST /api/v1/rep/cases/{id}/notes: a follow-up note, or with
// ToResident a reply to the resident (秒回复) shown on the public timeline at once.
type RepNote struct {
	Note       string `json:"note"`
	ToResident bool   `json:"to_resident,omitempty"`
}

func (c *Console) mountRep(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/rep/me", c.authed(repOnly, c.repMe))
	mux.Handle("GET /api/v1/rep/cases", c.authed(repOnly, c.repCases))
	mux.Handle("GET /api/v1/rep/cases/{id}", c.authed(repOnly, c.repCase))
	mux.Handle("POST /api/v1/rep/cases/{id}/claim", c.authed(repOnly, c.repClaim))
	mux.Handle("POST /api/v1/rep/cases/{id}/notes", c.authed(repOnly, c.repNote))
	mux.Handle("GET /api/v1/rep/badge", c.authed(repOnly, c.repBadge))
	mux.Handle("GET /api/v1/rep/badge.png", c.authed(repOnly, c.repBadgePNG))
	c.mountRepActivities(mux)
}

// repOf is the representative p's account is bound to; when there is none (or they retired)
// it answers 403 rep_unbound and returns false.
func (c *Console) repOf(w http.ResponseWriter, r *http.Request, p *principal) (domain.Representative, bool) {
	rep, ok, err := findRep(r.Context(), c.st, p.User.RepID)
	if err != nil {
		c.internal(w, r, err)
		return rep, false
	}
	if !ok || rep.Retired {
		codeError(w, http.StatusForbidden, domain.CodeRepUnbound, nil)
		return rep, false
	}
	return rep, true
}

// repActor is how the hub records a representative's act: as the kiosk does, with the
// representative's id and name from the reference data.
func repActor(rep domain.Representative) domain.Actor {
	return domain.Actor{Role: domain.RoleRepresentative, ID: rep.ID, Name: rep.Name}
}

// inCommunities reports whether a case is in one of the communities rep serves, at one of
// their stations.
func inCommunities(rep domain.Representative, cs domain.Case) bool {
	if cs.Community == "" || !slices.Contains(rep.Communities, cs.Community) {
		return false
	}
	return len(rep.Stations) == 0 || slices.Contains(rep.Stations, cs.Station)
}

func handles(rep domain.Representative, cs domain.Case) (mine, lead bool) {
	if cs.RepID == rep.ID {
		return true, true
	}
	return slices.ContainsFunc(cs.CoHandlers, func(h domain.CoHandler) bool { return h.RepID == rep.ID }), false
}

// repSees reports whether rep may open a case: theirs, or new in their communities.
func repSees(rep domain.Representative, cs domain.Case) bool {
	if mine, _ := handles(rep, cs); mine {
		return true
	}
	return cs.State == domain.StateSubmitted && inCommunities(rep, cs)
}

func (c *Console) repRow(cs domain.Case, rep domain.Representative, names refs, now time.Time) RepCase {
	mine, lead := handles(rep, cs)
	row := RepCase{CaseRow: c.row(cs, names, now), Mine: mine, Lead: lead}
	row.Token = "" // the resident's key to the case; the detail gives a handler its page
	return row
}

func (c *Console) repMe(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	httpjson.Write(w, http.StatusOK, RepProfile{RepID: rep.ID, Name: rep.Name, Level: rep.Level, Title: rep.Title,
		Communities: nonNil(rep.Communities), Stations: nonNil(rep.Stations),
		FirstReplyTargetHours: int(domain.FirstReplyTarget / time.Hour)})
}

// repCaseList reads the cases of one view.
func (c *Console) repCaseList(ctx context.Context, rep domain.Representative, view string) ([]domain.Case, error) {
	var out []domain.Case
	switch view {
	case RepViewNew:
		for _, community := range rep.Communities {
			page, err := c.st.Desk(ctx, store.DeskFilter{Community: community, Tab: store.TabToAccept, Limit: repListLimit})
			if err != nil {
				return nil, err
			}
			for _, cs := range page.Cases {
				if inCommunities(rep, cs) {
					out = append(out, cs)
				}
			}
		}
		// oldest first: the longest waiting is taken first
		sort.SliceStable(out, func(i, j int) bool { return out[i].SubmittedAt.Before(out[j].SubmittedAt) })
	default:
		page, err := c.st.Desk(ctx, store.DeskFilter{Rep: rep.ID, Tab: store.TabAll, Limit: repListLimit})
		if err != nil {
			return nil, err
		}
		co, err := c.st.CoHandledCases(ctx, rep.ID)
		if err != nil {
			return nil, err
		}
		for _, cs := range append(page.Cases, co...) {
			if cs.Open() == (view == RepViewMine) {
				out = append(out, cs)
			}
		}
		// newest first, as the desk lists them
		sort.SliceStable(out, func(i, j int) bool { return out[i].SubmittedAt.After(out[j].SubmittedAt) })
	}
	return out, nil
}

func (c *Console) repCases(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	view := r.URL.Query().Get("view")
	if view == "" {
		view = RepViewNew
	}
	if !slices.Contains(RepViews(), view) {
		writeError(w, http.StatusBadRequest, domain.CodeBadView)
		return
	}
	cases, err := c.repCaseList(r.Context(), rep, view)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	names, err := c.loadRefs(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	now := c.cfg.Now()
	out := RepCaseList{View: view, Cases: make([]RepCase, 0, len(cases))}
	for _, cs := range cases {
		out.Cases = append(out.Cases, c.repRow(cs, rep, names, now))
	}
	httpjson.Write(w, http.StatusOK, out)
}

// repPathCase is the case of the path as rep may see it; 404 otherwise (a case outside their
// communities is answered like one that does not exist).
func (c *Console) repPathCase(w http.ResponseWriter, r *http.Request, rep domain.Representative) (domain.Case, bool) {
	cs, err := c.findCase(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !repSees(rep, cs)) {
		writeError(w, http.StatusNotFound, domain.CodeCaseNotFound)
		return cs, false
	}
	if err != nil {
		c.internal(w, r, err)
		return cs, false
	}
	return cs, true
}

func (c *Console) repDetail(ctx context.Context, p *principal, rep domain.Representative, cs domain.Case) (RepCaseDetail, error) {
	evs, err := c.st.StreamEvents(ctx, cs.ID)
	if err != nil {
		return RepCaseDetail{}, err
	}
	names, err := c.loadRefs(ctx)
	if err != nil {
		return RepCaseDetail{}, err
	}
	now := c.cfg.Now()
	d := RepCaseDetail{Case: c.repRow(cs, rep, names, now), Timeline: c.timeline(ctx, p, cs, evs, names),
		FirstReplyDue: cs.SubmittedAt.Add(domain.FirstReplyTarget)}
	d.CanClaim = cs.State == domain.StateSubmitted && inCommunities(rep, cs)
	d.CanNote = d.Case.Mine && domain.Allowed(cs.State, domain.KindCaseProgress, domain.RoleRepresentative)
	caseEvs := make([]domain.Event, 0, len(evs))
	for _, ev := range evs {
		if ev.Kind.IsCase() {
			caseEvs = append(caseEvs, ev)
		}
	}
	_, applied := domain.Fold(caseEvs, names.rules)
	if at, ok := domain.FirstReply(caseEvs, applied); ok {
		d.FirstReplyAt = at
	}
	if d.Case.Mine {
		d.StatusURL = StatusURL(c.cfg.PublicURL, cs)
	}
	return d, nil
}

func (c *Console) writeRepDetail(w http.ResponseWriter, r *http.Request, p *principal, rep domain.Representative, cs domain.Case) {
	d, err := c.repDetail(r.Context(), p, rep, cs)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, d)
}

func (c *Console) repCase(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	cs, ok := c.repPathCase(w, r, rep)
	if !ok {
		return
	}
	c.writeRepDetail(w, r, p, rep, cs)
}

// claimedBy answers 409 rep_claimed naming who leads a case someone else claimed.
func (c *Console) claimedBy(w http.ResponseWriter, cs domain.Case) {
	name := cs.RepName
	if name == "" {
		name = "其他代表"
	}
	codeError(w, http.StatusConflict, domain.CodeRepClaimed, map[string]string{"name": name})
}

// repClaim records the representative's claim (领办). A case already theirs answers its
// detail again (a second tap changes nothing); one another representative took first, or
// that left the queue otherwise, answers 409.
func (c *Console) repClaim(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	ctx := r.Context()
	cs, err := c.findCase(ctx, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !repSees(rep, cs) && !inCommunities(rep, cs)) {
		writeError(w, http.StatusNotFound, domain.CodeCaseNotFound)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if mine, lead := handles(rep, cs); mine && lead {
		c.writeRepDetail(w, r, p, rep, cs)
		return
	}
	if cs.State != domain.StateSubmitted {
		c.repTaken(w, r, cs)
		return
	}
	_, err = c.st.ActVersion(ctx, cs.ID, 0, domain.KindCaseAccepted, repActor(rep),
		domain.CaseAccepted{RepID: rep.ID, RepName: rep.Name})
	var te *domain.TransitionError
	if errors.As(err, &te) {
		// someone was quicker between the read and the write
		if now, rerr := c.st.Case(ctx, cs.ID); rerr == nil {
			c.repTaken(w, r, now)
			return
		}
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("case claimed on the phone", "case", cs.Number, "rep", rep.ID)
	if cs, err = c.st.Case(ctx, cs.ID); err != nil {
		c.internal(w, r, err)
		return
	}
	c.writeRepDetail(w, r, p, rep, cs)
}

// repTaken answers a claim of a case that no longer waits for a representative.
func (c *Console) repTaken(w http.ResponseWriter, r *http.Request, cs domain.Case) {
	if cs.RepID != "" {
		c.claimedBy(w, cs)
		return
	}
	status, code, msg, _ := actError(&domain.TransitionError{From: cs.State, Kind: domain.KindCaseAccepted,
		Code: domain.CodeState, Reason: domain.NewError(domain.CodeStateForbidden, "state", string(cs.State),
			"kind", string(domain.KindCaseAccepted))})
	writeError(w, status, code, msg)
}

// repNote records a follow-up note or a reply to the resident on a case the representative
// handles.
func (c *Console) repNote(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	var req RepNote
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
		return
	}
	note := strings.TrimSpace(req.Note)
	if note == "" {
		codeError(w, http.StatusBadRequest, domain.CodeProgressRequired, nil)
		return
	}
	if utf8.RuneCountInString(note) > domain.MaxNoteRunes {
		codeError(w, http.StatusBadRequest, domain.CodeRepNoteTooLong, map[string]string{"max": strconv.Itoa(domain.MaxNoteRunes)})
		return
	}
	cs, ok := c.repPathCase(w, r, rep)
	if !ok {
		return
	}
	if mine, _ := handles(rep, cs); !mine {
		codeError(w, http.StatusConflict, domain.CodeHandlerOnly, nil)
		return
	}
	ctx := r.Context()
	_, err := c.st.ActVersion(ctx, cs.ID, 0, domain.KindCaseProgress, repActor(rep),
		domain.CaseNote{Note: note, ToResident: req.ToResident})
	if status, code, msg, ok := actError(err); ok {
		writeError(w, status, code, msg)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("representative's note", "case", cs.Number, "rep", rep.ID, "to_resident", req.ToResident)
	if cs, err = c.st.Case(ctx, cs.ID); err != nil {
		c.internal(w, r, err)
		return
	}
	c.writeRepDetail(w, r, p, rep, cs)
}
