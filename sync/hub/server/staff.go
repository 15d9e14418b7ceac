package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
)

// Actions names the staff actions of POST /api/v1/cases/{id}/{action} and of
// `liaison-hub case act`, in lifecycle order.
func Actions() []string {
	return []string{"accept", "assign", "progress", "supervise", "reply", "return", "close", "merge", "reopen"}
}

// ActionRequest is the body of a staff action. Which fields count depends on the action:
// accept: rep_id, rep_name; assign: dept_code, due (optional, RFC 3339); progress, supervise,
// return, close, reopen: note; reply: reply; merge: into (the other case's id or number).
type ActionRequest struct {
	Note     string    `json:"note,omitempty"`
	Reply    string    `json:"reply,omitempty"`
	RepID    string    `json:"rep_id,omitempty"`
	RepName  string    `json:"rep_name,omitempty"`
	DeptCode string    `json:"dept_code,omitempty"`
	DeptName string    `json:"dept_name,omitempty"`
	Due      time.Time `json:"due,omitzero"`
	Into     string    `json:"into,omitempty"`
	// By is the name of the staff member acting, shown in the timeline ("街道人大工委" when empty).
	By string `json:"by,omitempty"`
	// As is "staff" (default) or "department": a reply entered on behalf of the assigned
	// department. progress and return are always recorded as the assigned department.
	As string `json:"as,omitempty"`
}

// ErrUnknownAction is returned by BuildAction for an action not in Actions.
var ErrUnknownAction = errors.New("unknown action")

// ErrBadAction means the request lacks what the action needs.
var ErrBadAction = errors.New("bad action request")

// DefaultStaffName names the staff in the timeline when the request gives no name.
const DefaultStaffName = "街道人大工委"

// Resolver looks up what an action refers to.
type Resolver interface {
	Department(ctx context.Context, code string) (domain.Department, error)
	Case(ctx context.Context, id string) (domain.Case, error)
	CaseByNumber(ctx context.Context, number string) (domain.Case, error)
}

// BuildAction turns a staff action on case c into the event kind, actor and payload for
// Store.Act. The lifecycle itself is checked by Act (domain.Transition), not here.
func BuildAction(ctx context.Context, res Resolver, c domain.Case, action string, req ActionRequest) (domain.Kind, domain.Actor, any, error) {
	by := strings.TrimSpace(req.By)
	if by == "" {
		by = DefaultStaffName
	}
	staff := domain.Actor{Role: domain.RoleStaff, ID: "staff", Name: by}
	dept := domain.Actor{Role: domain.RoleDepartment, ID: c.DeptCode, Name: c.DeptName}
	note := domain.CaseNote{Note: strings.TrimSpace(req.Note)}
	switch action {
	case "accept":
		if req.RepID == "" {
			return "", staff, nil, fmt.Errorf("%w: accept needs rep_id", ErrBadAction)
		}
		return domain.KindCaseAccepted, staff, domain.CaseAccepted{RepID: req.RepID, RepName: req.RepName}, nil
	case "assign":
		if req.DeptCode == "" {
			return "", staff, nil, fmt.Errorf("%w: assign needs dept_code", ErrBadAction)
		}
		name := req.DeptName
		if name == "" {
			d, err := res.Department(ctx, req.DeptCode)
			if err != nil {
				return "", staff, nil, fmt.Errorf("%w: department %s: %v", ErrBadAction, req.DeptCode, err)
			}
			name = d.Name
		}
		return domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: req.DeptCode, DeptName: name, Due: req.Due}, nil
	case "progress":
		return domain.KindCaseProgress, dept, note, nil
	case "return":
		return domain.KindCaseReturned, dept, note, nil
	case "supervise":
		return domain.KindCaseSupervised, staff, note, nil
	case "close":
		return domain.KindCaseClosed, staff, note, nil
	case "reopen":
		return domain.KindCaseReopened, staff, note, nil
	case "reply":
		actor := staff
		if req.As == "department" {
			actor = dept
		}
		return domain.KindCaseReplied, actor, domain.CaseReplied{Reply: strings.TrimSpace(req.Reply)}, nil
	case "merge":
		into, err := findCase(ctx, res, req.Into)
		if err != nil {
			return "", staff, nil, fmt.Errorf("%w: merge target %q: %v", ErrBadAction, req.Into, err)
		}
		return domain.KindCaseMerged, staff, domain.CaseMerged{Into: into.ID}, nil
	}
	return "", staff, nil, fmt.Errorf("%w: %q", ErrUnknownAction, action)
}

// findCase accepts a case id or its human number.
func findCase(ctx context.Context, res Resolver, ref string) (domain.Case, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return domain.Case{}, sqlitestore.ErrNotFound
	}
	c, err := res.Case(ctx, ref)
	if errors.Is(err, sqlitestore.ErrNotFound) {
		return res.CaseByNumber(ctx, ref)
	}
	return c, err
}

// staff wraps a handler of the staff API with the bearer-token check.
func (s *Server) staff(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !bearerOK(r.Header.Get("Authorization"), s.cfg.StaffToken) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="liaison-hub"`)
			writeError(w, http.StatusUnauthorized, domain.NewError(domain.CodeUnauthorized))
			return
		}
		h(w, r)
	})
}

// CaseList is the body of GET /api/v1/cases.
type CaseList struct {
	Cases []domain.Case `json:"cases"`
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) {
	f := sqlitestore.CaseFilter{State: domain.State(r.URL.Query().Get("state")), Station: r.URL.Query().Get("station")}
	if f.State != "" && !domain.KnownState(f.State) {
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadState))
		return
	}
	cases, err := s.store.Cases(r.Context(), f)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if cases == nil {
		cases = []domain.Case{}
	}
	writeJSON(w, http.StatusOK, CaseList{Cases: cases})
}

// CaseDetail is the body of GET /api/v1/cases/{id} and of a successful action.
type CaseDetail struct {
	Case      domain.Case    `json:"case"`
	Timeline  []domain.Event `json:"timeline"`
	StatusURL string         `json:"status_url"` // the resident's public status page
}

// StatusURL is the public status page of a case under the hub's base URL.
func StatusURL(base string, c domain.Case) string {
	return strings.TrimRight(base, "/") + "/c/" + url.PathEscape(c.Number) + "?t=" + url.QueryEscape(c.Token)
}

func (s *Server) detail(ctx context.Context, c domain.Case) (CaseDetail, error) {
	evs, err := s.store.StreamEvents(ctx, c.ID)
	if err != nil {
		return CaseDetail{}, err
	}
	return CaseDetail{Case: c, Timeline: evs, StatusURL: StatusURL(s.cfg.PublicURL, c)}, nil
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) {
	c, err := findCase(r.Context(), s.store, r.PathValue("id"))
	if errors.Is(err, sqlitestore.ErrNotFound) {
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeCaseNotFound))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d, err := s.detail(r.Context(), c)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) actOnCase(w http.ResponseWriter, r *http.Request) {
	c, err := findCase(r.Context(), s.store, r.PathValue("id"))
	if errors.Is(err, sqlitestore.ErrNotFound) {
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeCaseNotFound))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	var req ActionRequest
	if r.ContentLength != 0 {
		if err := decodeBody(r, &req); err != nil {
			writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "json"))
			return
		}
	}
	kind, actor, payload, err := BuildAction(r.Context(), s.store, c, r.PathValue("action"), req)
	switch {
	case errors.Is(err, ErrUnknownAction):
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeUnknownAction))
		return
	case errors.Is(err, ErrBadAction):
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadAction, "detail", err.Error()))
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	_, err = s.store.Act(r.Context(), c.ID, kind, actor, payload)
	var te *domain.TransitionError
	if errors.As(err, &te) {
		writeTransitionError(w, te)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.log.Info("staff action", "case", c.Number, "action", r.PathValue("action"), "by", actor.Name)
	c, err = s.store.Case(r.Context(), c.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	d, err := s.detail(r.Context(), c)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}
