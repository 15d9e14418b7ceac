package app

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// The frontend's event module mirrors the registry; a name added on one side only would be
// an event nobody hears.
func TestFrontendMirrorsEventRegistry(t *testing.T) {
	b, err := os.ReadFile("../frontend/src/events/index.ts")
	if err != nil {
		t.Fatalf("read frontend events: %v", err)
	}
	block := regexp.MustCompile(`(?s)interface EventPayloads \{(.*?)\n\}`).FindSubmatch(b)
	if block == nil {
		t.Fatal("no EventPayloads interface in frontend/src/events/index.ts")
	}
	var ts []string
	for _, m := range regexp.MustCompile(`'([a-z]+:[a-z_]+)'\s*:`).FindAllSubmatch(block[1], -1) {
		ts = append(ts, string(m[1]))
	}
	goNames := slices.Clone(EventNames)
	slices.Sort(ts)
	slices.Sort(goNames)
	if !slices.Equal(ts, goNames) {
		t.Errorf("frontend events %v, Go registry %v", ts, goNames)
	}
}
