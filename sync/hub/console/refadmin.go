package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// maxRefBody bounds one reference item in a request: a word list of a few thousand words.
const maxRefBody = 512 << 10

// RefAdminStore is what the reference data pages need from the hub store.
type RefAdminStore interface {
	PutRefs(ctx context.Context, writes []store.RefWrite, actor domain.Actor) (store.RefResult, error)
	RefItem(ctx context.Context, kind domain.Kind, key string) (json.RawMessage, error)
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
}

// AdminRefList is the body of GET /api/v1/admin/ref/{kind}: every item of the kind, retired
// ones included, each the JSON of its domain type.
type AdminRefList struct {
	Items []json.RawMessage `json:"items"`
}

// AdminRefSaved is the answer to PUT /api/v1/admin/ref/{kind}/{key}: the item as stored, and
// whether the write changed it (false: it was the same, nothing was recorded).
type AdminRefSaved struct {
	Item    json.RawMessage `json:"item"`
	Changed bool            `json:"changed"`
}

// RefProblemInfo is one problem of a refused write, worded.
type RefProblemInfo struct {
	Field   string            `json:"field"` // json field of the item, "" for the whole item
	Code    string            `json:"code"`
	Params  map[string]string `json:"params,omitempty"`
	Message string            `json:"message"`
}

// RefRefusal is the 422 answer to a refused write (code ref_refused).
type RefRefusal struct {
	Code     string           `json:"code"`
	Message  string           `json:"message"`
	Problems []RefProblemInfo `json:"problems"`
}

// CopyWeek is the body of POST /api/v1/admin/duty/copy-week: a station's duty days of the
// week starting Monday From are copied to the week starting Monday To.
type CopyWeek struct {
	Station string `json:"station"`
	From    string `json:"from"` // YYYY-MM-DD, a Monday
	To      string `json:"to"`   // YYYY-MM-DD, a Monday
}

// CopyWeekResult is the answer to a copy-week: how many duty days were written.
type CopyWeekResult struct {
	Copied int `json:"copied"`
}

func (c *Console) mountRefAdmin(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/admin/ref/{kind}", c.authed(adminOnly, c.listRefItems))
	mux.Handle("GET /api/v1/admin/ref/{kind}/{key}", c.authed(adminOnly, c.getRefItem))
	mux.Handle("PUT /api/v1/admin/ref/{kind}/{key}", c.authed(adminOnly, c.putRefItem))
	mux.Handle("POST /api/v1/admin/ref/{kind}/{key}/retire", c.authed(adminOnly, c.retireRefItem(true)))
	mux.Handle("POST /api/v1/admin/ref/{kind}/{key}/restore", c.authed(adminOnly, c.retireRefItem(false)))
	mux.Handle("POST /api/v1/admin/representatives/{id}/photo", c.authed(adminOnly, c.uploadRepPhoto))
	mux.Handle("GET /api/v1/admin/representatives/{id}/qr.png", c.authed(adminOnly, c.repQR))
	mux.Handle("POST /api/v1/admin/duty/copy-week", c.authed(adminOnly, c.copyDutyWeek))
	mux.HandleFunc("GET /media/reps/{file}", c.repPhoto)
}

// refKind finds the {kind} of the path; false (and 404 written) for one that is not.
func refKind(w http.ResponseWriter, r *http.Request) (domain.RefKind, bool) {
	name := r.PathValue("kind")
	rk, ok := domain.LookupRefKind(name)
	if !ok || rk.Name != name {
		codeError(w, http.StatusNotFound, domain.CodeRefUnknownKind, map[string]string{"kind": name})
		return rk, false
	}
	return rk, true
}

// refRefused answers a *store.RefRefused with every problem worded.
func refRefused(w http.ResponseWriter, refused *store.RefRefused) {
	out := RefRefusal{Code: domain.CodeRefRefused, Message: text.Message(text.ZhCN, domain.CodeRefRefused, nil),
		Problems: make([]RefProblemInfo, 0, len(refused.Problems))}
	for _, p := range refused.Problems {
		out.Problems = append(out.Problems, RefProblemInfo{Field: p.Field, Code: p.Code, Params: p.Params,
			Message: text.Message(text.ZhCN, p.Code, p.Params)})
	}
	httpjson.Write(w, http.StatusUnprocessableEntity, out)
}

// putRefs records writes as the person and answers the refusal or the error; false when it
// answered.
func (c *Console) putRefs(w http.ResponseWriter, r *http.Request, p *principal, writes []store.RefWrite) (store.RefResult, bool) {
	res, err := c.st.PutRefs(r.Context(), writes, p.Actor)
	var refused *store.RefRefused
	switch {
	case errors.As(err, &refused):
		refRefused(w, refused)
		return res, false
	case err != nil:
		c.internal(w, r, err)
		return res, false
	}
	for _, ev := range res.Events {
		c.log.Info("reference data changed", "kind", ev.Kind, "stream", ev.Stream, "by", p.User.Login)
	}
	return res, true
}

// refMatches reports whether an item belongs to the list's filters: ?station= (the item's
// station, or one of a representative's stations) and, for the duty roster, ?from= and ?to=.
func refMatches(rk domain.RefKind, data []byte, station, from, to string) bool {
	var f struct {
		Code     string   `json:"code"`
		Station  string   `json:"station"`
		Stations []string `json:"stations"`
		Day      string   `json:"day"`
	}
	if json.Unmarshal(data, &f) != nil {
		return false
	}
	if station != "" {
		switch rk.Kind {
		case domain.KindStationUpserted:
			if f.Code != station {
				return false
			}
		case domain.KindRepresentativeUpserted:
			if !slices.Contains(f.Stations, station) {
				return false
			}
		case domain.KindCommunityUpserted, domain.KindActivityUpserted, domain.KindProjectUpserted,
			domain.KindDutyRosterUpserted:
			if f.Station != station {
				return false
			}
		}
	}
	if rk.Kind == domain.KindDutyRosterUpserted {
		if from != "" && f.Day < from || to != "" && f.Day > to {
			return false
		}
	}
	return true
}

func (c *Console) listRefItems(w http.ResponseWriter, r *http.Request, p *principal) {
	rk, ok := refKind(w, r)
	if !ok {
		return
	}
	raw, err := c.st.RefData(r.Context(), rk.Kind, "")
	if err != nil {
		c.internal(w, r, err)
		return
	}
	q := r.URL.Query()
	out := AdminRefList{Items: make([]json.RawMessage, 0, len(raw))}
	for _, item := range raw {
		if refMatches(rk, item, q.Get("station"), q.Get("from"), q.Get("to")) {
			out.Items = append(out.Items, item)
		}
	}
	httpjson.Write(w, http.StatusOK, out)
}

// refItem reads the item of the path; false (and the answer written) when there is none.
func (c *Console) refItem(w http.ResponseWriter, r *http.Request, rk domain.RefKind, key string) (json.RawMessage, bool) {
	item, err := c.st.RefItem(r.Context(), rk.Kind, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		codeError(w, http.StatusNotFound, domain.CodeNotFound, nil)
		return nil, false
	case err != nil:
		c.internal(w, r, err)
		return nil, false
	}
	return item, true
}

func (c *Console) getRefItem(w http.ResponseWriter, r *http.Request, p *principal) {
	rk, ok := refKind(w, r)
	if !ok {
		return
	}
	if item, ok := c.refItem(w, r, rk, r.PathValue("key")); ok {
		httpjson.Write(w, http.StatusOK, item)
	}
}

func (c *Console) putRefItem(w http.ResponseWriter, r *http.Request, p *principal) {
	rk, ok := refKind(w, r)
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRefBody))
	if err != nil {
		codeError(w, http.StatusRequestEntityTooLarge, domain.CodeBadRequest, map[string]string{"detail": "body too large"})
		return
	}
	if !json.Valid(body) {
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "json"})
		return
	}
	create := r.URL.Query().Get("create")
	key := r.PathValue("key")
	res, ok := c.putRefs(w, r, p, []store.RefWrite{{Kind: rk.Kind, Key: key, Data: bytes.TrimSpace(body),
		Create: create == "1" || create == "true"}})
	if !ok {
		return
	}
	if item, ok := c.refItem(w, r, rk, key); ok {
		httpjson.Write(w, http.StatusOK, AdminRefSaved{Item: item, Changed: len(res.Events) > 0})
	}
}

// retireRefItem marks an item retired (an activity cancelled), or active again.
func (c *Console) retireRefItem(retire bool) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, p *principal) {
		rk, ok := refKind(w, r)
		if !ok {
			return
		}
		if rk.Retire == "" {
			codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": rk.Name + " items are edited, not retired"})
			return
		}
		key := r.PathValue("key")
		item, ok := c.refItem(w, r, rk, key)
		if !ok {
			return
		}
		data, err := SetRetired(rk, item, retire)
		if err != nil {
			c.internal(w, r, err)
			return
		}
		if _, ok := c.putRefs(w, r, p, []store.RefWrite{{Kind: rk.Kind, Key: key, Data: data}}); !ok {
			return
		}
		if item, ok := c.refItem(w, r, rk, key); ok {
			httpjson.Write(w, http.StatusOK, item)
		}
	}
}

// SetRetired returns the item with its retire field (domain.RefKind.Retire) set or cleared,
// every other field as it was.
func SetRetired(rk domain.RefKind, item []byte, retire bool) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(item, &m); err != nil {
		return nil, err
	}
	if retire {
		m[rk.Retire] = json.RawMessage("true")
	} else {
		delete(m, rk.Retire)
	}
	return json.Marshal(m)
}

// CopyDutyWeek builds the writes that copy a station's duty days of the week starting on
// the Monday from to the week starting on the Monday to: each day's representatives and
// hours, moved by the weeks between. Days of the target week with no day to copy keep what
// they have. It returns the domain code ref_copy_week for days that are not distinct Mondays.
func CopyDutyWeek(roster []domain.DutyShift, station, from, to string) ([]store.RefWrite, error) {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || f.Weekday() != time.Monday || t.Weekday() != time.Monday || from == to {
		return nil, domain.NewError(domain.CodeRefCopyWeek)
	}
	shift := t.Sub(f)
	end := f.AddDate(0, 0, 7).Format(time.DateOnly)
	var out []store.RefWrite
	for _, d := range roster {
		if d.Station != station || d.Day < from || d.Day >= end {
			continue
		}
		day, err := time.Parse(time.DateOnly, d.Day)
		if err != nil {
			continue
		}
		n := d
		n.Day = day.Add(shift).Format(time.DateOnly)
		n.RepIDs = slices.Clone(d.RepIDs)
		n.Starts, n.Ends = d.Starts.Add(shift), d.Ends.Add(shift)
		data, err := json.Marshal(n)
		if err != nil {
			return nil, err
		}
		out = append(out, store.RefWrite{Kind: domain.KindDutyRosterUpserted, Key: n.Station + ":" + n.Day, Data: data})
	}
	slices.SortFunc(out, func(a, b store.RefWrite) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// DutyWeekWrites builds the writes of a copy-week from the hub's duty roster (CopyDutyWeek),
// for the caller to record with its actor: the console's copy-week and `liaison-hub duty
// copy-week` both.
func DutyWeekWrites(ctx context.Context, st RefAdminStore, req CopyWeek) ([]store.RefWrite, error) {
	roster, err := decodeRefs[domain.DutyShift](ctx, st, domain.KindDutyRosterUpserted)
	if err != nil {
		return nil, err
	}
	return CopyDutyWeek(roster, req.Station, req.From, req.To)
}

func (c *Console) copyDutyWeek(w http.ResponseWriter, r *http.Request, p *principal) {
	var req CopyWeek
	if err := decodeBody(r, &req); err != nil {
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "json"})
		return
	}
	writes, err := DutyWeekWrites(r.Context(), c.st, req)
	if code := domain.ErrorCode(err); code != "" {
		codeError(w, http.StatusBadRequest, code, nil)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if _, ok := c.putRefs(w, r, p, writes); !ok {
		return
	}
	httpjson.Write(w, http.StatusOK, CopyWeekResult{Copied: len(writes)})
}
