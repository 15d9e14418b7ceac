package protocol

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
