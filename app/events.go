package app

// The one registry of event names sent from Go to the frontend. frontend/src/events mirrors it;
// a test keeps the two in step.
const (
	EventSessionChanged = "session:changed" // Session or null
	EventCardError      = "card:error"      // Problem
	EventStatusChanged  = "status:changed"  // DeviceStatus
	EventCasesChanged   = "cases:changed"   // CasesChanged
	EventBoardChanged   = "board:changed"   // struct{} — at once, per write or applied page; the wall paces its fetches
	EventRepsChanged    = "reps:changed"    // struct{}
	EventScanResult     = "scan:result"     // ScanResult — what a scan did, for the confirmation on screen
	EventRepChanged     = "rep:changed"     // RepSession or null — the representative's workbench
	EventSessionActive  = "session:active"  // SessionActive — the person at the kiosk is still using it
)

// EventNames lists every event the app emits.
var EventNames = []string{
	EventSessionChanged, EventCardError, EventStatusChanged,
	EventCasesChanged, EventBoardChanged, EventRepsChanged,
	EventScanResult, EventRepChanged, EventSessionActive,
}

// SessionActive is the payload of EventSessionActive: the resident's session or the
// workbench (by its id) was just used in some window. Every window showing the kiosk restarts
// its idle countdown, so one that nobody touches never ends a session in use elsewhere.
type SessionActive struct {
	ID string `json:"id"`
}

// CasesChanged is the payload of EventCasesChanged.
type CasesChanged struct {
	IDs []string `json:"ids"`
}

// Emitter sends an event to the frontend. The Wails implementation lives in runtime.go; tests
// and headless runs use a recorder or a logger.
type Emitter interface {
	Emit(name string, payload any)
}
