package domain

import "testing"

func TestResidentHashNormalisesAndDependsOnKey(t *testing.T) {
	t.Parallel()
	k1 := []byte("0123456789abcdef0123456789abcdef")
	k2 := []byte("fedcba9876543210fedcba9876543210")
	a := ResidentHash(k1, "11010519491231002X")
	if b := ResidentHash(k1, " 11010519491231002x "); a != b {
		t.Fatalf("normalisation: %s != %s", a, b)
	}
	if ResidentHash(k2, "11010519491231002X") == a {
		t.Fatal("hash does not depend on the key")
	}
	if ResidentHash(k1, "440524188001010014") == a {
		t.Fatal("different numbers hash alike")
	}
	if id := ResidentID(a); len(id) != 22 || id[:2] != "R-" {
		t.Fatalf("resident id %q", id)
	}
}
