package serialport

import "testing"

func TestHealthSignalsOnlyRealChangesAndCoalesces(t *testing.T) {
	t.Parallel()
	type st struct{ State string }
	h := NewHealth(st{State: "connecting"})
	h.Update(func(s *st) { s.State = "connecting" })
	select {
	case <-h.Changed():
		t.Fatal("signalled without a change")
	default:
	}
	h.Update(func(s *st) { s.State = "ok" })
	h.Update(func(s *st) { s.State = "error" })
	<-h.Changed()
	select {
	case <-h.Changed():
		t.Fatal("two changes gave two signals; they should coalesce")
	default:
	}
	if h.Get().State != "error" {
		t.Fatalf("snapshot %+v", h.Get())
	}
}
