package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The package diagram of docs/architecture.md is kept true: every package of the module
// stands on the left of one arrow, and the arrow names exactly the module's packages it
// imports (tests aside). Names are short where that is unambiguous: "store" is the package
// whose path ends in /store nearest to the one importing it.
func TestArchitectureDiagramMatchesImports(t *testing.T) {
	t.Parallel()
	doc := diagramArrows(t, "docs/architecture.md")
	code := moduleImports(t)
	var all []string
	for p := range code {
		all = append(all, p)
	}
	slices.Sort(all)
	seen := map[string]bool{}
	prev := "" // a short name on the left is read near the arrow above it
	for _, a := range doc {
		for _, from := range a.from {
			p, ok := resolvePackage(from, prev, all)
			if !ok {
				t.Errorf("docs/architecture.md names %q, which is no package of the module (or more than one)", from)
				continue
			}
			if seen[p] {
				t.Errorf("docs/architecture.md has %s on the left of two arrows", p)
			}
			seen[p], prev = true, p
			var want []string
			for _, to := range a.to {
				q, ok := resolvePackage(to, p, all)
				if !ok {
					t.Errorf("%s ──▶ %q: no such package of the module (or more than one)", from, to)
					continue
				}
				want = append(want, q)
			}
			slices.Sort(want)
			if got := code[p]; !slices.Equal(got, want) {
				t.Errorf("%s imports %v; docs/architecture.md says %v", p, got, want)
			}
		}
	}
	for _, p := range all {
		if !seen[p] {
			t.Errorf("%s is missing from the package diagram of docs/architecture.md", p)
		}
	}
}

type arrow struct{ from, to []string }

// diagramArrows reads the code block after "## Packages and the one-way arrows". A line
// "  <group>  a, b ──▶ c, d   description" is an arrow; a target list that ends in a comma
// goes on on the next line. "(nothing)" is no target.
func diagramArrows(t *testing.T, path string) []arrow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []arrow
	in, block := false, false
	more := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == "## Packages and the one-way arrows"
			continue
		case !in:
			continue
		case strings.HasPrefix(line, "```"):
			if block {
				return out
			}
			block = true
			continue
		case !block:
			continue
		}
		left, right, ok := strings.Cut(line, "──▶")
		if !ok {
			if more && len(out) > 0 {
				var to []string
				to, more = names(firstField(line))
				out[len(out)-1].to = append(out[len(out)-1].to, to...)
			}
			continue
		}
		// the group label, if any, is the first run of words two spaces before the names
		fields := splitWide(strings.TrimSpace(left))
		from, _ := names(fields[len(fields)-1])
		to, cont := names(firstField(right))
		more = cont
		out = append(out, arrow{from: from, to: to})
	}
	t.Fatalf("%s: no package diagram", path)
	return nil
}

// splitWide splits s at runs of two or more spaces.
func splitWide(s string) []string {
	var out []string
	for _, f := range strings.Split(s, "  ") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func firstField(s string) string {
	if f := splitWide(strings.TrimSpace(s)); len(f) > 0 {
		return f[0]
	}
	return ""
}

// names splits "a, b, c" (or "(nothing)"); more reports a trailing comma.
func names(s string) (out []string, more bool) {
	s = strings.TrimSpace(strings.TrimSuffix(s, "(main)"))
	more = strings.HasSuffix(s, ",")
	if s == "(nothing)" {
		return nil, false
	}
	for _, n := range strings.Split(strings.TrimSuffix(s, ","), ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out, more
}

// resolvePackage finds the module package a diagram name stands for: the path itself, else
// the one ending in /name, else among several the one sharing the longest prefix with near.
func resolvePackage(name, near string, all []string) (string, bool) {
	if slices.Contains(all, name) {
		return name, true
	}
	var best string
	bestLen, ties := -1, 0
	for _, p := range all {
		if !strings.HasSuffix(p, "/"+name) {
			continue
		}
		n := commonDirs(p, near)
		switch {
		case n > bestLen:
			best, bestLen, ties = p, n, 1
		case n == bestLen:
			ties++
		}
	}
	return best, ties == 1
}

func commonDirs(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] {
		n++
	}
	return n
}

// moduleImports is every package of the module with the module's packages it imports, as
// paths relative to the module ("liaison" for the root).
func moduleImports(t *testing.T) map[string][]string {
	t.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to list the packages")
		}
	}
	out, err := exec.Command(goBin, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	rel := func(p string) (string, bool) {
		if p == "liaison" {
			return p, true
		}
		r, ok := strings.CutPrefix(p, "liaison/")
		return r, ok
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		p, _ := rel(f[0])
		deps := []string{}
		for _, imp := range f[1:] {
			if r, ok := rel(imp); ok {
				deps = append(deps, r)
			}
		}
		slices.Sort(deps)
		m[p] = deps
	}
	return m
}
