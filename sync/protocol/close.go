package protocol

import (
	"errors"
	"fmt"
)

// CloseCode is a WebSocket close status this protocol uses.
type CloseCode int

// Close codes (docs/sync-protocol.md §5).
const (
	CloseNormal        CloseCode = 1000
	CloseGoingAway     CloseCode = 1001
	CloseTooBig        CloseCode = 1009
	CloseShutdown      CloseCode = 4000
	CloseAuthTimeout   CloseCode = 4001
	CloseBadSignature  CloseCode = 4002
	CloseUnknownDevice CloseCode = 4003
	CloseRevoked       CloseCode = 4004
	CloseVersion       CloseCode = 4005
	CloseMalformed     CloseCode = 4006
	CloseTooLarge      CloseCode = 4007
	CloseSlowConsumer  CloseCode = 4008
	CloseProtocol      CloseCode = 4009
	CloseBusy          CloseCode = 4010
	CloseInternal      CloseCode = 4011
	CloseReplaced      CloseCode = 4013
)

// Reconnect says whether and how soon a client reconnects after a close.
type Reconnect int

const (
	// ReconnectBackoff: continue the jittered exponential back-off.
	ReconnectBackoff Reconnect = iota
	// ReconnectSoon: restart the back-off at its minimum (the hub is restarting).
	ReconnectSoon
	// ReconnectLater: wait the back-off cap before trying again.
	ReconnectLater
	// ReconnectNever: do not reconnect until a person acts (re-pair, upgrade).
	ReconnectNever
)

func (r Reconnect) String() string {
	switch r {
	case ReconnectSoon:
		return "soon"
	case ReconnectLater:
		return "later"
	case ReconnectNever:
		return "never"
	}
	return "backoff"
}

// Reconnect tells the client what to do after the hub closed with c. Codes the protocol does
// not define (and connections dropped without a close frame) continue the back-off.
func (c CloseCode) Reconnect() Reconnect {
	switch c {
	case CloseGoingAway, CloseShutdown:
		return ReconnectSoon
	case CloseBadSignature, CloseBusy, CloseReplaced:
		return ReconnectLater
	case CloseUnknownDevice, CloseRevoked, CloseVersion:
		return ReconnectNever
	}
	return ReconnectBackoff
}

var closeNames = map[CloseCode]string{
	CloseNormal: "normal", CloseGoingAway: "going away", CloseTooBig: "too big",
	CloseShutdown: "shutdown", CloseAuthTimeout: "auth timeout", CloseBadSignature: "bad signature",
	CloseUnknownDevice: "unknown device", CloseRevoked: "revoked", CloseVersion: "version",
	CloseMalformed: "malformed", CloseTooLarge: "too large", CloseSlowConsumer: "slow consumer",
	CloseProtocol: "protocol", CloseBusy: "busy", CloseInternal: "internal", CloseReplaced: "replaced",
}

func (c CloseCode) String() string {
	if n, ok := closeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("close %d", int(c))
}

// CloseCodeFor maps a Decode error to the close code the receiver sends.
func CloseCodeFor(err error) CloseCode {
	switch {
	case errors.Is(err, ErrTooLarge):
		return CloseTooLarge
	case errors.Is(err, ErrUnknownType):
		return CloseProtocol
	default:
		return CloseMalformed
	}
}
