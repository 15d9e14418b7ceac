package domain

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func noteEvent(t *testing.T, kind Kind, actor Actor, at time.Time, n CaseNote) Event {
	t.Helper()
	b, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return Event{ID: NewEventID(), Stream: "0190e0b0-0000-7000-8000-000000000001", Kind: kind, Actor: actor, At: at, Data: b}
}

func TestResidentReplyIsARepresentativesProgressNote(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	rep := Actor{Role: RoleRepresentative, ID: "HX01-R01", Name: "张三"}
	dept := Actor{Role: RoleDepartment, ID: "JD-CG", Name: "街道城管科"}
	plain := noteEvent(t, KindCaseProgress, rep, at, CaseNote{Note: "已到现场"})
	reply := noteEvent(t, KindCaseProgress, rep, at.Add(2*time.Hour), CaseNote{Note: "您好，已收到", ToResident: true})
	later := noteEvent(t, KindCaseProgress, rep, at.Add(3*time.Hour), CaseNote{Note: "再次答复", ToResident: true})
	if IsResidentReply(plain) || !IsResidentReply(reply) {
		t.Fatal("IsResidentReply tells a reply from a note wrongly")
	}
	if IsResidentReply(noteEvent(t, KindCaseProgress, dept, at, CaseNote{Note: "x", ToResident: true})) {
		t.Error("a department's note counted as a representative's reply")
	}
	got, ok := FirstReply([]Event{plain, reply, later}, nil)
	if !ok || !got.Equal(reply.At) {
		t.Errorf("first reply %v %v, want %v", got, ok, reply.At)
	}
	// a reply that did not take effect does not count
	got, ok = FirstReply([]Event{plain, reply, later}, []Applied{{Effective: true}, {Effective: false}, {Effective: true}})
	if !ok || !got.Equal(later.At) {
		t.Errorf("first effective reply %v %v, want %v", got, ok, later.At)
	}
	if _, ok := FirstReply([]Event{plain}, nil); ok {
		t.Error("a case without a reply has a first reply")
	}
	if FirstReplyTarget != 24*time.Hour {
		t.Errorf("FirstReplyTarget = %v", FirstReplyTarget)
	}
}

func TestOnlyARepresentativeRepliesToTheResident(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	rep := Actor{Role: RoleRepresentative, ID: "HX01-R01", Name: "张三"}
	dept := Actor{Role: RoleDepartment, ID: "JD-CG", Name: "街道城管科"}
	c := Case{ID: "0190e0b0-0000-7000-8000-000000000001", State: StateAssigned, RepID: rep.ID, DeptCode: dept.ID}
	rules := DefaultRules()
	next, err := Transition(c, noteEvent(t, KindCaseProgress, rep, at, CaseNote{Note: "您好，已收到", ToResident: true}), rules)
	if err != nil || next.State != StateInProgress {
		t.Fatalf("representative's reply: %v %v", next.State, err)
	}
	_, err = Transition(c, noteEvent(t, KindCaseProgress, dept, at, CaseNote{Note: "已处理", ToResident: true}), rules)
	var te *TransitionError
	if !errors.As(err, &te) || te.Code != CodePayload {
		t.Errorf("a department's reply to the resident: %v", err)
	}
}
