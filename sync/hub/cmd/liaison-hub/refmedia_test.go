package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/sqlitestore"
)

// refSetup gives a hub data directory with an admin (lijie, see addAdmin), and stations and
// representatives put by ref put.
func refSetup(t *testing.T, items map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	addAdmin(t, dir)
	for _, kind := range []string{"station", "representative"} {
		if code, out, errOut := runIn(t, items[kind], "ref", "put", kind, "-", "--user", "lijie", "--data", dir); code != 0 {
			t.Fatalf("put %s: %d %q %q", kind, code, out, errOut)
		}
	}
	return dir
}

const (
	testStations = `[{"code":"HX01","name":"和谐街道联络站","communities":["幸福里社区"]},
		{"code":"HX02","name":"测试二站"}]`
	testReps = `[{"id":"HX01-R01","name":"张三","level":"区","stations":["HX01"]},
		{"id":"HX01-R02","name":"李四","level":"镇","stations":["HX01"]}]`
)

func TestRefPhotoCommand(t *testing.T) {
	t.Parallel()
	dir := refSetup(t, map[string]string{"station": testStations, "representative": testReps})
	src := image.NewRGBA(image.Rect(0, 0, 1200, 600))
	for x := range 1200 {
		for y := range 600 {
			src.Set(x, y, color.RGBA{R: 200, G: 90, B: uint8(y % 256), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "张三.png")
	notImage := filepath.Join(t.TempDir(), "notes.png")
	tooBig := filepath.Join(t.TempDir(), "scan.png")
	for name, data := range map[string][]byte{photo: buf.Bytes(), notImage: []byte("not an image"),
		tooBig: make([]byte, console.MaxPhotoUpload+1)} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		args    []string
		code    int
		want    string
		wantErr string
	}{
		{[]string{"ref", "photo", "HX01-R01", photo}, 0, "representative HX01-R01: photo /media/reps/HX01-R01.jpg?v=", ""},
		// the same photo again records nothing
		{[]string{"ref", "photo", "HX01-R01", photo}, 0, "already has this photo", ""},
		{[]string{"ref", "photo", "HX01-R02", notImage}, 1, "", "照片无法识别，请上传 JPEG 或 PNG 图片"},
		{[]string{"ref", "photo", "HX01-R02", tooBig}, 1, "", "照片太大，最大 8 MB"},
		{[]string{"ref", "photo", "HX01-R99", photo}, 1, "", "representative HX01-R99: not found"},
		{[]string{"ref", "photo", "../x", photo}, 1, "", "not found"},
		{[]string{"ref", "photo", "HX01-R02", filepath.Join(dir, "missing.png")}, 1, "", "no such file"},
		{[]string{"ref", "photo", "HX01-R01"}, 2, "", "usage"},
	}
	for _, st := range steps {
		code, out, errOut := runCmd(t, append(st.args, "--user", "lijie", "--data", dir)...)
		if code != st.code || !strings.Contains(out, st.want) || !strings.Contains(errOut, st.wantErr) {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, out, errOut)
		}
	}
	if code, _, errOut := runCmd(t, "ref", "photo", "HX01-R02", photo, "--data", dir); code != 2 || !strings.Contains(errOut, "--user") {
		t.Fatalf("ref photo without --user: exit %d, %q", code, errOut)
	}

	// stored resized under the data directory's media, where serve and badge sheet look
	f, err := os.Open(filepath.Join(dir, "media", "reps", "HX01-R01.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := jpeg.Decode(f)
	if err != nil || got.Bounds().Dx() != console.PhotoSide || got.Bounds().Dy() != console.PhotoSide/2 {
		t.Fatalf("stored photo: %v, %v", got.Bounds(), err)
	}
	if r, g, _, _ := got.At(240, 120).RGBA(); r>>8 < 190 || g>>8 > 100 {
		t.Errorf("the resized photo lost its colours: %d %d", r>>8, g>>8)
	}
	if _, err := os.Stat(filepath.Join(dir, "media", "reps", "HX01-R02.jpg")); err == nil {
		t.Error("a refused photo was stored")
	}

	// the representative points at it, every other field kept; one fact, recorded as the admin
	_, list, _ := runCmd(t, "ref", "list", "representative", "--json", "--data", dir)
	var reps []domain.Representative
	if err := json.Unmarshal([]byte(list), &reps); err != nil || len(reps) != 2 {
		t.Fatalf("list: %v %q", err, list)
	}
	byID := map[string]domain.Representative{}
	for _, r := range reps {
		byID[r.ID] = r
	}
	if r1 := byID["HX01-R01"]; !regexp.MustCompile(`^/media/reps/HX01-R01\.jpg\?v=[0-9a-f]{12}$`).MatchString(r1.Photo) ||
		r1.Name != "张三" || r1.Level != "区" || byID["HX01-R02"].Photo != "" {
		t.Errorf("representatives after the photo: %+v", reps)
	}
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.StreamEvents(context.Background(), "rep:HX01-R01")
	if err != nil || len(evs) != 2 {
		t.Fatalf("rep:HX01-R01 has %d events, %v", len(evs), err)
	}
	if a, want := evs[1].Actor, (domain.Actor{Role: domain.RoleStaff, ID: "lijie", Name: "李洁（街道人大工委）"}); a != want {
		t.Errorf("photo recorded as %+v, want %+v", a, want)
	}
}

func TestRefQRCommand(t *testing.T) {
	t.Parallel()
	dir := refSetup(t, map[string]string{"station": testStations, "representative": testReps})
	out := filepath.Join(t.TempDir(), "qr.png")
	steps := []struct {
		args    []string
		code    int
		want    string
		wantErr string
	}{
		{[]string{"ref", "qr", "HX01-R01", "--public-url", "https://hub.example.cn/", "--png", out}, 0,
			"QR of representative HX01-R01 (https://hub.example.cn/r/HX01-R01) written to " + out, ""},
		{[]string{"ref", "qr", "HX01-R99", "--public-url", "https://hub.example.cn", "--png", out + ".x"}, 1, "", "not found"},
		{[]string{"ref", "qr", "HX01-R01", "--png", out + ".x"}, 2, "", "--public-url is required"},
		{[]string{"ref", "qr", "HX01-R01", "--public-url", "hub.example.cn", "--png", out + ".x"}, 2, "", "not an http(s) address"},
		{[]string{"ref", "qr", "--public-url", "https://hub.example.cn"}, 2, "", "usage"},
	}
	for _, st := range steps {
		code, stdout, errOut := runCmd(t, append(st.args, "--data", dir)...)
		if code != st.code || !strings.Contains(stdout, st.want) || !strings.Contains(errOut, st.wantErr) {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, stdout, errOut)
		}
	}
	if _, err := os.Stat(out + ".x"); err == nil {
		t.Error("a QR was written for a refused command")
	}
	file, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(file))
	if err != nil || img.Bounds().Dx() != 480 || img.Bounds().Dy() != 480 {
		t.Fatalf("QR file: %v %v", img.Bounds(), err)
	}
	want, err := qrcode.Encode("https://hub.example.cn/r/HX01-R01", qrcode.Medium, 480)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(file, want) {
		t.Error("the QR does not hold https://hub.example.cn/r/HX01-R01")
	}

	// the console of a hub serving with the same --public-url gives the same image
	if code, _, errOut := runIn(t, "secret-pass-1\n", "user", "add", "admin", "--role", "admin", "--password-stdin", "--data", dir); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	_, tok, errOut := runCmd(t, "token", "create", "--user", "admin", "--data", dir)
	token := regexp.MustCompile(`lht_\S+`).FindString(tok)
	if token == "" {
		t.Fatalf("token create: %q %q", tok, errOut)
	}
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mux := http.NewServeMux()
	console.New(console.Config{PublicURL: "https://hub.example.cn"}, st, slog.New(slog.DiscardHandler)).Mount(mux)
	req := httptest.NewRequest("GET", "/api/v1/admin/representatives/HX01-R01/qr.png", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), file) {
		t.Errorf("the console's QR differs: %d, %d bytes against %d", rec.Code, rec.Body.Len(), len(file))
	}
}
