package domain

import (
	"encoding/json"
	"os"
	"testing"
)

// The cases are shared with the frontend's test of its copy of the rule
// (frontend/src/__tests__/validate.spec.ts), which keeps the two rules equal.
func TestValidPhone(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/phones.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases struct{ Valid, Invalid []string }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases.Valid) == 0 || len(cases.Invalid) == 0 {
		t.Fatal("no phone cases")
	}
	for _, p := range cases.Valid {
		if !ValidPhone(p) {
			t.Errorf("ValidPhone(%q) = false, want true", p)
		}
		// what a kiosk records, the hub accepts
		if !phoneLike(p) {
			t.Errorf("phoneLike(%q) = false for a valid number: the hub would refuse the fact", p)
		}
	}
	for _, p := range cases.Invalid {
		if ValidPhone(p) {
			t.Errorf("ValidPhone(%q) = true, want false", p)
		}
	}
}
