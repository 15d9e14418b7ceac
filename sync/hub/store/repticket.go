package store

import "errors"

// ErrTicketUsed is returned when a representative's login ticket logged in before: a ticket
// opens one session only.
var ErrTicketUsed = errors.New("login ticket already used")
