package protocol

import (
	"errors"
	"net/url"
	"strings"
)

// PairRequest is the body a device posts to the hub's pairing endpoint (POST /api/v1/pair)
// to enrol with a one-time code.
type PairRequest struct {
	Code      string `json:"code"`
	PublicKey string `json:"public_key"` // base64 (standard) of the device's Ed25519 public key
	Name      string `json:"name"`
}

// PairResponse tells a newly enrolled device who it is and how to trust the hub.
type PairResponse struct {
	DeviceID    string `json:"device_id"`
	DeviceCode  string `json:"device_code"`
	Station     string `json:"station"`
	StationName string `json:"station_name"`
	Role        string `json:"role"`
	HubURL      string `json:"hub_url"`
	HubSignKey  string `json:"hub_sign_key"` // base64 Ed25519 public key: verifies badges
	HubBoxKey   string `json:"hub_box_key"`  // base64 Curve25519 public key: seal ID numbers to it
	ResidentKey string `json:"resident_key"` // base64 key of the residents' keyed hash
}

// PairQRPrefix starts the content of the hub's pairing QR: liaison-pair:v1?hub=URL&code=CODE,
// both values query-escaped. The console shows it with a new pairing code and the kiosk's
// technician screen reads it with the station's scanner.
const PairQRPrefix = "liaison-pair:v1?"

// PairQR is the content of the pairing QR for a code of the hub at hubURL.
func PairQR(hubURL, code string) string {
	return PairQRPrefix + "hub=" + url.QueryEscape(strings.TrimRight(hubURL, "/")) + "&code=" + url.QueryEscape(code)
}

// ParsePairQR reads the hub URL (without a trailing slash) and the code from a pairing QR's
// content. The hub must be an http or https URL with a host and the code not empty.
func ParsePairQR(text string) (hubURL, code string, err error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(text), PairQRPrefix)
	if !ok {
		return "", "", errors.New("not a pairing QR")
	}
	q, err := url.ParseQuery(rest)
	if err != nil {
		return "", "", errors.New("pairing QR: malformed query")
	}
	hubURL, code = strings.TrimRight(strings.TrimSpace(q.Get("hub")), "/"), strings.TrimSpace(q.Get("code"))
	if code == "" || !ValidHubURL(hubURL) {
		return "", "", errors.New("pairing QR: hub or code missing")
	}
	return hubURL, code, nil
}

// ValidHubURL reports whether hub is an http or https URL with a host.
func ValidHubURL(hub string) bool {
	u, err := url.Parse(hub)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
