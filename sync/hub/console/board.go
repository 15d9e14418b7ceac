package console

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
)

// The board of an area: a district's or a city's wall, and the console's overview. The store
// adds up each station's figures in one pass over the desk (BoardCounts); the console sums
// them up the organisation tree, so a node's figures are exactly its stations' together.

// boardFresh is how long one reading of the stations' figures serves every board asked for:
// a district's walls and desks share it instead of each scanning the desk.
const boardFresh = 5 * time.Second

// BoardArea is one area of a board with its figures: the whole hub (level "hub"), a node
// (city, district, street) or a station (level "station").
type BoardArea struct {
	Code     string       `json:"code"`
	Name     string       `json:"name"`
	Level    string       `json:"level"`
	Stations int          `json:"stations"` // stations beneath (1 for a station)
	Rates    domain.Rates `json:"rates"`
	Drill    bool         `json:"drill"` // a node with areas beneath to open
}

// BoardCrumb is an area on the way from the account's own area down to the one shown.
type BoardCrumb struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Board is the body of GET /api/v1/board?node=CODE: the area's figures, each area directly
// beneath it with its own, and the way back up.
type Board struct {
	Area     BoardArea    `json:"area"`
	Path     []BoardCrumb `json:"path"`
	Children []BoardArea  `json:"children"`
	At       time.Time    `json:"at"`
}

// boardCache keeps the latest reading of the stations' figures.
type boardCache struct {
	mu     sync.Mutex
	at     time.Time
	counts map[string]domain.Tally
}

// counts returns the stations' figures as of a reading at most boardFresh old, and when it
// was made.
func (c *Console) boardCounts(ctx context.Context) (map[string]domain.Tally, time.Time, error) {
	b := &c.boardCache
	b.mu.Lock()
	defer b.mu.Unlock()
	now := c.cfg.Now()
	if b.counts != nil && now.Sub(b.at) < boardFresh && !now.Before(b.at) {
		return b.counts, b.at, nil
	}
	counts, err := c.st.BoardCounts(ctx, now)
	if err != nil {
		return nil, time.Time{}, err
	}
	b.counts, b.at = counts, now
	return counts, now, nil
}

// BoardOf builds the board of node for an account that sees beneath own ("" the whole hub).
func BoardOf(tree *domain.OrgTree, counts map[string]domain.Tally, own, node string) Board {
	area := func(code, level string) BoardArea {
		a := BoardArea{Code: code, Level: level}
		var t domain.Tally
		if level == "station" {
			a.Name, a.Stations = tree.StationName(code), 1
			t = counts[code]
		} else {
			a.Name = tree.NodeName(code)
			if code == "" {
				a.Name, a.Level = "全部", "hub"
				for _, x := range counts {
					t.Merge(x)
				}
			}
			stations := tree.StationsUnder(code)
			if code == "" {
				a.Stations = len(counts)
			} else {
				a.Stations = len(stations)
				for _, st := range stations {
					t.Merge(counts[st])
				}
			}
			nodes, direct := tree.Children(code)
			a.Drill = len(nodes) > 0 || len(direct) > 0
		}
		a.Rates = t.Rates()
		return a
	}
	level := "hub"
	if n, ok := tree.Node(node); ok {
		level = n.Level
	}
	b := Board{Area: area(node, level), Children: []BoardArea{}}
	nodes, stations := tree.Children(node)
	for _, n := range nodes {
		if !n.Retired {
			b.Children = append(b.Children, area(n.Code, n.Level))
		}
	}
	for _, st := range stations {
		b.Children = append(b.Children, area(st, "station"))
	}
	// the way back: from the account's own area down to the node shown
	path := tree.Path(node)
	for i := len(path) - 1; i >= 0; i-- {
		if tree.Contains(own, path[i]) {
			b.Path = append(b.Path, BoardCrumb{Code: path[i], Name: tree.NodeName(path[i])})
		}
	}
	if own == "" {
		b.Path = append([]BoardCrumb{{Code: "", Name: "全部"}}, b.Path...)
	}
	return b
}

func (c *Console) board(w http.ResponseWriter, r *http.Request, p *principal) {
	tree, err := c.orgTree(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	node, err := viewNode(p, tree, r.URL.Query().Get("node"))
	if errors.Is(err, ErrBadNode) {
		writeError(w, http.StatusBadRequest, domain.CodeBadNode)
		return
	}
	counts, at, err := c.boardCounts(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	own := ""
	if areaBound(p.User) {
		own = p.User.Node
	}
	b := BoardOf(tree, counts, own, node)
	b.At = at
	httpjson.Write(w, http.StatusOK, b)
}
