package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
)

// refStore is the part of the store the reference lists need.
type refStore interface {
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
}

func decodeRefs[T any](ctx context.Context, st refStore, kind domain.Kind) ([]T, error) {
	raw, err := st.RefData(ctx, kind, "")
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(raw))
	for _, r := range raw {
		var v T
		if err := json.Unmarshal(r, &v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", kind, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func findRep(ctx context.Context, st refStore, id string) (domain.Representative, bool, error) {
	if id == "" {
		return domain.Representative{}, false, nil
	}
	reps, err := decodeRefs[domain.Representative](ctx, st, domain.KindRepresentativeUpserted)
	if err != nil {
		return domain.Representative{}, false, err
	}
	i := slices.IndexFunc(reps, func(r domain.Representative) bool { return r.ID == id })
	if i < 0 {
		return domain.Representative{}, false, nil
	}
	return reps[i], true, nil
}

// RefStation, RefDepartment, RefCategory and RefRep are the pickers' entries of GET /api/v1/ref.
type RefStation struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Communities []string `json:"communities"`
	Node        string   `json:"node,omitempty"` // the street it belongs to
}

// RefDepartment: Node is the level it belongs to ("" the whole hub).
type RefDepartment struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Node string `json:"node,omitempty"`
}

// RefNode is an organisation node (市, 区, 街道) of GET /api/v1/ref.
type RefNode struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  string `json:"level"`
	Parent string `json:"parent,omitempty"`
}

func refNode(n domain.OrgNode) RefNode {
	return RefNode{Code: n.Code, Name: n.Name, Level: n.Level, Parent: n.Parent}
}

// RefCategory carries the deadlines that apply to cases of the category: its own, or the
// lifecycle's defaults (domain.Rules) where it sets none. Node is the level that defined it
// ("" the whole hub).
type RefCategory struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	AcceptHours int    `json:"accept_hours"`
	HandleDays  int    `json:"handle_days"`
	Node        string `json:"node,omitempty"`
}

type RefRep struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Level    string   `json:"level"`
	Stations []string `json:"stations"`
}

// Ref is the body of GET /api/v1/ref.
type Ref struct {
	Nodes           []RefNode       `json:"nodes"`
	Stations        []RefStation    `json:"stations"`
	Departments     []RefDepartment `json:"departments"`
	Categories      []RefCategory   `json:"categories"`
	Representatives []RefRep        `json:"representatives"`
}

// refs is the reference data the desk looks names up in.
type refs struct {
	Ref
	category map[string]string
	dept     map[string]string
	rep      map[string]domain.Representative
	rules    domain.Rules // with the reference data's calendar and category deadlines
	tree     *domain.OrgTree
	depts    []domain.Department // every department, retired ones too
}

func (c *Console) loadRefs(ctx context.Context) (refs, error) {
	var r refs
	stations, err := decodeRefs[domain.Station](ctx, c.st, domain.KindStationUpserted)
	if err != nil {
		return r, err
	}
	depts, err := decodeRefs[domain.Department](ctx, c.st, domain.KindDepartmentUpserted)
	if err != nil {
		return r, err
	}
	cats, err := decodeRefs[domain.Category](ctx, c.st, domain.KindCategoryUpserted)
	if err != nil {
		return r, err
	}
	reps, err := decodeRefs[domain.Representative](ctx, c.st, domain.KindRepresentativeUpserted)
	if err != nil {
		return r, err
	}
	nodes, err := decodeRefs[domain.OrgNode](ctx, c.st, domain.KindOrgNodeUpserted)
	if err != nil {
		return r, err
	}
	r.tree = domain.NewOrgTree(nodes, stations)
	r.depts = depts
	r.Nodes = []RefNode{}
	for _, n := range nodes {
		if !n.Retired {
			r.Nodes = append(r.Nodes, refNode(n))
		}
	}
	slices.SortStableFunc(cats, func(a, b domain.Category) int { return a.Order - b.Order })
	r.category, r.dept, r.rep = map[string]string{}, map[string]string{}, map[string]domain.Representative{}
	r.Stations, r.Departments = []RefStation{}, []RefDepartment{}
	r.Categories, r.Representatives = []RefCategory{}, []RefRep{}
	// The lists are the pickers': retired items are left out. The maps name every item, so
	// the history of a case still shows a retired department or representative.
	for _, s := range stations {
		if s.Retired {
			continue
		}
		r.Stations = append(r.Stations, RefStation{Code: s.Code, Name: s.Name, Communities: nonNil(s.Communities), Node: s.Node})
	}
	for _, d := range depts {
		r.dept[d.Code] = d.Name
		if !d.Retired {
			r.Departments = append(r.Departments, RefDepartment{Code: d.Code, Name: d.Name, Node: d.Node})
		}
	}
	rules := c.rules(ctx)
	r.rules = rules
	for _, k := range cats {
		r.category[k.Code] = k.Name
		if !k.Retired {
			r.Categories = append(r.Categories, RefCategory{Code: k.Code, Name: k.Name,
				AcceptHours: rules.AcceptHoursFor(k.Code), HandleDays: rules.HandleDaysFor(k.Code), Node: k.Node})
		}
	}
	for _, p := range reps {
		r.rep[p.ID] = p
		if !p.Retired {
			r.Representatives = append(r.Representatives, RefRep{ID: p.ID, Name: p.Name, Level: p.Level, Stations: nonNil(p.Stations)})
		}
	}
	return r, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (c *Console) ref(w http.ResponseWriter, r *http.Request, p *principal) {
	refs, err := c.loadRefs(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	out := refs.Ref
	if areaBound(p.User) {
		// the pickers of an account bound to an area: its nodes and stations; the departments
		// and categories defined in it or inherited from above (a street does not see another
		// street's offices); the representatives of its stations
		node, tree := p.User.Node, refs.tree
		related := func(level string) bool { return tree.Contains(node, level) || tree.ServesNode(level, node) }
		out.Nodes = slices.DeleteFunc(slices.Clone(out.Nodes), func(n RefNode) bool { return !tree.Contains(node, n.Code) })
		out.Stations = slices.DeleteFunc(slices.Clone(out.Stations), func(s RefStation) bool { return !tree.StationUnder(node, s.Code) })
		out.Departments = slices.DeleteFunc(slices.Clone(out.Departments), func(d RefDepartment) bool { return !related(d.Node) })
		out.Categories = slices.DeleteFunc(slices.Clone(out.Categories), func(k RefCategory) bool { return !related(k.Node) })
		out.Representatives = slices.DeleteFunc(slices.Clone(out.Representatives), func(r RefRep) bool {
			return !slices.ContainsFunc(r.Stations, func(st string) bool { return tree.StationUnder(node, st) })
		})
	}
	httpjson.Write(w, http.StatusOK, out)
}
