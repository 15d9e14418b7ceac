package console

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/refimport"
	"liaison/sync/text"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// mountImport adds the reference-data import's routes: admins only.
func (c *Console) mountImport(mux *http.ServeMux) {
	mux.Handle("POST /api/v1/admin/import/{kind}", c.authed(adminOnly, c.importFile))
	mux.Handle("GET /api/v1/admin/import/{kind}/template.xlsx", c.authed(adminOnly, c.importTemplate))
}

// ImportProblem is one reason an import file is refused: where (the row as the spreadsheet
// shows it, 0 for the whole file; the column's header as the file writes it) and why.
type ImportProblem struct {
	Row     int               `json:"row"`
	Column  string            `json:"column"`
	Code    string            `json:"code"`
	Params  map[string]string `json:"params,omitempty"`
	Message string            `json:"message"`
}

// ImportRow is one data row of an import file and what importing it does: create, update or
// unchanged; "" for a row with problems.
type ImportRow struct {
	Row    int      `json:"row"`
	Key    string   `json:"key"`
	Action string   `json:"action"`
	Cells  []string `json:"cells"` // one per column of ImportPreview.columns
}

// ImportPreview is the answer to an import: with dry_run what it would do, without it what it
// did. A refused file (any problem) writes nothing and is answered 422 with code
// import_refused; the counts are then those of the good rows.
type ImportPreview struct {
	Code      string          `json:"code,omitempty"`
	Message   string          `json:"message"` // the outcome in a sentence
	Kind      string          `json:"kind"`
	Columns   []string        `json:"columns"`
	Notices   []string        `json:"notices"` // the columns that were not read, worded
	Rows      []ImportRow     `json:"rows"`
	Created   int             `json:"created"`
	Updated   int             `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Problems  []ImportProblem `json:"problems"`
	Written   bool            `json:"written"`
}

// ImportKinds are the kinds POST /api/v1/admin/import/{kind} takes.
func ImportKinds() []string {
	out := make([]string, len(refimport.Kinds))
	for i, k := range refimport.Kinds {
		out[i] = string(k)
	}
	return out
}

// ImportActions are the values of ImportRow.action.
func ImportActions() []string {
	return []string{string(refimport.Create), string(refimport.Update), string(refimport.Unchanged), ""}
}

// importKind reads the {kind} of the path: exactly one of ImportKinds.
func importKind(w http.ResponseWriter, r *http.Request) (refimport.Kind, bool) {
	k, ok := refimport.ParseKind(r.PathValue("kind"))
	if !ok || string(k) != r.PathValue("kind") {
		writeError(w, http.StatusNotFound, domain.CodeImportKindUnknown, "kind", r.PathValue("kind"))
		return "", false
	}
	return k, true
}

// importFile answers POST /api/v1/admin/import/{kind}[?dry_run=1] with the file in the
// multipart field "file".
func (c *Console) importFile(w http.ResponseWriter, r *http.Request, p *principal) {
	kind, ok := importKind(w, r)
	if !ok {
		return
	}
	dry := r.URL.Query().Get("dry_run") == "1" || r.URL.Query().Get("dry_run") == "true"
	file, err := uploadedFile(w, r)
	if err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", err.Error())
		return
	}
	rep, err := refimport.New(c.st, c.location()).Run(r.Context(), kind, file, dry, p.Actor)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if rep.Written {
		c.log.Info("reference data imported", "kind", kind, "by", p.User.Login,
			"created", rep.Created, "updated", rep.Updated, "unchanged", rep.Same)
	}
	out := preview(rep)
	status := http.StatusOK
	if rep.Refused() && !dry {
		status, out.Code = http.StatusUnprocessableEntity, domain.CodeImportRefused
	}
	httpjson.Write(w, status, out)
}

var errNoFile = errors.New("the form has no file field")

// uploadedFile finds the "file" part of a multipart upload, reading no more of the body than
// an import file may have.
func uploadedFile(w http.ResponseWriter, r *http.Request) (io.Reader, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return nil, errors.New("send the file as multipart/form-data")
	}
	httpjson.LimitBody(w, r, refimport.MaxFileSize+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errNoFile
		}
		if err != nil {
			return nil, err
		}
		if part.FormName() == "file" {
			// Read it whole here, so a body cut short is a bad request rather than a file.
			var buf bytes.Buffer
			if _, err := io.Copy(&buf, io.LimitReader(part, refimport.MaxFileSize+1)); err != nil {
				return nil, err
			}
			return &buf, nil
		}
	}
}

func preview(rep *refimport.Report) ImportPreview {
	out := ImportPreview{
		Message: refimport.Summary(text.ZhCN, rep), Kind: string(rep.Kind),
		Columns: nonNil(rep.Columns), Notices: nonNil(refimport.Notices(text.ZhCN, rep)),
		Rows: make([]ImportRow, 0, len(rep.Rows)), Problems: make([]ImportProblem, 0, len(rep.Problems)),
		Created: rep.Created, Updated: rep.Updated, Unchanged: rep.Same, Written: rep.Written,
	}
	for _, r := range rep.Rows {
		out.Rows = append(out.Rows, ImportRow{Row: r.Row, Key: r.Key, Action: string(r.Action), Cells: nonNil(r.Cells)})
	}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, ImportProblem{Row: p.Row, Column: p.Column, Code: p.Code,
			Params: p.Params, Message: refimport.Message(text.ZhCN, p)})
	}
	return out
}

// importTemplate answers GET /api/v1/admin/import/{kind}/template.xlsx.
func (c *Console) importTemplate(w http.ResponseWriter, r *http.Request, p *principal) {
	kind, ok := importKind(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := refimport.Template(&buf, kind); err != nil {
		c.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="template.xlsx"; filename*=UTF-8''`+
		url.PathEscape(refimport.TemplateName(kind)))
	w.Write(buf.Bytes())
}
