package main

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

type sampleKind string

type sampleBase struct {
	ID   string `json:"id"`
	Note string `json:"note"` // hidden by the outer Note
}

type sampleItem struct {
	At   time.Time  `json:"at"`
	Kind sampleKind `json:"kind"`
}

type sample struct {
	sampleBase
	Note     string              `json:"note,omitempty"`
	Due      time.Time           `json:"due,omitzero"`
	Groups   [][]sampleItem      `json:"groups"`
	Score    *float64            `json:"score"`
	Tags     map[string][]string `json:"tags,omitempty"`
	Count    int64               `json:"count,string"`
	Internal string              `json:"-"`
	Raw      []byte              `json:"raw"`
	Inline   struct {
		OK bool `json:"ok"`
	} `json:"inline"`
	hidden string
}

func TestRenderSample(t *testing.T) {
	got, err := Render(Spec{
		Header: "// head\n",
		Unions: []Union{{Name: "Kind", Const: "KINDS", Values: []string{"a", "b'c"}, Go: reflect.TypeFor[sampleKind]()}},
		Decls:  []Decl{{Type: reflect.TypeFor[sample](), Name: "Sample"}, {Type: reflect.TypeFor[sampleItem]()}},
		Fields: map[string]string{"Sample.note": "'x' | 'y'"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `// head

export const KINDS = ['a', 'b\'c'] as const
export type Kind = (typeof KINDS)[number]

/** Go: apitypes.sample */
export interface Sample {
  id: string
  note?: 'x' | 'y'
  due?: string
  groups: sampleItem[][]
  score: number | null
  tags?: Record<string, string[]>
  count: string
  raw: string
  inline: {
    ok: boolean
  }
}

/** Go: apitypes.sampleItem */
export interface sampleItem {
  at: string
  kind: Kind
}
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestRenderRefusesUndeclared(t *testing.T) {
	type holder struct {
		Item sampleItem `json:"item"`
	}
	_, err := Render(Spec{Decls: []Decl{{Type: reflect.TypeFor[holder]()}}})
	if err == nil || !strings.Contains(err.Error(), "not declared") {
		t.Fatalf("err = %v, want an undeclared struct refused", err)
	}
}

func TestRenderRefusesUnknownOverride(t *testing.T) {
	_, err := Render(Spec{Decls: []Decl{{Type: reflect.TypeFor[sampleItem]()}},
		Fields: map[string]string{"sampleItem.nope": "string"}})
	if err == nil {
		t.Fatal("an override of a missing field was accepted")
	}
}

// The console's own spec renders: every type it names is declared and every override exists.
func TestRenderConsole(t *testing.T) {
	got, err := Render(spec())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"export interface CaseRow {", "  sla: Sla\n", "  case: CaseRow\n", "  avg_rating: number | null\n"} {
		if !strings.Contains(got, s) {
			t.Errorf("output lacks %q", s)
		}
	}
}
