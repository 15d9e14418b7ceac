package domain

import (
	"slices"
	"testing"
)

// demoTree: a city with a district of two streets; station C1 hangs nowhere, S9 names an
// unknown street.
func demoTree() *OrgTree {
	return NewOrgTree([]OrgNode{
		{Code: "SHI", Name: "示范市", Level: LevelCity},
		{Code: "QU", Name: "示范区", Level: LevelDistrict, Parent: "SHI"},
		{Code: "XF", Name: "幸福街道", Level: LevelStreet, Parent: "QU"},
		{Code: "HP", Name: "和平街道", Level: LevelStreet, Parent: "QU"},
	}, []Station{
		{Code: "XF01", Name: "幸福一站", Node: "XF"}, {Code: "XF02", Name: "幸福二站", Node: "XF"},
		{Code: "HP01", Name: "和平站", Node: "HP"}, {Code: "C1", Name: "无主站"}, {Code: "S9", Node: "NOPE"},
	})
}

func TestOrgTreeContainment(t *testing.T) {
	t.Parallel()
	tr := demoTree()
	if got := tr.Path("XF"); !slices.Equal(got, []string{"XF", "QU", "SHI"}) {
		t.Errorf("path of XF: %v", got)
	}
	for _, tc := range []struct {
		anc, node string
		want      bool
	}{
		{"", "XF", true}, {"SHI", "XF", true}, {"QU", "QU", true}, {"XF", "QU", false},
		{"HP", "XF", false}, {"QU", "", false}, {"", "", true},
	} {
		if got := tr.Contains(tc.anc, tc.node); got != tc.want {
			t.Errorf("Contains(%q, %q) = %v", tc.anc, tc.node, got)
		}
	}
	if got := tr.StationsUnder("QU"); !slices.Equal(got, []string{"XF01", "XF02", "HP01"}) {
		t.Errorf("stations under QU: %v", got)
	}
	if got := tr.StationsUnder("HP"); !slices.Equal(got, []string{"HP01"}) {
		t.Errorf("stations under HP: %v", got)
	}
	if tr.StationsUnder("") != nil {
		t.Error("the whole hub lists no stations: it means all of them")
	}
	if tr.StationUnder("QU", "S9") || !tr.StationUnder("", "S9") {
		t.Error("a station naming an unknown node hangs from the top")
	}
	nodes, stations := tr.Children("QU")
	if len(nodes) != 2 || nodes[0].Code != "XF" || nodes[1].Code != "HP" || len(stations) != 0 {
		t.Errorf("children of QU: %v %v", nodes, stations)
	}
	nodes, stations = tr.Children("")
	if len(nodes) != 1 || nodes[0].Code != "SHI" || !slices.Equal(stations, []string{"C1", "S9"}) {
		t.Errorf("top: %v %v", nodes, stations)
	}
	if tr.Parent("XF") != "QU" || tr.Parent("SHI") != "" {
		t.Error("parents")
	}
}

func TestOrgTreeLoopIsCut(t *testing.T) {
	t.Parallel()
	tr := NewOrgTree([]OrgNode{{Code: "A", Parent: "B"}, {Code: "B", Parent: "A"}}, nil)
	if got := tr.Path("A"); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("path through a loop: %v", got)
	}
	if tr.Contains("C", "A") {
		t.Error("a loop contains nothing else")
	}
}

func TestCaseLevelAndServedItems(t *testing.T) {
	t.Parallel()
	tr := demoTree()
	c := Case{Station: "XF01"}
	if tr.CaseLevel(c) != "XF" {
		t.Errorf("a street's case: %q", tr.CaseLevel(c))
	}
	c.EscalatedTo = "QU"
	if tr.CaseLevel(c) != "QU" {
		t.Errorf("an escalated case: %q", tr.CaseLevel(c))
	}
	// a district department serves the district and the streets beneath; a street's serves
	// only its street
	if !tr.ServesNode("QU", "XF") || !tr.ServesNode("QU", "QU") || tr.ServesNode("XF", "QU") ||
		tr.ServesNode("HP", "XF") || !tr.ServesNode("", "QU") {
		t.Error("served items")
	}
}
