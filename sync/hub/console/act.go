package console

import (
	"errors"
	"liaison/sync/hub/httpjson"
	"liaison/sync/text"
	"net/http"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// actError is the status, code and message of an error of Act; ok is false for errors that
// are the hub's own (answered 500).
func actError(err error) (status int, code, msg string, ok bool) {
	var te *domain.TransitionError
	var stale *store.StaleError
	var retired *RetiredError
	switch {
	case errors.As(err, &retired):
		return http.StatusBadRequest, domain.CodeRefRetired, text.Message(text.ZhCN, domain.CodeRefRetired,
			map[string]string{"name": retired.Name}), true
	case errors.As(err, &stale):
		by := stale.By.Name
		if by == "" {
			by = "他人"
		}
		return http.StatusConflict, "stale", "已由 " + by + " 处理，请刷新", true
	case errors.As(err, &te):
		return http.StatusConflict, "transition_" + string(te.Code), text.ErrorMessage(text.ZhCN, te.Reason), true
	case errors.Is(err, ErrCaseNotFound):
		return http.StatusNotFound, "case_not_found", "找不到该事项", true
	case errors.Is(err, ErrUnknownAction):
		return http.StatusNotFound, "unknown_action", "未知的操作", true
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden, "forbidden", "您的账号不能进行这项操作", true
	case errors.Is(err, ErrUnknownDepartment):
		return http.StatusBadRequest, "unknown_department", "没有这个承办单位", true
	case errors.Is(err, ErrUnknownRepresentative):
		return http.StatusBadRequest, "unknown_representative", "没有这位代表", true
	case errors.Is(err, ErrMergeTarget):
		return http.StatusBadRequest, "merge_target_missing", "找不到要合并到的事项", true
	case errors.Is(err, ErrBadAction):
		msg := err.Error()
		if _, m, found := strings.Cut(msg, ": "); found {
			msg = m
		}
		return http.StatusBadRequest, "bad_action", msg, true
	}
	return http.StatusInternalServerError, "", "", false
}

func (c *Console) act(w http.ResponseWriter, r *http.Request, p *principal) {
	cs, err := c.scopedCase(r.Context(), p, r.PathValue("id"))
	if err == nil {
		var req ActionRequest
		if r.ContentLength != 0 {
			if derr := decodeBody(r, &req); derr != nil {
				writeError(w, http.StatusBadRequest, "bad_request", "请求格式错误")
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
		writeError(w, http.StatusBadRequest, "bad_request", "请选择 1–200 件事项和承办单位")
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
			res.Code, res.Message = "internal", "服务暂时不可用"
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
