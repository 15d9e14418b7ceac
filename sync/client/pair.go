package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"liaison/sync/protocol"
)

// ErrPairRefused is wrapped by Pair's error when the hub answered but refused the code.
var ErrPairRefused = errors.New("pairing refused")

// Enrollment is what the hub tells a newly paired device.
type Enrollment struct {
	DeviceID    string
	DeviceCode  string
	Station     string
	StationName string
	Role        string
	HubURL      string
	HubSignKey  ed25519.PublicKey // verifies badges and hub-signed data offline
	HubBoxKey   [32]byte          // ID numbers are sealed to it
	ResidentKey []byte            // the district's key of residents' keyed hashes; nil from an older hub
}

// PairError is the hub's refusal of a pairing request.
type PairError struct {
	Status  int
	Code    string
	Message string
}

func (e *PairError) Error() string {
	return fmt.Sprintf("pair: hub answered %d %s: %s", e.Status, e.Code, e.Message)
}

func (e *PairError) Unwrap() error { return ErrPairRefused }

// Pair enrols this device's public key with the hub at hubURL (its http(s) base address) using
// a one-time pairing code from the console.
func Pair(ctx context.Context, hubURL, code string, pub ed25519.PublicKey, name string) (Enrollment, error) {
	return PairWith(ctx, nil, hubURL, code, pub, name)
}

// PairWith is Pair over a given HTTP client (custom TLS roots, proxies); nil uses
// http.DefaultClient.
func PairWith(ctx context.Context, client *http.Client, hubURL, code string, pub ed25519.PublicKey, name string) (Enrollment, error) {
	if client == nil {
		client = http.DefaultClient
	}
	body, err := json.Marshal(protocol.PairRequest{Code: code, PublicKey: base64.StdEncoding.EncodeToString(pub), Name: name})
	if err != nil {
		return Enrollment{}, fmt.Errorf("encode pair request: %w", err)
	}
	url := strings.TrimRight(hubURL, "/") + "/api/v1/pair"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Enrollment{}, fmt.Errorf("pair request %s: %w", url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return Enrollment{}, fmt.Errorf("pair with %s: %w", url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Enrollment{}, fmt.Errorf("read pair response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		pe := &PairError{Status: resp.StatusCode}
		var e struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &e) == nil {
			pe.Code, pe.Message = e.Code, e.Message
		}
		return Enrollment{}, pe
	}
	return decodeEnrollment(raw)
}

func decodeEnrollment(raw []byte) (Enrollment, error) {
	var r protocol.PairResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return Enrollment{}, fmt.Errorf("decode pair response: %w", err)
	}
	if r.DeviceID == "" || r.Station == "" {
		return Enrollment{}, errors.New("decode pair response: device id or station missing")
	}
	sign, err := base64.StdEncoding.DecodeString(r.HubSignKey)
	if err != nil || len(sign) != ed25519.PublicKeySize {
		return Enrollment{}, fmt.Errorf("decode hub sign key: %d bytes, %v", len(sign), err)
	}
	box, err := base64.StdEncoding.DecodeString(r.HubBoxKey)
	if err != nil || len(box) != 32 {
		return Enrollment{}, fmt.Errorf("decode hub box key: %d bytes, %v", len(box), err)
	}
	e := Enrollment{DeviceID: r.DeviceID, DeviceCode: r.DeviceCode, Station: r.Station,
		StationName: r.StationName, Role: r.Role, HubURL: r.HubURL, HubSignKey: sign}
	copy(e.HubBoxKey[:], box)
	if r.ResidentKey != "" {
		rk, err := base64.StdEncoding.DecodeString(r.ResidentKey)
		if err != nil || len(rk) < 16 {
			return Enrollment{}, fmt.Errorf("decode resident key: %d bytes, %v", len(rk), err)
		}
		e.ResidentKey = rk
	}
	return e, nil
}
