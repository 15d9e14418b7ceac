package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

// addAdmin gives a data directory an admin, 李洁 (login lijie): the --user of the tests' writes.
func addAdmin(t *testing.T, dir string) {
	t.Helper()
	addUser(t, dir, "lijie", "admin", "李洁")
}

func addUser(t *testing.T, dir, login, role, name string, more ...string) {
	t.Helper()
	args := append([]string{"user", "add", login, "--role", role, "--name", name, "--password-stdin", "--data", dir}, more...)
	if code, _, errOut := runIn(t, "test-password-1\n", args...); code != 0 {
		t.Fatalf("user add %s: exit %d, %s", login, code, errOut)
	}
}

// openStore opens the data directory's store for a look at what the commands recorded.
func openStore(t *testing.T, dir string) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func onlyActor(t *testing.T, st *sqlitestore.Store, stream string, kind domain.Kind) domain.Actor {
	t.Helper()
	evs, err := st.StreamEvents(context.Background(), stream)
	if err != nil || len(evs) != 1 || evs[0].Kind != kind {
		t.Fatalf("%s: %+v, %v; want one %s", stream, evs, err, kind)
	}
	return evs[0].Actor
}

// The command line's writes are recorded as the person --user names, as `case act`'s are;
// without --user, or with an account that may not make the change, nothing is written.
func TestWritesRecordThePerson(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errOut := runCmd(t, "seed", "--data", dir); code != 0 {
		t.Fatalf("seed: %s", errOut)
	}
	addAdmin(t, dir)
	addUser(t, dir, "wangzr", "staff", "王主任")
	addUser(t, dir, "zhujianju", "department", "朱建军", "--dept", "JD-CG")
	addUser(t, dir, "zhaoli", "staff", "赵丽")
	if code, _, errOut := runCmd(t, "user", "disable", "zhaoli", "--data", dir); code != 0 {
		t.Fatalf("disable: %s", errOut)
	}
	st := openStore(t, dir)
	dev := storetest.Pair(t, st, "HX01", store.RoleKiosk, "大厅")
	station := []string{"station", "add", "--code", "HX02", "--name", "测试二站", "--data", dir}
	revoke := []string{"device", "revoke", dev.ID, "--data", dir}
	steps := []struct {
		args    []string
		user    string
		code    int
		want    string
		wantErr string
	}{
		{station, "", 2, "", "station add needs --user LOGIN"},
		{station, "nobody", 1, "", `no user \"nobody\"`},
		{station, "wangzr", 1, "", "user wangzr is a staff account; station add is for admin accounts"},
		{station, "LiJie", 0, "station HX02", ""},
		{revoke, "", 2, "", "device revoke needs --user LOGIN"},
		{revoke, "zhaoli", 1, "", "user zhaoli is disabled"},
		{revoke, "zhujianju", 1, "", "user zhujianju is a department account"},
		{revoke, "wangzr", 0, "device " + dev.ID + " revoked", ""},
	}
	for _, s := range steps {
		args := s.args
		if s.user != "" {
			args = append(append([]string(nil), args...), "--user", s.user)
		}
		code, out, errOut := runCmd(t, args...)
		if code != s.code || !strings.Contains(out, s.want) || !strings.Contains(errOut, s.wantErr) {
			t.Fatalf("%v: exit %d, out %q, err %q", args, code, out, errOut)
		}
	}
	if got, want := onlyActor(t, st, "station:HX02", domain.KindStationUpserted),
		(domain.Actor{Role: domain.RoleStaff, ID: "lijie", Name: "李洁（街道人大工委）"}); got != want {
		t.Errorf("station.upserted by %+v, want %+v", got, want)
	}
	if got, want := onlyActor(t, st, "device:"+dev.ID, domain.KindDeviceRevoked),
		(domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}); got != want {
		t.Errorf("device.revoked by %+v, want %+v", got, want)
	}
}
