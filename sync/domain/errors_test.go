package domain

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorCarriesCodeThroughWrapping(t *testing.T) {
	t.Parallel()
	cause := errors.New("disk full")
	err := fmt.Errorf("record case: %w", WrapError(cause, CodeTextTooLong, "max", "1000"))
	e, ok := AsError(err)
	if !ok || e.Code != CodeTextTooLong || e.Params["max"] != "1000" {
		t.Fatalf("AsError = %+v, %v", e, ok)
	}
	if !errors.Is(err, NewError(CodeTextTooLong)) || errors.Is(err, NewError(CodeTextTooShort)) {
		t.Error("errors.Is does not match by code")
	}
	if !errors.Is(err, cause) {
		t.Error("the cause is lost")
	}
	if got, want := err.Error(), "record case: text_too_long (max=1000): disk full"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if ErrorCode(errors.New("plain")) != "" || ErrorCode(err) != CodeTextTooLong {
		t.Error("ErrorCode")
	}
	if e := NewError(CodeNotFound, "dangling"); e.Params != nil {
		t.Errorf("a key without a value became a parameter: %v", e.Params)
	}
}

func TestTransitionErrorUnwrapsToItsReason(t *testing.T) {
	t.Parallel()
	_, err := Transition(Case{}, Event{Kind: KindCaseSubmitted, Actor: Actor{Role: RoleAnonymous}}, DefaultRules())
	if !errors.Is(err, ErrIllegalTransition) {
		t.Fatalf("err = %v", err)
	}
	if ErrorCode(err) != CodeCaseIDMissing {
		t.Errorf("code = %q, want %q", ErrorCode(err), CodeCaseIDMissing)
	}
}

func TestRegistryIsWellFormed(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, c := range Codes() {
		if c.Code == "" || seen[c.Code] {
			t.Errorf("code %q empty or registered twice", c.Code)
		}
		seen[c.Code] = true
		if c.Group != GroupErrors && c.Group != GroupStatus {
			t.Errorf("%s: group %q", c.Code, c.Group)
		}
		if c.Shown&(OnStation|OnHub) == 0 {
			t.Errorf("%s: shown nowhere", c.Code)
		}
	}
	if _, ok := LookupCode("no_such_code"); ok {
		t.Error("LookupCode found an unregistered code")
	}
}
