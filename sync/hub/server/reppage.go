package server

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"time"

	"liaison/sync/domain"
)

// The page a kiosk's "扫码找代表" QR opens on a resident's phone: who the representative is,
// where and when to meet them. It shows only what the station's own screens show publicly.

// RepStore is what the representative page needs from the store (store.Store has it).
type RepStore interface {
	Representative(ctx context.Context, id string) (domain.Representative, error)
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
}

// RepPath is where a representative's QR points: PublicURL + RepPath + id.
const RepPath = "/r/"

type repView struct {
	Found    bool
	Retired  bool // no longer receives residents: the page says so and shows nothing else
	Rep      domain.Representative
	Stations []repStation
}

type repStation struct {
	Name    string
	Address string
	Days    []string // upcoming duty days at this station, e.g. 11月25日（周三）
}

func (s *Server) repRoutes(mux *http.ServeMux) {
	rs, ok := s.store.(RepStore)
	if !ok {
		return
	}
	mux.HandleFunc("GET "+RepPath+"{id}", func(w http.ResponseWriter, r *http.Request) { s.repPage(w, r, rs) })
}

func (s *Server) repPage(w http.ResponseWriter, r *http.Request, rs RepStore) {
	// the photo uploaded in the console is served by this hub (/media/reps/)
	pageHeaders(w, cspPage+"; img-src 'self'")
	ctx := r.Context()
	rep, err := rs.Representative(ctx, r.PathValue("id"))
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		s.renderRep(w, repView{})
		return
	}
	if rep.Retired {
		w.WriteHeader(http.StatusNotFound)
		s.renderRep(w, repView{Retired: true})
		return
	}
	v := repView{Found: true, Rep: rep}
	now := s.cfg.Now()
	for _, code := range rep.Stations {
		st, err := s.store.Station(ctx, code)
		if err != nil {
			continue
		}
		v.Stations = append(v.Stations, repStation{Name: st.Name, Address: st.Address,
			Days: s.dutyDays(ctx, rs, code, rep.ID, now)})
	}
	s.renderRep(w, v)
}

// dutyDays lists the next days (at most five, two weeks ahead) the representative is on the
// station's roster.
func (s *Server) dutyDays(ctx context.Context, rs RepStore, station, repID string, now time.Time) []string {
	raw, err := rs.RefData(ctx, domain.KindDutyRosterUpserted, station)
	if err != nil {
		s.log.Warn("representative page roster", "err", err)
		return nil
	}
	today := now.In(cst).Format("2006-01-02")
	horizon := now.In(cst).AddDate(0, 0, 14).Format("2006-01-02")
	var days []string
	for _, b := range raw {
		var sh domain.DutyShift
		if json.Unmarshal(b, &sh) != nil || sh.Station != station || sh.Day < today || sh.Day > horizon {
			continue
		}
		if slices.Contains(sh.RepIDs, repID) {
			days = append(days, sh.Day)
		}
	}
	slices.Sort(days)
	days = slices.Compact(days)
	if len(days) > 5 {
		days = days[:5]
	}
	out := make([]string, 0, len(days))
	for _, d := range days {
		t, err := time.ParseInLocation("2006-01-02", d, cst)
		if err == nil {
			out = append(out, t.Format("1月2日")+"（"+weekdays[t.Weekday()]+"）")
		}
	}
	return out
}

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

func (s *Server) renderRep(w http.ResponseWriter, v repView) {
	if err := repTemplate.Execute(w, v); err != nil {
		s.log.Warn("render representative page", "err", err)
	}
}

var repTemplate = template.Must(template.New("rep").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Found}}{{.Rep.Name}} · 人大代表{{else}}未找到代表{{end}}</title>
<link rel="stylesheet" href="/console/fonts.css">
<style>
` + pageCSS + `
header h1{margin:0;font-size:22px}
dl{display:grid;grid-template-columns:5em 1fr;gap:6px 12px;margin:0}
h2{margin:0 0 8px;font-size:18px}
ul{margin:8px 0 0;padding-left:1.2em}
.photo{width:96px;height:96px;object-fit:cover;border-radius:50%;float:right;margin-left:12px}
.profile{white-space:pre-line;margin:12px 0 0}
</style>
</head>
<body>
{{if .Found}}
<header>{{if .Rep.Photo}}<img class="photo" src="{{.Rep.Photo}}" alt="">{{end}}<h1>{{.Rep.Name}}</h1><p>{{.Rep.Level}}</p></header>
<main>
<section class="card">
<dl>
<dt>选区</dt><dd>{{.Rep.Constituency}}</dd>
{{if .Rep.Title}}<dt>职业</dt><dd>{{.Rep.Title}}</dd>{{end}}
</dl>
{{if .Rep.Profile}}<p class="profile">{{.Rep.Profile}}</p>{{end}}
</section>
{{range .Stations}}
<section class="card">
<h2>到联络站找代表</h2>
<div>{{.Name}}</div>
{{if .Address}}<div>{{.Address}}</div>{{end}}
{{if .Days}}<div style="margin-top:8px">近期值班：</div><ul>{{range .Days}}<li>{{.}}</li>{{end}}</ul>
{{else}}<div style="margin-top:8px">近期没有排班，可到联络站留言，工作人员会转交代表。</div>{{end}}
</section>
{{end}}
</main>
{{else if .Retired}}
<header><h1>这位代表已不在联络站接待选民</h1></header>
<main><section class="card">请到联络站触摸屏查看其他代表，或到联络站留言。</section></main>
{{else}}
<header><h1>未找到这位代表</h1></header>
<main><section class="card">二维码可能已过期，请到联络站触摸屏重新查看。</section></main>
{{end}}
<footer>人大代表联络站</footer>
</body>
</html>
`))
