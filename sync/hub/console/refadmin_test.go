package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/hubtest"
)

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, body, err)
	}
	return v
}

func TestRefAdminPutIsAnEventOfTheAdmin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	station := map[string]any{"code": "HX02", "name": "长青街道联络站", "address": "长青路2号",
		"communities": []string{"长青社区"}, "hours": "周一至周五 9:00-17:00"}

	resp, body := admin.do(t, "PUT", "/api/v1/admin/ref/station/HX02?create=1", station)
	if resp.StatusCode != 200 {
		t.Fatalf("create station: %d %s", resp.StatusCode, body)
	}
	saved := decode[console.AdminRefSaved](t, body)
	if !saved.Changed || !strings.Contains(string(saved.Item), "长青街道联络站") {
		t.Fatalf("create station: %s", body)
	}
	evs, err := f.st.StreamEvents(context.Background(), "station:HX02")
	if err != nil || len(evs) != 1 || evs[0].Actor.ID != "admin" || evs[0].Actor.Role != domain.RoleStaff ||
		evs[0].Station != "HX02" || evs[0].Kind != domain.KindStationUpserted {
		t.Fatalf("the write's event: %+v, %v", evs, err)
	}

	resp, body = admin.do(t, "PUT", "/api/v1/admin/ref/station/HX02", station)
	if resp.StatusCode != 200 || decode[console.AdminRefSaved](t, body).Changed {
		t.Errorf("the same station again: %d %s", resp.StatusCode, body)
	}
	resp, body = admin.do(t, "PUT", "/api/v1/admin/ref/station/HX02?create=true", station)
	refusal := decode[console.RefRefusal](t, body)
	if resp.StatusCode != 422 || refusal.Code != domain.CodeRefRefused || len(refusal.Problems) != 1 ||
		refusal.Problems[0].Code != domain.CodeRefDuplicate || refusal.Problems[0].Field != "code" ||
		!strings.Contains(refusal.Problems[0].Message, "HX02") {
		t.Errorf("create of an existing code: %d %s", resp.StatusCode, body)
	}
	if evs, _ := f.st.StreamEvents(context.Background(), "station:HX02"); len(evs) != 1 {
		t.Errorf("unchanged and refused writes appended: %d events", len(evs))
	}

	resp, body = admin.do(t, "GET", "/api/v1/admin/ref/station/HX02", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "长青路2号") {
		t.Errorf("get: %d %s", resp.StatusCode, body)
	}
	resp, body = admin.do(t, "GET", "/api/v1/admin/ref/station/HX77", nil)
	if resp.StatusCode != 404 || errorCode(t, body) != domain.CodeNotFound {
		t.Errorf("get unknown: %d %s", resp.StatusCode, body)
	}
	resp, body = admin.do(t, "GET", "/api/v1/admin/ref/ref.station", nil)
	if resp.StatusCode != 404 || errorCode(t, body) != domain.CodeRefUnknownKind {
		t.Errorf("long kind name: %d %s", resp.StatusCode, body)
	}
	resp, body = admin.do(t, "GET", "/api/v1/admin/ref/station", nil)
	if list := decode[console.AdminRefList](t, body); resp.StatusCode != 200 || len(list.Items) != 2 {
		t.Errorf("list: %d %s", resp.StatusCode, body)
	}
}

func TestRefAdminRefusesWithEveryProblem(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	activity := map[string]any{"id": "HX09-A01", "station": "HX09", "title": "接待日", "kind": "接待日",
		"place": "接待室", "starts": t0.Add(48 * 3600e9), "ends": t0.Add(47 * 3600e9), "capacity": 0}
	resp, body := admin.do(t, "PUT", "/api/v1/admin/ref/activity/HX09-A01?create=1", activity)
	refusal := decode[console.RefRefusal](t, body)
	var got []string
	for _, p := range refusal.Problems {
		if p.Message == "" {
			t.Errorf("problem %s of %s without a message", p.Code, p.Field)
		}
		got = append(got, p.Field+":"+p.Code)
	}
	want := []string{"capacity:field_out_of_range", "ends:ref_ends_before_starts"}
	if resp.StatusCode != 422 || !slices.Equal(got, want) {
		t.Errorf("bad activity: %d %v, want %v", resp.StatusCode, got, want)
	}
	activity["capacity"], activity["ends"] = 2, t0.Add(50*3600e9)
	resp, body = admin.do(t, "PUT", "/api/v1/admin/ref/activity/HX09-A01?create=1", activity)
	refusal = decode[console.RefRefusal](t, body)
	if resp.StatusCode != 422 || len(refusal.Problems) != 1 || refusal.Problems[0].Code != domain.CodeRefDangling ||
		refusal.Problems[0].Params["key"] != "HX09" {
		t.Errorf("activity at an unknown station: %d %s", resp.StatusCode, body)
	}
	resp, body = admin.do(t, "PUT", "/api/v1/admin/ref/department/Q-ZJ", map[string]any{"code": "Q-JT", "name": "区交通局"})
	refusal = decode[console.RefRefusal](t, body)
	if resp.StatusCode != 422 || len(refusal.Problems) != 1 || refusal.Problems[0].Code != domain.CodeRefKeyMismatch {
		t.Errorf("key of the path differs from the item's: %d %s", resp.StatusCode, body)
	}
}

func TestRefAdminIsForAdminsWithCSRF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dept := map[string]any{"code": "Q-NEW", "name": "区新局"}
	for _, login := range []string{"wangzr", "zhujianju", "daibiao"} {
		c := f.login(t, login)
		if resp, body := c.do(t, "PUT", "/api/v1/admin/ref/department/Q-NEW", dept); resp.StatusCode != 403 {
			t.Errorf("%s: %d %s", login, resp.StatusCode, body)
		}
		if resp, _ := c.do(t, "GET", "/api/v1/admin/ref/department", nil); resp.StatusCode != 403 {
			t.Errorf("%s lists: %d", login, resp.StatusCode)
		}
	}
	admin := f.login(t, "admin")
	if resp, _ := admin.req(t, "PUT", "/api/v1/admin/ref/department/Q-NEW", dept, nil); resp.StatusCode != 403 {
		t.Errorf("without the CSRF token: %d", resp.StatusCode)
	}
	if resp, _ := f.anonymous(t).do(t, "GET", "/api/v1/admin/ref/department", nil); resp.StatusCode != 401 {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
	if _, err := f.st.Department(context.Background(), "Q-NEW"); err == nil {
		t.Error("a refused write took effect")
	}
}

func TestRetiredDepartmentAndRepresentative(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	resp, body := admin.do(t, "POST", "/api/v1/admin/ref/department/"+deptCode+"/retire", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"retired":true`) {
		t.Fatalf("retire: %d %s", resp.StatusCode, body)
	}
	_, body = admin.do(t, "GET", "/api/v1/ref", nil)
	ref := decode[console.Ref](t, body)
	if slices.ContainsFunc(ref.Departments, func(d console.RefDepartment) bool { return d.Code == deptCode }) {
		t.Error("the picker offers a retired department")
	}
	cs := f.newCase(t, domain.StateAccepted, "")
	resp, body = admin.do(t, "POST", "/api/v1/cases/"+cs.Number+"/assign", map[string]any{"dept_code": deptCode, "version": cs.Version})
	if resp.StatusCode != 400 || errorCode(t, body) != domain.CodeRefRetired || !strings.Contains(string(body), "街道城管科") {
		t.Errorf("assign to a retired department: %d %s", resp.StatusCode, body)
	}
	resp, body = admin.do(t, "POST", "/api/v1/admin/ref/department/"+deptCode+"/restore", nil)
	if resp.StatusCode != 200 || strings.Contains(string(body), "retired") {
		t.Fatalf("restore: %d %s", resp.StatusCode, body)
	}
	resp, body = admin.do(t, "POST", "/api/v1/cases/"+cs.Number+"/assign", map[string]any{"dept_code": deptCode, "version": cs.Version})
	if resp.StatusCode != 200 {
		t.Errorf("assign after restore: %d %s", resp.StatusCode, body)
	}

	if resp, body := admin.do(t, "POST", "/api/v1/admin/ref/representative/HX01-R02/retire", nil); resp.StatusCode != 200 {
		t.Fatalf("retire representative: %d %s", resp.StatusCode, body)
	}
	_, body = admin.do(t, "GET", "/api/v1/ref", nil)
	ref = decode[console.Ref](t, body)
	if slices.ContainsFunc(ref.Representatives, func(r console.RefRep) bool { return r.ID == "HX01-R02" }) {
		t.Error("the picker offers a retired representative")
	}
	resp, body = admin.do(t, "POST", "/api/v1/admin/badges", console.BadgeIssue{RepID: "HX01-R02"})
	if resp.StatusCode != 409 || errorCode(t, body) != domain.CodeBadgeRepRetired {
		t.Errorf("badge for a retired representative: %d %s", resp.StatusCode, body)
	}
	fresh := f.newCase(t, domain.StateSubmitted, "")
	resp, body = admin.do(t, "POST", "/api/v1/cases/"+fresh.Number+"/accept", map[string]any{"rep_id": "HX01-R02", "version": fresh.Version})
	if resp.StatusCode != 400 || errorCode(t, body) != domain.CodeRefRetired {
		t.Errorf("accept for a retired representative: %d %s", resp.StatusCode, body)
	}
	if resp, body := admin.do(t, "POST", "/api/v1/admin/ref/words/sensitive/retire", nil); resp.StatusCode != 400 {
		t.Errorf("retire a word list: %d %s", resp.StatusCode, body)
	}
}

func TestCategoryDeadlinesInThePicker(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	_, body := admin.do(t, "GET", "/api/v1/admin/ref/category/env", nil)
	var cat domain.Category
	if err := json.Unmarshal(body, &cat); err != nil {
		t.Fatal(err)
	}
	cat.AcceptHours, cat.HandleDays = 4, 3
	if resp, body := admin.do(t, "PUT", "/api/v1/admin/ref/category/env", cat); resp.StatusCode != 200 {
		t.Fatalf("put: %d %s", resp.StatusCode, body)
	}
	_, body = admin.do(t, "GET", "/api/v1/ref", nil)
	ref := decode[console.Ref](t, body)
	i := slices.IndexFunc(ref.Categories, func(c console.RefCategory) bool { return c.Code == "env" })
	if i < 0 || ref.Categories[i].AcceptHours != 4 || ref.Categories[i].HandleDays != 3 {
		t.Errorf("category's own deadlines: %+v", ref.Categories)
	}
}

func photoUpload(t *testing.T, c *client, id string, img []byte) (*http.Response, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreateFormFile("photo", "photo.png")
	if err != nil {
		t.Fatal(err)
	}
	part.Write(img)
	return c.postMultipart(t, "/api/v1/admin/representatives/"+id+"/photo", &buf, mw, true)
}

func TestRepPhotoIsResizedAndServed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	src := image.NewRGBA(image.Rect(0, 0, 1200, 600))
	for x := range 1200 {
		for y := range 600 {
			src.Set(x, y, color.RGBA{R: uint8(x % 256), G: 90, B: uint8(y % 256), A: 255})
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, src); err != nil {
		t.Fatal(err)
	}
	resp, body := photoUpload(t, admin, "HX01-R01", pngData.Bytes())
	if resp.StatusCode != 200 {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	rep := decode[domain.Representative](t, body)
	if !strings.HasPrefix(rep.Photo, "/media/reps/HX01-R01.jpg?v=") || rep.Name != "张三" {
		t.Fatalf("representative after the upload: %+v", rep)
	}
	stored, err := f.st.Representative(context.Background(), "HX01-R01")
	if err != nil || stored.Photo != rep.Photo {
		t.Errorf("stored: %+v, %v", stored, err)
	}
	resp, img := hubtest.Do(t, http.DefaultClient, "GET", f.srv.URL+rep.Photo, nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("photo: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	got, err := jpeg.Decode(bytes.NewReader(img))
	if err != nil || got.Bounds().Dx() != console.PhotoSide || got.Bounds().Dy() != console.PhotoSide/2 {
		t.Fatalf("served photo: %v, %v", got.Bounds(), err)
	}
	if r, g, _, _ := got.At(240, 120).RGBA(); g>>8 < 80 || g>>8 > 100 || r == 0 {
		t.Errorf("the resized photo lost its colours: %d %d", r>>8, g>>8)
	}

	resp, body = photoUpload(t, admin, "HX01-R01", []byte("not an image"))
	if resp.StatusCode != 400 || errorCode(t, body) != domain.CodeRefPhotoInvalid {
		t.Errorf("not an image: %d %s", resp.StatusCode, body)
	}
	resp, body = photoUpload(t, admin, "HX01-R99", pngData.Bytes())
	if resp.StatusCode != 404 {
		t.Errorf("unknown representative: %d %s", resp.StatusCode, body)
	}
	if resp, _ := hubtest.Do(t, http.DefaultClient, "GET", f.srv.URL+"/media/reps/HX01-R02.jpg", nil, nil); resp.StatusCode != 404 {
		t.Errorf("a photo never uploaded: %d", resp.StatusCode)
	}
	if resp, _ := hubtest.Do(t, http.DefaultClient, "GET", f.srv.URL+"/media/reps/..%2Fsecret.jpg", nil, nil); resp.StatusCode != 404 {
		t.Errorf("a path outside the photos: %d", resp.StatusCode)
	}
}

func TestDutyCopyWeek(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	// The demo roster covers the weekdays two weeks either side of t0 (Monday 2026-11-23).
	_, body := admin.do(t, "GET", "/api/v1/admin/ref/duty_roster?station=HX01&from=2026-11-23&to=2026-11-29", nil)
	src := decode[console.AdminRefList](t, body).Items
	if len(src) != 5 {
		t.Fatalf("source week: %d days", len(src))
	}
	resp, body := admin.do(t, "POST", "/api/v1/admin/duty/copy-week", console.CopyWeek{Station: "HX01", From: "2026-11-23", To: "2026-12-14"})
	if resp.StatusCode != 200 || decode[console.CopyWeekResult](t, body).Copied != 5 {
		t.Fatalf("copy: %d %s", resp.StatusCode, body)
	}
	_, body = admin.do(t, "GET", "/api/v1/admin/ref/duty_roster?station=HX01&from=2026-12-14&to=2026-12-20", nil)
	dst := decode[console.AdminRefList](t, body).Items
	if len(dst) != 5 {
		t.Fatalf("target week: %d days", len(dst))
	}
	for i := range src {
		a, b := decode[domain.DutyShift](t, src[i]), decode[domain.DutyShift](t, dst[i])
		if !slices.Equal(a.RepIDs, b.RepIDs) || b.Starts.Sub(a.Starts) != 21*24*3600e9 {
			t.Errorf("day %d: %+v copied as %+v", i, a, b)
		}
	}
	resp, body = admin.do(t, "POST", "/api/v1/admin/duty/copy-week", console.CopyWeek{Station: "HX01", From: "2026-11-23", To: "2026-12-14"})
	if resp.StatusCode != 200 {
		t.Errorf("copy again: %d %s", resp.StatusCode, body)
	}
	if evs, _ := f.st.StreamEvents(context.Background(), "duty:HX01:2026-12-14"); len(evs) != 1 {
		t.Errorf("a second copy of the same week appended %d events", len(evs))
	}
	resp, body = admin.do(t, "POST", "/api/v1/admin/duty/copy-week", console.CopyWeek{Station: "HX01", From: "2026-11-24", To: "2026-12-14"})
	if resp.StatusCode != 400 || errorCode(t, body) != domain.CodeRefCopyWeek {
		t.Errorf("not a Monday: %d %s", resp.StatusCode, body)
	}
}

func TestRefAdminChecksTheOrganisationTree(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	put := func(kind, key string, item map[string]any) (int, []string) {
		resp, body := admin.do(t, "PUT", "/api/v1/admin/ref/"+kind+"/"+key+"?create=1", item)
		var got []string
		for _, p := range decode[console.RefRefusal](t, body).Problems {
			got = append(got, p.Field+":"+p.Code+":"+p.Params["key"])
		}
		return resp.StatusCode, got
	}
	for _, c := range []struct {
		kind, key string
		item      map[string]any
		status    int
		want      []string
	}{
		{"org_node", "TC", map[string]any{"code": "TC", "name": "测试市", "level": "city"}, 200, nil},
		{"org_node", "TQ", map[string]any{"code": "TQ", "name": "测试区", "level": "district", "parent": "TC"}, 200, nil},
		// a city cannot hang under a district, nor a street under a street
		{"org_node", "TC2", map[string]any{"code": "TC2", "name": "错市", "level": "city", "parent": "TQ"}, 422, []string{"parent:ref_org_parent:"}},
		{"org_node", "TJ", map[string]any{"code": "TJ", "name": "测试街道", "level": "street", "parent": "TQ"}, 200, nil},
		{"org_node", "TJ2", map[string]any{"code": "TJ2", "name": "错街道", "level": "street", "parent": "TJ"}, 422, []string{"parent:ref_org_parent:"}},
		{"org_node", "TJ3", map[string]any{"code": "TJ3", "name": "无上级", "level": "street", "parent": "NOPE"}, 422, []string{"parent:ref_dangling:NOPE"}},
		// a station belongs to a street
		{"station", "TS01", map[string]any{"code": "TS01", "name": "测试站", "node": "TQ"}, 422, []string{"node:ref_org_not_street:TQ"}},
		{"station", "TS01", map[string]any{"code": "TS01", "name": "测试站", "node": "TJ"}, 200, nil},
		// departments and categories at any level that exists
		{"department", "TQ-ZJ", map[string]any{"code": "TQ-ZJ", "name": "测试区住建局", "node": "TQ"}, 200, nil},
		{"department", "TQ-JT", map[string]any{"code": "TQ-JT", "name": "测试区交通局", "node": "NOPE"}, 422, []string{"node:ref_dangling:NOPE"}},
		{"category", "tq-road", map[string]any{"code": "tq-road", "name": "区管道路", "node": "NOPE"}, 422, []string{"node:ref_dangling:NOPE"}},
	} {
		status, got := put(c.kind, c.key, c.item)
		if status != c.status || !slices.Equal(got, c.want) {
			t.Errorf("%s %s: %d %v, want %d %v", c.kind, c.key, status, got, c.status, c.want)
		}
	}
}
