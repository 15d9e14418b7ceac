package app

import (
	"slices"
	"testing"

	"liaison/sync/domain"
)

type namesEmitter struct{ names []string }

func (e *namesEmitter) Emit(name string, _ any) { e.names = append(e.names, name) }

type kicks struct{ n int }

func (k *kicks) Kick() { k.n++ }

// The board is paced in one place, the wall's store (frontend/src/stores/board.ts): the Go
// side tells it of every change at once, before Wrote or Applied returns, one event per call.
func TestBoardChangedIsNotPacedInGo(t *testing.T) {
	t.Parallel()
	e, k := &namesEmitter{}, &kicks{}
	n := NewNotifier(nil)
	n.SetEmitter(e)
	n.SetSync(k)
	for range 3 {
		n.Wrote([]string{"case-1"})
		n.Applied([]domain.Event{{Kind: domain.KindCaseAccepted, Stream: "case-2"}})
	}
	boards := 0
	for _, name := range e.names {
		if name == EventBoardChanged {
			boards++
		}
	}
	if boards != 6 || k.n != 3 || !slices.Contains(e.names, EventCasesChanged) {
		t.Fatalf("events %v, %d kicks", e.names, k.n)
	}
}
