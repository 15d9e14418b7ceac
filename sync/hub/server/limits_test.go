package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"liaison/sync/hub/console"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/update"
)

// A handler that takes a file sets its own bound, which replaces the middleware's default
// rather than reading through it; a body over the handler's own bound is still cut off.
func TestLimitBodyReplacesTheDefaultBound(t *testing.T) {
	t.Parallel()
	const own = 200 << 10
	h := harden(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/file" {
			httpjson.LimitBody(w, r, own)
		}
		n, err := io.Copy(io.Discard, r.Body)
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			w.WriteHeader(http.StatusRequestEntityTooLarge)
		case err != nil:
			t.Errorf("read: %v", err)
		default:
			fmt.Fprint(w, n)
		}
	}), "/sync")
	for _, tc := range []struct {
		path string
		size int
		want string
	}{
		{"/json", httpjson.DefaultMaxBody, fmt.Sprint(httpjson.DefaultMaxBody)},
		{"/json", httpjson.DefaultMaxBody + 1, "413"},
		{"/file", 150 << 10, fmt.Sprint(150 << 10)},
		{"/file", own + 1, "413"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", tc.path, bytes.NewReader(make([]byte, tc.size))))
		got := rec.Body.String()
		if rec.Code == http.StatusRequestEntityTooLarge {
			got = "413"
		}
		if got != tc.want {
			t.Errorf("%s with %d bytes: %s, want %s", tc.path, tc.size, got, tc.want)
		}
	}
}

// A spreadsheet over the default body bound is read whole by the console's import through the
// hub's full handler (the middleware's bound does not cut it off).
func TestImportLargerThanTheDefaultBodyBound(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	var csv strings.Builder
	csv.WriteString("编码,名称,联系人,联系电话\n")
	const rows = 1500
	for i := range rows {
		fmt.Fprintf(&csv, "dept%04d,第%04d承办单位（测试用较长名称）,联系人%04d,010-1234%04d\n", i, i, i, i)
	}
	if csv.Len() <= httpjson.DefaultMaxBody {
		t.Fatalf("the file is only %d bytes", csv.Len())
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "departments.csv")
	part.Write([]byte(csv.String()))
	mw.Close()
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/admin/import/department?dry_run=1", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+f.token)
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import of %d bytes: %d %s", csv.Len(), resp.StatusCode, b)
	}
	var pv console.ImportPreview
	if err := json.Unmarshal(b, &pv); err != nil {
		t.Fatal(err)
	}
	if len(pv.Rows) != rows || pv.Created != rows {
		t.Fatalf("preview has %d rows, %d to create, want %d: %s", len(pv.Rows), pv.Created, rows, pv.Message)
	}
}

// The console's live stream stays open past the server's read and write timeouts: it lifts
// the read deadline and moves the write deadline with every write.
func TestEventStreamOutlivesHTTPTimeouts(t *testing.T) {
	t.Parallel()
	st, err := sqlitestore.Open(context.Background(), t.TempDir(), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	con := console.New(console.Config{Argon: cheapArgon, Heartbeat: 40 * time.Millisecond}, st, nil)
	if _, err := con.Accounts().Add(context.Background(), console.NewUser{Login: "wangzr", Name: "王主任",
		Role: "admin", Password: "test-password"}); err != nil {
		t.Fatal(err)
	}
	tok, err := con.Accounts().CreateToken(context.Background(), "wangzr")
	if err != nil {
		t.Fatal(err)
	}
	const timeout = 150 * time.Millisecond
	s := New(Config{Console: con, ReadTimeout: timeout, WriteTimeout: timeout}, st, nil, nil, nil)
	ln, cancel, done := serve(t, s)
	defer func() { cancel(); <-done }()

	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+ln.Addr().String()+"/api/v1/events/stream", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: %d", resp.StatusCode)
	}
	lines := bufio.NewScanner(resp.Body)
	start := time.Now()
	pings := 0
	for time.Since(start) < 6*timeout || pings < 3 {
		if !lines.Scan() {
			t.Fatalf("the stream ended after %v (%d pings): %v", time.Since(start), pings, lines.Err())
		}
		if lines.Text() == ": ping" {
			pings++
		}
	}
}

// A station on a slow link gets the whole update package even when fetching it takes longer
// than the server's write timeout.
func TestUpdateDownloadOutlivesWriteTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "update.key")
	pub, err := update.GenerateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	key, err := update.ReadPrivateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	repo := update.Repo{Dir: filepath.Join(dir, "updates"), Trusted: pub}
	deb := filepath.Join(dir, "station.deb")
	// 32 MiB: far more than the loopback's socket buffers hold, so the server is still writing
	// when its write timeout has passed.
	pkg := bytes.Repeat([]byte("liaison-station 1.3.0\n"), 32<<20/22)
	if err := os.WriteFile(deb, pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	sig, err := update.Sign(key, deb, "liaison-station", "1.3.0", "amd64", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Publish(deb, sig); err != nil {
		t.Fatal(err)
	}
	const timeout = 150 * time.Millisecond
	s := New(Config{Updates: repo, ReadTimeout: timeout, WriteTimeout: timeout, Now: f.clk.Now}, f.store, nil, nil, nil)
	ln, cancel, done := serve(t, s)
	defer func() { cancel(); <-done }()

	base := "http://" + ln.Addr().String()
	resp, err := http.Get(base + "/api/v1/updates/latest?arch=amd64")
	if err != nil {
		t.Fatal(err)
	}
	var lu LatestUpdate
	err = json.NewDecoder(resp.Body).Decode(&lu)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(base + lu.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("package: %d", resp.StatusCode)
	}
	// Read it slowly: 256 KiB every 5 ms, at least 640 ms for the whole, four times the timeout.
	var got bytes.Buffer
	buf := make([]byte, 256<<10)
	for {
		n, err := io.ReadFull(resp.Body, buf)
		got.Write(buf[:n])
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", got.Len(), err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !bytes.Equal(got.Bytes(), pkg) {
		t.Fatalf("got %d of %d bytes", got.Len(), len(pkg))
	}
}
