package app

import (
	"context"
	"testing"

	"liaison/app/store"
	"liaison/sync/domain"
)

// A read-only store: a submission is refused with store_read_only and its reason, what was
// recorded before is still looked up, the status and the heartbeat name the reason, and the
// station takes submissions again once the store writes.
func TestReadOnlyStoreRefusesWritesAndServesReads(t *testing.T) {
	ts := newTestStation(t)
	k := ts.Kiosk
	ctx := context.Background()
	if _, err := k.StartAnonymous(); err != nil {
		t.Fatal(err)
	}
	rc, err := k.SubmitCase(CaseInput{Category: "env", Text: "三号楼门口的路灯坏了很久", Community: "朝阳社区"})
	if err != nil {
		t.Fatal(err)
	}
	if h := ts.mon.Health(); h.ReadOnly != "" {
		t.Fatalf("heartbeat of a writable store says read-only %q", h.ReadOnly)
	}

	ts.store.Recheck(ctx, true) // the disk below the reserve
	_, err = k.SubmitCase(CaseInput{Category: "env", Text: "楼下垃圾桶满了没人清理", Community: "朝阳社区"})
	if e := AsError(err); e.Code != domain.CodeStoreReadOnly || e.Params["reason"] != store.ReasonDiskFull {
		t.Fatalf("submission while read-only: %v", err)
	}
	number, token, _ := parseReceiptURL(rc.StatusURL)
	if got, err := k.LookupCase(number, token); err != nil || got.CaseID != rc.CaseID {
		t.Fatalf("lookup while read-only: %+v, %v", got, err)
	}
	if st := ts.mon.Status(ctx); st.Store.ReadOnly != store.ReasonDiskFull {
		t.Fatalf("status while read-only: %+v", st.Store)
	}
	if h := ts.mon.Health(); h.ReadOnly != store.ReasonDiskFull {
		t.Fatalf("heartbeat while read-only: %q", h.ReadOnly)
	}

	ts.store.Recheck(ctx, false) // space back
	if _, err := k.SubmitCase(CaseInput{Category: "env", Text: "楼下垃圾桶满了没人清理", Community: "朝阳社区"}); err != nil {
		t.Fatalf("submission once the store writes again: %v", err)
	}
	if h := ts.mon.Health(); h.ReadOnly != "" {
		t.Fatalf("heartbeat after recovery: %q", h.ReadOnly)
	}
}
