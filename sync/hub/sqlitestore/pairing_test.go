package sqlitestore

import (
	"context"
	"testing"

	"liaison/sync/hub/store"
)

// Only a pairing code's hash is in the database, so a copy of the database pairs nothing.
// (What pairing does is the contract's, tested in storetest.)
func TestPairingCodeStoredHashed(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	pc, err := s.CreatePairingCode(ctx, "HX01", store.RoleKiosk, "大厅一体机")
	if err != nil {
		t.Fatal(err)
	}
	var clear, hashed int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pairing_codes WHERE hash = ?`, pc.Code).Scan(&clear); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM pairing_codes WHERE hash = ?`, hashCode(pc.Code)).Scan(&hashed); err != nil {
		t.Fatal(err)
	}
	if clear != 0 || hashed != 1 {
		t.Fatalf("rows matching the code in clear: %d, by its hash: %d; want 0 and 1", clear, hashed)
	}
}
