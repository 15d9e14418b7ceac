package client_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"liaison/sync/client"
)

// pairHub answers POST /api/v1/pair like the hub: the code "GOOD123" enrols, others are refused
// with the hub's {code, message} body.
func pairHub(t *testing.T, signKey ed25519.PublicKey, box []byte) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/pair", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Code      string `json:"code"`
			PublicKey string `json:"public_key"`
			Name      string `json:"name"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		pub, err := base64.StdEncoding.DecodeString(req.PublicKey)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case err != nil || len(pub) != ed25519.PublicKeySize:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":"bad_key","message":"public key malformed"}`))
		case req.Code == "EXPIRED":
			w.WriteHeader(http.StatusGone)
			_, _ = w.Write([]byte(`{"code":"pairing_code_expired","message":"配对码已过期"}`))
		case req.Code == "GARBLED":
			_, _ = w.Write([]byte(`{"device_id":"d1","station":"HX01","hub_sign_key":"AAAA","hub_box_key":"AAAA"}`))
		case req.Code == "GOOD123":
			_ = json.NewEncoder(w).Encode(map[string]string{
				"device_id": "dev-1", "device_code": "K1", "station": "HX01", "station_name": "测试联络站",
				"role": "kiosk", "hub_url": "http://hub.test", "hub_sign_key": base64.StdEncoding.EncodeToString(signKey),
				"hub_box_key": base64.StdEncoding.EncodeToString(box)})
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"code":"pairing_code_unknown","message":"配对码无效"}`))
		}
	})
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return hs
}

func TestPair(t *testing.T) {
	t.Parallel()
	signPub, _, _ := ed25519.GenerateKey(nil)
	box := []byte(strings.Repeat("b", 32))
	hs := pairHub(t, signPub, box)
	pub, _, _ := ed25519.GenerateKey(nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := "http://" + l.Addr().String()
	l.Close()

	cases := []struct {
		name       string
		url, code  string
		wantStatus int    // for a refusal
		wantCode   string // for a refusal
		wantErr    string // for any other failure: part of the message
	}{
		{name: "success", url: hs.URL + "/", code: "GOOD123"},
		{name: "expired code", url: hs.URL, code: "EXPIRED", wantStatus: http.StatusGone, wantCode: "pairing_code_expired"},
		{name: "unknown code", url: hs.URL, code: "NOPE", wantStatus: http.StatusNotFound, wantCode: "pairing_code_unknown"},
		{name: "garbled answer", url: hs.URL, code: "GARBLED", wantErr: "decode hub sign key"},
		{name: "unreachable hub", url: gone, code: "GOOD123", wantErr: "pair with " + gone + "/api/v1/pair"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := client.Pair(context.Background(), tc.url, tc.code, pub, "测试终端")
			var pe *client.PairError
			switch {
			case tc.wantCode != "":
				if !errors.Is(err, client.ErrPairRefused) || !errors.As(err, &pe) || pe.Status != tc.wantStatus || pe.Code != tc.wantCode || pe.Message == "" {
					t.Fatalf("got %v (%+v), want refusal %d %s", err, pe, tc.wantStatus, tc.wantCode)
				}
			case tc.wantErr != "":
				if err == nil || errors.Is(err, client.ErrPairRefused) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error containing %q that is not a refusal", err, tc.wantErr)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				if e.DeviceID != "dev-1" || e.DeviceCode != "K1" || e.Station != "HX01" || e.StationName != "测试联络站" ||
					e.Role != "kiosk" || !e.HubSignKey.Equal(signPub) || string(e.HubBoxKey[:]) != string(box) {
					t.Fatalf("enrollment %+v", e)
				}
			}
		})
	}
}
