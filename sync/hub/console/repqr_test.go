package console_test

import (
	"bytes"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

func TestRepQRHoldsThePublicPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	resp, body := admin.do(t, "GET", "/api/v1/admin/representatives/HX01-R01/qr.png", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	// the same page the kiosk's 扫码找代表 QR opens: the hub's public URL, /r/, the id
	want, err := qrcode.Encode("https://hub.test/r/HX01-R01", qrcode.Medium, 480)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, want) {
		t.Error("the QR does not hold https://hub.test/r/HX01-R01")
	}

	if resp, body := admin.do(t, "GET", "/api/v1/admin/representatives/HX01-R99/qr.png", nil); resp.StatusCode != 404 || errorCode(t, body) != "not_found" {
		t.Errorf("QR of nobody: %d %s", resp.StatusCode, body)
	}
	staff := f.login(t, "wangzr")
	if resp, _ := staff.do(t, "GET", "/api/v1/admin/representatives/HX01-R01/qr.png", nil); resp.StatusCode != 403 {
		t.Errorf("QR for staff: %d", resp.StatusCode)
	}
}
