package domain

import (
	"slices"
	"strings"
)

// Levels of the organisation tree, highest first. Stations hang beneath streets.
const (
	LevelCity     = "city"
	LevelDistrict = "district"
	LevelStreet   = "street"
)

// OrgLevels lists the levels highest first: a node's parent is of a higher level.
var OrgLevels = []string{LevelCity, LevelDistrict, LevelStreet}

// OrgNode is one organisation of the tree city → district → street (市 → 区 → 街道); stations
// belong to a street. A person's account belongs to one node (or to none: the whole hub) and
// sees what lies beneath it.
type OrgNode struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Level   string `json:"level"`            // one of OrgLevels
	Parent  string `json:"parent,omitempty"` // "" for a top node
	Retired bool   `json:"retired,omitempty"`
}

// LevelRank is a level's place in OrgLevels (0 highest), -1 for none.
func LevelRank(level string) int { return slices.Index(OrgLevels, level) }

// OrgTree answers questions about the organisation: which node a station belongs to, what
// lies beneath a node, what a node's ancestors are. The empty node code "" stands for the
// whole hub, above every top node. A tree is read-only once built.
type OrgTree struct {
	nodes    map[string]OrgNode
	order    []string          // node codes in the order given
	stations map[string]string // station code → its node ("" when none or unknown)
	names    map[string]string // station code → name
	stOrder  []string
}

// NewOrgTree builds the tree from the nodes and the stations. A station naming an unknown
// node, or a node whose parent is unknown, hangs from the top; a parent chain that loops is
// cut where it loops.
func NewOrgTree(nodes []OrgNode, stations []Station) *OrgTree {
	t := &OrgTree{nodes: map[string]OrgNode{}, stations: map[string]string{}, names: map[string]string{}}
	for _, n := range nodes {
		if _, seen := t.nodes[n.Code]; !seen {
			t.order = append(t.order, n.Code)
		}
		t.nodes[n.Code] = n
	}
	for _, st := range stations {
		node := st.Node
		if _, ok := t.nodes[node]; !ok {
			node = ""
		}
		if _, seen := t.stations[st.Code]; !seen {
			t.stOrder = append(t.stOrder, st.Code)
		}
		t.stations[st.Code], t.names[st.Code] = node, st.Name
	}
	return t
}

// Node returns the node with the code.
func (t *OrgTree) Node(code string) (OrgNode, bool) {
	n, ok := t.nodes[code]
	return n, ok
}

// parent is the node's parent as the tree holds it: "" for a top node or an unknown parent.
func (t *OrgTree) parent(code string) string {
	p := t.nodes[code].Parent
	if _, ok := t.nodes[p]; !ok {
		return ""
	}
	return p
}

// Path lists the node and its ancestors, nearest first, without the whole hub ("").
func (t *OrgTree) Path(code string) []string {
	var out []string
	for c := code; c != "" && !slices.Contains(out, c); c = t.parent(c) {
		if _, ok := t.nodes[c]; !ok {
			break
		}
		out = append(out, c)
	}
	return out
}

// Parent returns the node's parent, "" for a top node.
func (t *OrgTree) Parent(code string) string {
	if p := t.Path(code); len(p) > 1 {
		return p[1]
	}
	return ""
}

// Contains reports whether node lies beneath anc or is anc. The whole hub ("") contains
// every node.
func (t *OrgTree) Contains(anc, node string) bool {
	return anc == "" || slices.Contains(t.Path(node), anc)
}

// StationNode returns the node a station belongs to, "" when none.
func (t *OrgTree) StationNode(station string) string { return t.stations[station] }

// StationName returns a station's name, its code when unknown.
func (t *OrgTree) StationName(station string) string {
	if n := t.names[station]; n != "" {
		return n
	}
	return station
}

// StationUnder reports whether a station lies beneath anc.
func (t *OrgTree) StationUnder(anc, station string) bool {
	return anc == "" || t.Contains(anc, t.stations[station])
}

// StationsUnder lists the stations beneath anc, nil for the whole hub (every station,
// including those the tree has not heard of).
func (t *OrgTree) StationsUnder(anc string) []string {
	if anc == "" {
		return nil
	}
	out := []string{}
	for _, st := range t.stOrder {
		if t.StationUnder(anc, st) {
			out = append(out, st)
		}
	}
	return out
}

// Children returns the nodes directly beneath code ("" for the top nodes) and the stations
// that belong to it directly, each in the order the tree was given.
func (t *OrgTree) Children(code string) (nodes []OrgNode, stations []string) {
	for _, c := range t.order {
		if c != code && t.parent(c) == code && !slices.Contains(t.Path(code), c) {
			nodes = append(nodes, t.nodes[c])
		}
	}
	for _, st := range t.stOrder {
		if t.stations[st] == code {
			stations = append(stations, st)
		}
	}
	return nodes, stations
}

// Levels reports whether the hub is organised in levels at all.
func (t *OrgTree) Levels() bool { return len(t.nodes) > 0 }

// CaseLevel is the node that owns a case now: the node it was escalated to, else the
// node of its station.
func (t *OrgTree) CaseLevel(c Case) string {
	if c.EscalatedTo != "" {
		return c.EscalatedTo
	}
	return t.stations[c.Station]
}

// ServesNode reports whether an item defined at level node (a department, a category) is
// available at level at: defined there or above. Items defined for the whole hub ("") are
// available everywhere.
func (t *OrgTree) ServesNode(node, at string) bool {
	return node == "" || t.Contains(node, at)
}

// NodeName returns a node's name, "" for the whole hub, the code for an unknown node.
func (t *OrgTree) NodeName(code string) string {
	if n, ok := t.nodes[code]; ok {
		return n.Name
	}
	return strings.TrimSpace(code)
}
