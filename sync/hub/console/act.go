package console

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// actError is the status, code and message of an error of Act; ok is false for errors that
// are the hub's own (answered 500).
func actError(err error) (status int, code, msg string, ok bool) {
	var te *domain.TransitionError
	var stale *store.StaleError
	var retired *RetiredError
	var level *LevelError
	var esc *EscalateError
	var deptLevel *DeptLevelError
	var tooLong *TooLongError
	switch {
	case errors.As(err, &tooLong):
		return http.StatusBadRequest, domain.CodeActionTooLong,
			zh(domain.CodeActionTooLong, "field", tooLong.Field, "max", strconv.Itoa(tooLong.Max)), true
	case errors.As(err, &level):
		return http.StatusConflict, domain.CodeCaseOtherLevel, zh(domain.CodeCaseOtherLevel, "name", level.Name), true
	case errors.As(err, &esc):
		return http.StatusBadRequest, esc.Code, zh(esc.Code, "name", esc.Name), true
	case errors.As(err, &deptLevel):
		return http.StatusBadRequest, domain.CodeDeptOtherLevel,
			zh(domain.CodeDeptOtherLevel, "name", deptLevel.Name, "level", deptLevel.Level), true
	case errors.Is(err, ErrBadNode):
		return http.StatusBadRequest, domain.CodeBadNode, zh(domain.CodeBadNode), true
	case errors.As(err, &retired):
		return http.StatusBadRequest, domain.CodeRefRetired, zh(domain.CodeRefRetired, "name", retired.Name), true
	case errors.As(err, &stale):
		// an unnamed actor is worded by role (工作人员, 系统), as on the timeline
		by := stale.By.Name
		if by == "" {
			by = text.Actor(text.ZhCN, stale.By, "")
		}
		return http.StatusConflict, domain.CodeStale, zh(domain.CodeStale, "by", by), true
	case errors.As(err, &te):
		return http.StatusConflict, "transition_" + string(te.Code), text.ErrorMessage(text.ZhCN, te.Reason), true
	case errors.Is(err, ErrCaseNotFound):
		return http.StatusNotFound, domain.CodeCaseNotFound, zh(domain.CodeCaseNotFound), true
	case errors.Is(err, ErrUnknownAction):
		return http.StatusNotFound, domain.CodeUnknownAction, zh(domain.CodeUnknownAction), true
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden, domain.CodeForbidden, zh(domain.CodeForbidden), true
	case errors.Is(err, ErrUnknownDepartment):
		return http.StatusBadRequest, domain.CodeUnknownDepartment, zh(domain.CodeUnknownDepartment), true
	case errors.Is(err, ErrUnknownRepresentative):
		return http.StatusBadRequest, domain.CodeUnknownRepresentative, zh(domain.CodeUnknownRepresentative), true
	case errors.Is(err, ErrMergeTarget):
		return http.StatusBadRequest, domain.CodeMergeTargetUnknown, zh(domain.CodeMergeTargetUnknown), true
	case errors.Is(err, ErrBadAction):
		detail := err.Error()
		if _, d, found := strings.Cut(detail, ": "); found {
			detail = d
		}
		return http.StatusBadRequest, domain.CodeBadAction, zh(domain.CodeBadAction, "detail", detail), true
	}
	return http.StatusInternalServerError, "", "", false
}

// zh words a registered code and its key/value parameters from the zh-CN catalogue.
func zh(code string, kv ...string) string {
	return text.Message(text.ZhCN, code, domain.NewError(code, kv...).Params)
}

func (c *Console) act(w http.ResponseWriter, r *http.Request, p *principal) {
	cs, err := c.scopedCase(r.Context(), p, r.PathValue("id"))
	if err == nil {
		var req ActionRequest
		if r.ContentLength != 0 {
			if derr := decodeBody(r, &req); derr != nil {
				writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
				return
			}
		}
		cs, err = c.act1(r.Context(), p, cs, r.PathValue("action"), req)
	}
	if status, code, msg, ok := actError(err); ok {
		body := APIError{Code: code, Message: msg}
		var te *domain.TransitionError
		if errors.As(err, &te) && te.Reason != nil {
			// the registered reason and its parameters, for a client that words codes itself
			body.Reason, body.Params = te.Reason.Code, te.Reason.Params
		}
		httpjson.Write(w, status, body)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.writeDetail(w, r, p, cs)
}

// BulkAssign is the body of POST /api/v1/cases/bulk/assign.
type BulkAssign struct {
	IDs      []string  `json:"ids"`
	DeptCode string    `json:"dept_code"`
	Due      time.Time `json:"due,omitzero"`
}

// BulkResult is one case's outcome of a bulk action.
type BulkResult struct {
	ID      string `json:"id"`
	OK      bool   `json:"ok"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// maxBulk bounds one bulk request: each case is its own transaction.
const maxBulk = 200

func (c *Console) bulkAssign(w http.ResponseWriter, r *http.Request, p *principal) {
	var req BulkAssign
	if err := decodeBody(r, &req); err != nil || len(req.IDs) == 0 || len(req.IDs) > maxBulk {
		writeError(w, http.StatusBadRequest, domain.CodeBulkAssignInvalid, "max", strconv.Itoa(maxBulk))
		return
	}
	out := struct {
		Results []BulkResult `json:"results"`
	}{Results: make([]BulkResult, 0, len(req.IDs))}
	for _, id := range req.IDs {
		res := BulkResult{ID: id}
		cs, err := c.scopedCase(r.Context(), p, id)
		if err == nil {
			_, err = c.act1(r.Context(), p, cs, "assign", ActionRequest{DeptCode: req.DeptCode, Due: req.Due})
		}
		if _, code, msg, ok := actError(err); ok {
			res.Code, res.Message = code, msg
		} else if err != nil {
			c.log.Error("bulk assign", "case", id, "err", err)
			res.Code, res.Message = domain.CodeInternal, zh(domain.CodeInternal)
		} else {
			res.OK = true
		}
		out.Results = append(out.Results, res)
	}
	httpjson.Write(w, http.StatusOK, out)
}

func (c *Console) revealContact(w http.ResponseWriter, r *http.Request, p *principal) {
	cs, ok := c.pathCase(w, r, p)
	if !ok {
		return
	}
	phone, err := c.st.RevealContact(r.Context(), cs.ID, p.Actor)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("contact revealed", "case", cs.Number, "by", p.User.Login)
	httpjson.Write(w, http.StatusOK, struct {
		Phone string `json:"phone"`
	}{phone})
}
