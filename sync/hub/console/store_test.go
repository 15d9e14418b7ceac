package console_test

import (
	"liaison/sync/hub/console"
	"liaison/sync/hub/sqlitestore"
)

var _ console.Store = (*sqlitestore.Store)(nil)
