package storetest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// AddStation records a station, with a name and one community, so devices can be paired to it.
func AddStation(t testing.TB, s store.Reference, code string) {
	t.Helper()
	_, err := s.UpsertStation(context.Background(), domain.Station{Code: code, Name: "测试联络站" + code,
		Communities: []string{"测试社区"}}, domain.Actor{Role: domain.RoleStaff, Name: "测试"})
	if err != nil {
		t.Fatal(err)
	}
}

// PairKeyed enrols a new device of the station in role, named name, through a fresh pairing
// code, and returns it with its private key for a test that signs as the device.
func PairKeyed(t testing.TB, s store.Enrolment, station, role, name string) (store.DeviceInfo, ed25519.PrivateKey) {
	t.Helper()
	ctx := context.Background()
	pc, err := s.CreatePairingCode(ctx, station, role, name)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Pair(ctx, pc.Code, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	return d, priv
}

// Pair is PairKeyed for a test that does not sign as the device.
func Pair(t testing.TB, s store.Enrolment, station, role, name string) store.DeviceInfo {
	t.Helper()
	d, _ := PairKeyed(t, s, station, role, name)
	return d
}
