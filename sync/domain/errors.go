package domain

import "errors"

// ErrNotFound is returned by stores when a case, resident or reference item does not exist.
var ErrNotFound = errors.New("not found")
