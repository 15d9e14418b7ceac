package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
)

// postMultipart closes mw and posts what it wrote to body to path, with the session's CSRF
// token unless csrf is false; it returns the response and its body.
func (c *client) postMultipart(t *testing.T, path string, body *bytes.Buffer, mw *multipart.Writer, csrf bool) (*http.Response, []byte) {
	t.Helper()
	mw.Close()
	req, err := http.NewRequest("POST", c.f.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if csrf {
		req.Header.Set(console.CSRFHeader, c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// upload posts a file as the multipart field "file" (or field), with the session's CSRF token
// unless csrf is false.
func (c *client) upload(t *testing.T, path, field, content string, csrf bool) (*http.Response, console.ImportPreview) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile(field, "导入.csv")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, content)
	resp, b := c.postMultipart(t, path, &body, mw, csrf)
	var p console.ImportPreview
	_ = json.Unmarshal(b, &p)
	return resp, p
}

const deptFile = "编码,名称,联系人\r\nQ-WS,区卫健委,李四\r\nJD-CG,街道城管科,王五\r\n"

func TestImportDepartments(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	before, _ := f.st.LastSeq(context.Background())

	resp, p := admin.upload(t, "/api/v1/admin/import/department?dry_run=1", "file", deptFile, true)
	if resp.StatusCode != 200 || p.Created != 1 || p.Updated != 1 || p.Written || len(p.Problems) != 0 {
		t.Fatalf("dry run: %d %+v", resp.StatusCode, p)
	}
	if len(p.Rows) != 2 || p.Rows[0].Row != 2 || p.Rows[0].Action != "create" || p.Rows[1].Action != "update" ||
		strings.Join(p.Columns, ",") != "编码,名称,联系人" || p.Rows[0].Cells[1] != "区卫健委" {
		t.Errorf("preview rows %+v columns %v", p.Rows, p.Columns)
	}
	if after, _ := f.st.LastSeq(context.Background()); after != before {
		t.Fatal("a dry run wrote")
	}

	resp, p = admin.upload(t, "/api/v1/admin/import/department", "file", deptFile, true)
	if resp.StatusCode != 200 || !p.Written || p.Created != 1 || p.Updated != 1 || !strings.Contains(p.Message, "导入完成") {
		t.Fatalf("import: %d %+v", resp.StatusCode, p)
	}
	d, err := f.st.Department(context.Background(), "JD-CG")
	if err != nil || d.Contact != "王五" {
		t.Errorf("JD-CG after import: %+v %v", d, err)
	}
	evs, _ := f.st.StreamEvents(context.Background(), "dept:Q-WS")
	if len(evs) != 1 || evs[0].Actor.ID != "admin" {
		t.Errorf("Q-WS events %+v: the admin is not the actor", evs)
	}
	resp, p = admin.upload(t, "/api/v1/admin/import/department", "file", deptFile, true)
	if resp.StatusCode != 200 || p.Unchanged != 2 || p.Created+p.Updated != 0 {
		t.Errorf("re-import: %d %+v", resp.StatusCode, p)
	}
}

func TestImportRefusesABadFileWhole(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	before, _ := f.st.LastSeq(context.Background())
	file := "编码,名称\nQ-A,甲单位\nQ-B,\nQ-A,甲单位\n"
	resp, p := admin.upload(t, "/api/v1/admin/import/department", "file", file, true)
	if resp.StatusCode != http.StatusUnprocessableEntity || p.Code != domain.CodeImportRefused || p.Written {
		t.Fatalf("bad file: %d %+v", resp.StatusCode, p)
	}
	if len(p.Problems) != 2 || p.Problems[0].Row != 3 || p.Problems[0].Column != "名称" ||
		p.Problems[1].Row != 4 || p.Problems[1].Code != domain.CodeImportRowRepeated || p.Problems[1].Message != "与第 2 行重复" {
		t.Errorf("problems %+v", p.Problems)
	}
	if after, _ := f.st.LastSeq(context.Background()); after != before {
		t.Error("a refused file wrote")
	}
}

func TestImportAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, staffer := f.login(t, "admin"), f.login(t, "wangzr")
	tests := []struct {
		name   string
		c      *client
		path   string
		field  string
		csrf   bool
		status int
	}{
		{"staff", staffer, "/api/v1/admin/import/department", "file", true, http.StatusForbidden},
		{"no csrf", admin, "/api/v1/admin/import/department", "file", false, http.StatusForbidden},
		{"unknown kind", admin, "/api/v1/admin/import/badge", "file", true, http.StatusNotFound},
		{"no file field", admin, "/api/v1/admin/import/department", "upload", true, http.StatusBadRequest},
	}
	for _, tt := range tests {
		resp, _ := tt.c.upload(t, tt.path, tt.field, deptFile, tt.csrf)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
	}
	resp, _ := staffer.do(t, "GET", "/api/v1/admin/import/representative/template.xlsx", nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff template: %d", resp.StatusCode)
	}
}

func TestImportTemplateDownload(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, body := f.login(t, "admin").do(t, "GET", "/api/v1/admin/import/representative/template.xlsx", nil)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("template: %d %v", resp.StatusCode, resp.Header)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("代表名册")
	if err != nil || len(rows) != 2 || strings.Join(rows[0][:8], ",") != "编号,姓名,性别,层级,选区,联系社区,职务单位,所属联络站" {
		t.Errorf("template rows %q, %v", rows, err)
	}
}
