package app

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
)

// The frontend calls bound methods by name (frontend/src/bindings/transport.ts). Every name it
// calls must exist on exactly one bound service, or the call fails only at run time.
func TestFrontendCallsExistingMethods(t *testing.T) {
	files, err := filepath.Glob("../frontend/src/bindings/*.ts")
	if err != nil || len(files) == 0 {
		t.Fatalf("no binding wrappers found: %v", err)
	}
	owners := map[string][]string{}
	for _, svc := range (&Station{}).Services() {
		typ := reflect.TypeOf(svc)
		for i := 0; i < typ.NumMethod(); i++ {
			owners[typ.Method(i).Name] = append(owners[typ.Method(i).Name], typ.Elem().Name())
		}
	}
	callRE := regexp.MustCompile(`call(?:<[^()]*?>)?\(\s*'([A-Za-z]+)'`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range callRE.FindAllSubmatch(b, -1) {
			seen++
			name := string(m[1])
			switch len(owners[name]) {
			case 1:
			case 0:
				t.Errorf("%s calls %s, which no bound service has", filepath.Base(f), name)
			default:
				t.Errorf("%s calls %s, which %v all have: the call is ambiguous", filepath.Base(f), name, owners[name])
			}
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d calls; has the wrapper style changed?", seen)
	}
}
