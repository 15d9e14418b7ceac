package console

import (
	"context"
	"errors"
	"fmt"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// The console's levels: an account belongs to an organisation node and sees the stations
// beneath it (the whole hub when it belongs to none); a case is worked by the level that owns
// it (its street, or the node it was escalated to) and by the levels above.

// Errors of the levels; the API maps each to its code.
var (
	ErrBadNode = errors.New("unknown node or outside the account's")
)

// LevelError refuses an action on a case that another level owns: name is that level's.
type LevelError struct{ Name string }

func (e *LevelError) Error() string { return "the case is handled by " + e.Name }

// EscalateError refuses an escalation: Code is domain.CodeEscalateNoParent or
// CodeEscalateBadTarget, Name the node it names.
type EscalateError struct{ Code, Name string }

func (e *EscalateError) Error() string { return e.Code + ": " + e.Name }

// DeptLevelError refuses assigning a case to a department of a level beneath or beside the
// case's: Name is the department's, Level the case's level.
type DeptLevelError struct{ Name, Level string }

func (e *DeptLevelError) Error() string { return e.Name + " is not a department of " + e.Level }

// orgTree reads the organisation nodes and the stations into a tree.
func (c *Console) orgTree(ctx context.Context) (*domain.OrgTree, error) {
	nodes, err := decodeRefs[domain.OrgNode](ctx, c.st, domain.KindOrgNodeUpserted)
	if err != nil {
		return nil, err
	}
	stations, err := decodeRefs[domain.Station](ctx, c.st, domain.KindStationUpserted)
	if err != nil {
		return nil, err
	}
	return domain.NewOrgTree(nodes, stations), nil
}

// levelName is how a node appears in a message: its name, 本级 for the whole hub.
func levelName(tree *domain.OrgTree, node string) string {
	if node == "" {
		return "本级"
	}
	return tree.NodeName(node)
}

// areaBound reports whether the account is bound to an area at all: department and
// representative accounts are scoped by their unit instead.
func areaBound(u store.User) bool {
	return u.Node != "" && (u.Role == store.RoleAdmin || u.Role == store.RoleStaff || u.Role == store.RoleDisplay)
}

// inArea reports whether p's area holds the case's station.
func inArea(p *principal, tree *domain.OrgTree, cs domain.Case) bool {
	return !areaBound(p.User) || tree.StationUnder(p.User.Node, cs.Station)
}

// ownsLevel checks that p's area holds the level that owns the case now: a street's staff
// no longer work a case escalated above them.
func ownsLevel(p *principal, tree *domain.OrgTree, cs domain.Case) error {
	if !areaBound(p.User) {
		return nil
	}
	if level := tree.CaseLevel(cs); !tree.Contains(p.User.Node, level) {
		return &LevelError{Name: levelName(tree, level)}
	}
	return nil
}

// viewNode is the node a request looks at: the one it names, which must lie in the
// account's area, or the account's own.
func viewNode(p *principal, tree *domain.OrgTree, node string) (string, error) {
	own := ""
	if areaBound(p.User) {
		own = p.User.Node
	}
	if node == "" {
		return own, nil
	}
	if _, ok := tree.Node(node); !ok || !tree.Contains(own, node) {
		return "", fmt.Errorf("%w: %q", ErrBadNode, node)
	}
	return node, nil
}

// escalation is the payload of an escalation of cs to the node to ("" for the level above
// the case's own).
func escalation(tree *domain.OrgTree, cs domain.Case, to, note string) (domain.CaseEscalated, error) {
	level := tree.CaseLevel(cs)
	if to == "" {
		to = tree.Parent(level)
		if level == "" || to == "" {
			return domain.CaseEscalated{}, &EscalateError{Code: domain.CodeEscalateNoParent, Name: levelName(tree, level)}
		}
	}
	n, ok := tree.Node(to)
	if !ok || n.Retired || to == level || level == "" || !tree.Contains(to, level) {
		return domain.CaseEscalated{}, &EscalateError{Code: domain.CodeEscalateBadTarget, Name: tree.NodeName(to)}
	}
	return domain.CaseEscalated{To: n.Code, ToName: n.Name, Note: note}, nil
}

// assignable lists the departments a case may be given to now: those of its level and of
// the levels above (a district's case cannot go to a street's 城管科).
func assignable(tree *domain.OrgTree, cs domain.Case, depts []domain.Department) []RefDepartment {
	level := tree.CaseLevel(cs)
	out := []RefDepartment{}
	for _, d := range depts {
		if !d.Retired && tree.ServesNode(d.Node, level) {
			out = append(out, RefDepartment{Code: d.Code, Name: d.Name, Node: d.Node})
		}
	}
	return out
}
