package app

// The shapes the frontend sees (docs/frontend-api.md). Times are RFC3339 strings so the
// generated TypeScript stays plain; a nullable time is a *string.

// AppInfo describes this station to the frontend.
type AppInfo struct {
	Version     string `json:"version"`
	Role        string `json:"role"`
	Station     string `json:"station"`
	StationName string `json:"stationName"`
	DeviceName  string `json:"deviceName"` // the technician's name for this device, or ""
	DeviceID    string `json:"deviceId"`
	DeviceCode  string `json:"deviceCode"`
	Demo        bool   `json:"demo"`
	HubURL      string `json:"hubUrl"`
	IdleSeconds int    `json:"idleSeconds"`
	Paired      bool   `json:"paired"`
	Locale      string `json:"locale"`
	TimeZone    string `json:"timeZone"` // IANA name; the frontend shows every time in it
}

// DeviceStatus is the health of everything the screen depends on.
type DeviceStatus struct {
	Sync    SyncStatus       `json:"sync"`
	Reader  PeripheralStatus `json:"reader"`
	Scanner PeripheralStatus `json:"scanner"`
	Store   StoreStatus      `json:"store"`
}

// SyncStatus is the link to the hub.
type SyncStatus struct {
	State        string   `json:"state"` // connected | connecting | offline | unpaired | error
	HubURL       string   `json:"hubUrl"`
	LastSyncAt   *string  `json:"lastSyncAt"`
	OfflineSince *string  `json:"offlineSince"`
	ErrorCode    string   `json:"errorCode"` // the last problem, a status code (status.<code>); "" when healthy
	OutboxDepth  int64    `json:"outboxDepth"`
	LagEvents    int64    `json:"lagEvents"`
	Epoch        string   `json:"epoch"`
	Cursor       int64    `json:"cursor"`
	Refused      int64    `json:"refused"`     // local facts the hub refused and set aside
	LastRefused  *Problem `json:"lastRefused"` // the newest of them
}

// PeripheralStatus is a reader's or a scanner's state.
type PeripheralStatus struct {
	State       string  `json:"state"` // ok | connecting | disconnected | error | off
	Port        string  `json:"port"`
	Simulated   bool    `json:"simulated"`
	LastError   string  `json:"lastError"`
	LastEventAt *string `json:"lastEventAt"`
}

// StoreStatus is the local database's state.
type StoreStatus struct {
	OK    bool   `json:"ok"`
	Path  string `json:"path"`
	Error string `json:"error"`
	// ReadOnly is why the store refuses writes (disk_full, db_corrupt); "" while it takes
	// them. Reads go on: the kiosk and wall show a banner, the technician screen the reason.
	ReadOnly string `json:"readOnly"`
}

// Session is the resident using the kiosk now.
type Session struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"` // resident | anonymous
	ResidentID   string `json:"residentId"`
	SurnameMask  string `json:"surnameMask"`
	IDMasked     string `json:"idMasked"`
	CardType     string `json:"cardType"`
	Returning    bool   `json:"returning"`
	NeedsConsent bool   `json:"needsConsent"`
	Community    string `json:"community"`
	StartedAt    string `json:"startedAt"`

	cases []string // cases submitted in this session, for an anonymous visitor to follow
}

// Problem is a registered code with its parameters, for the frontend to word from its
// catalogue; it is the payload of EventCardError.
type Problem struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
}

// Category of a case, for the category grid.
type Category struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	Icon      string   `json:"icon"`
	Templates []string `json:"templates"`
}

// CaseInput is what the resident filled in.
type CaseInput struct {
	Category  string `json:"category"`
	Text      string `json:"text"`
	Community string `json:"community"`
	Building  string `json:"building"`
	Phone     string `json:"phone"`
	Anonymous bool   `json:"anonymous"`
}

// Receipt is shown after a submission is durable.
type Receipt struct {
	CaseID      string `json:"caseId"`
	Number      string `json:"number"`
	SubmittedAt string `json:"submittedAt"`
	StatusURL   string `json:"statusUrl"`
	QRDataURL   string `json:"qrDataUrl"`
}

// CaseSummary is one line of "my cases".
type CaseSummary struct {
	ID           string `json:"id"`
	Number       string `json:"number"`
	Category     string `json:"category"`
	CategoryName string `json:"categoryName"`
	Text         string `json:"text"`
	State        string `json:"state"`
	SubmittedAt  string `json:"submittedAt"`
	UpdatedAt    string `json:"updatedAt"`
	Overdue      bool   `json:"overdue"`
	CanRate      bool   `json:"canRate"`
	Rating       string `json:"rating"`
}

// CaseDetail is a case with its timeline.
type CaseDetail struct {
	Summary       CaseSummary     `json:"summary"`
	Community     string          `json:"community"`
	Building      string          `json:"building"`
	RepName       string          `json:"repName"`
	DeptName      string          `json:"deptName"`
	Due           *string         `json:"due"`
	Reply         string          `json:"reply"`
	RatingComment string          `json:"ratingComment"`
	StatusURL     string          `json:"statusUrl"`
	QRDataURL     string          `json:"qrDataUrl"`
	Timeline      []TimelineEntry `json:"timeline"`
}

// TimelineEntry is one step of a case's history, worded by sync/text (Timeline) in the
// station's language: the frontend shows it as it is.
type TimelineEntry struct {
	At    string `json:"at"`
	Kind  string `json:"kind"`
	Label string `json:"label"` // what happened
	Actor string `json:"actor"` // who did it
	Text  string `json:"text"`  // the details, "" when none
}

// RepCard is a representative as the kiosk shows one.
type RepCard struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Gender       string `json:"gender"`
	Level        string `json:"level"`
	Constituency string `json:"constituency"`
	Title        string `json:"title"`
	PhotoSeed    int    `json:"photoSeed"`
	// PhotoURL is the photo an admin uploaded, on the hub; "" when there is none (the screen
	// draws an avatar from PhotoSeed, also when the hub cannot be reached).
	PhotoURL    string `json:"photoUrl"`
	OnDutyToday bool   `json:"onDutyToday"`
	SignedIn    bool   `json:"signedIn"`
	Mine        bool   `json:"mine"`
	QRDataURL   string `json:"qrDataUrl"`
}

// ActivityCard is an activity as the kiosk lists it.
type ActivityCard struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Kind        string `json:"kind"`
	Place       string `json:"place"`
	Starts      string `json:"starts"`
	Ends        string `json:"ends"`
	Description string `json:"description"`
	Capacity    int    `json:"capacity"` // 0: no limit
	SignedUp    int    `json:"signedUp"` // taking part as this kiosk knows it
	Confirmed   int    `json:"confirmed"`
	Waiting     int    `json:"waiting"`
	Attended    int    `json:"attended"`
	Mine        bool   `json:"mine"`
	State       string `json:"state"` // upcoming | live | past
	Cancelled   bool   `json:"cancelled"`
	// SignUpRefusal is the code of why sign-up is closed now, "" while it is open.
	SignUpRefusal string `json:"signUpRefusal"`
}

// Diagnostics is the technician's view of the device.
type Diagnostics struct {
	Info   AppInfo      `json:"info"`
	Status DeviceStatus `json:"status"`
	Config ConfigView   `json:"config"`
	Ports  []string     `json:"ports"`
	PINSet bool         `json:"pinSet"`
	// RestartNeeded: a setting was changed that only a restart of the station applies.
	RestartNeeded bool `json:"restartNeeded"`
}

// ConfigView is the part of the settings the technician sees.
type ConfigView struct {
	DataDir     string `json:"dataDir"`
	Role        string `json:"role"`
	Name        string `json:"name"`
	HubURL      string `json:"hubUrl"`
	Reader      string `json:"reader"`
	Scanner     string `json:"scanner"`
	IdleSeconds int    `json:"idleSeconds"`
	Fullscreen  bool   `json:"fullscreen"`
}
