package server

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"liaison/sync/domain"
)

// The street's public 工作评议 page: the rankings of the departments that 评议 sessions
// published (domain.DeptRanking), the latest first. A ranking holds departments and figures
// only, so the page, like the case status page, carries no personal data.

// RankingPath is the page of the latest ranking; RankingPath + "/" + id is one ranking.
const RankingPath = "/pingyi"

// RankingStore is what the page needs from the store (store.Store has it).
type RankingStore interface {
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
}

type rankingView struct {
	Found   bool
	Ranking domain.DeptRanking
	Rows    []rankingRowView
	Others  []rankingLink
}

type rankingRowView struct {
	domain.RankingRow
	Score, AcceptRate, HandleRate, AvgRating string
}

type rankingLink struct{ Href, Title string }

func (s *Server) rankingRoutes(mux *http.ServeMux) {
	rs, ok := s.store.(RankingStore)
	if !ok {
		return
	}
	mux.HandleFunc("GET "+RankingPath, func(w http.ResponseWriter, r *http.Request) { s.rankingPage(w, r, rs, "") })
	mux.HandleFunc("GET "+RankingPath+"/{id}", func(w http.ResponseWriter, r *http.Request) {
		s.rankingPage(w, r, rs, r.PathValue("id"))
	})
}

// publishedRankings are the rankings not withdrawn, the latest published first.
func publishedRankings(ctx context.Context, rs RankingStore) ([]domain.DeptRanking, error) {
	raw, err := rs.RefData(ctx, domain.KindDeptRankingUpserted, "")
	if err != nil {
		return nil, err
	}
	var out []domain.DeptRanking
	for _, b := range raw {
		var rk domain.DeptRanking
		if json.Unmarshal(b, &rk) == nil && !rk.Retired {
			out = append(out, rk)
		}
	}
	slices.SortFunc(out, func(a, b domain.DeptRanking) int { return b.Published.Compare(a.Published) })
	return out, nil
}

func (s *Server) rankingPage(w http.ResponseWriter, r *http.Request, rs RankingStore, id string) {
	pageHeaders(w, cspPage)
	all, err := publishedRankings(r.Context(), rs)
	if err != nil {
		s.log.Error("ranking page", "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		s.renderRanking(w, rankingView{})
		return
	}
	var v rankingView
	for _, rk := range all {
		if !v.Found && (id == "" || rk.ID == id) {
			v.Found, v.Ranking = true, rk
			continue
		}
		v.Others = append(v.Others, rankingLink{Href: RankingPath + "/" + rk.ID, Title: rk.Title})
	}
	if !v.Found {
		w.WriteHeader(http.StatusNotFound)
		s.renderRanking(w, v)
		return
	}
	pct := func(n, d int) string {
		if d == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
	}
	for _, row := range v.Ranking.Rows {
		rv := rankingRowView{RankingRow: row, Score: fmt.Sprintf("%.1f", row.Score),
			AcceptRate: pct(row.AcceptedOnTime, row.Received), HandleRate: pct(row.HandledOnTime, row.Received), AvgRating: "—"}
		if row.AvgRating != nil {
			rv.AvgRating = strings.TrimSuffix(fmt.Sprintf("%.2f", *row.AvgRating), "0")
		}
		v.Rows = append(v.Rows, rv)
	}
	s.renderRanking(w, v)
}

func (s *Server) renderRanking(w http.ResponseWriter, v rankingView) {
	if err := rankingTemplate.Execute(w, v); err != nil {
		s.log.Warn("render ranking page", "err", err)
	}
}

var rankingTemplate = template.Must(template.New("ranking").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Found}}{{.Ranking.Title}}{{else}}承办单位工作评议{{end}}</title>
<link rel="stylesheet" href="/console/fonts.css">
<style>
` + pageCSS + `
header h1{margin:0;font-size:20px}
main{max-width:860px}
table{width:100%;border-collapse:collapse;font-size:15px}
th,td{padding:8px 6px;text-align:right;border-bottom:1px solid #e5e6eb;white-space:nowrap}
th{color:#86909c;font-weight:400}
th:nth-child(2),td:nth-child(2){text-align:left;white-space:normal}
td.rank{font-weight:700;color:#b71c1c;text-align:center}
.wrap{overflow-x:auto}
.note{color:#86909c;font-size:14px;margin:12px 0 0}
ul{margin:0;padding-left:1.2em}
</style>
</head>
<body>
{{if .Found}}
<header><h1>{{.Ranking.Title}}</h1><p>评议期间：{{.Ranking.Period}}（{{.Ranking.From}} 至 {{.Ranking.To}}）· 评议日期：{{.Ranking.Held}}</p></header>
<main>
<section class="card">
<div class="wrap">
<table>
<thead><tr><th>名次</th><th>承办单位</th><th>得分</th><th>评议等次</th><th>交办件数</th><th>按期签收率</th><th>按期答复率</th><th>满意度</th></tr></thead>
<tbody>
{{range .Rows}}<tr><td class="rank">{{.Rank}}</td><td>{{.DeptName}}</td><td>{{.Score}}</td><td>{{if .Grade}}{{.Grade}}{{else}}—{{end}}</td><td>{{.Received}}</td><td>{{.AcceptRate}}</td><td>{{.HandleRate}}</td><td>{{.AvgRating}}</td></tr>
{{else}}<tr><td colspan="8" style="text-align:center">评议期间内没有交办事项</td></tr>{{end}}
</tbody>
</table>
</div>
<p class="note">得分满分 100：按期签收 20 分、按期答复 30 分、群众评价 30 分（满意 3、基本满意 2、不满意 1）、未退单 10 分、未被督办 10 分；没有评价的单位按其余各项折算。满意度为评价的平均分（满分 3）。</p>
</section>
{{if .Others}}<section class="card"><h2 style="margin:0 0 8px;font-size:18px">往期评议</h2><ul>{{range .Others}}<li><a href="{{.Href}}">{{.Title}}</a></li>{{end}}</ul></section>{{end}}
</main>
{{else}}
<header><h1>承办单位工作评议</h1></header>
<main><section class="card">暂无公布的评议结果。</section></main>
{{end}}
<footer>人大代表联络站</footer>
</body>
</html>
`))
