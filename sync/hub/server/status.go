package server

import (
	"crypto/subtle"
	"errors"
	"html/template"
	"net/http"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// The public status page shows a resident how their case is going. Anyone holding the link
// (number + token) can read it, so it carries no personal data: the submitter appears as a
// masked surname, the resident's own words (case text, rating comment) are left out, and
// officials' notes pass through domain.ScrubText (text.Timeline with the Public audience).

var cst = time.FixedZone("CST", 8*3600)

type statusView struct {
	Found     bool
	Number    string
	Station   string
	Category  string
	State     string
	Closed    bool
	Submitter string
	Community string
	Submitted string
	Due       string
	Entries   []timelineEntry
}

type timelineEntry struct {
	At    string
	Label string
	Who   string
	Text  string
}

func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cst).Format("2006-01-02 15:04")
}

func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	pageHeaders(w, cspPage)
	c, err := s.store.CaseByNumber(r.Context(), r.PathValue("number"))
	token := r.URL.Query().Get("t")
	if err != nil || token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(c.Token)) != 1 {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Error("status page", "err", err)
		}
		w.WriteHeader(http.StatusNotFound)
		s.renderStatus(w, statusView{})
		return
	}
	v, err := s.statusViewOf(r, c)
	if err != nil {
		s.log.Error("status page", "case", c.Number, "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		s.renderStatus(w, statusView{})
		return
	}
	s.renderStatus(w, v)
}

func (s *Server) renderStatus(w http.ResponseWriter, v statusView) {
	if err := statusTemplate.Execute(w, v); err != nil {
		s.log.Warn("render status page", "err", err)
	}
}

func (s *Server) statusViewOf(r *http.Request, c domain.Case) (statusView, error) {
	ctx := r.Context()
	v := statusView{Found: true, Number: c.Number, Station: c.Station, Category: c.Category,
		State: text.StateName(text.ZhCN, c.State), Closed: !c.Open(), Community: c.Community,
		Submitted: localTime(c.SubmittedAt), Submitter: text.Submitter(text.ZhCN, c)}
	if c.Open() && !c.Due.IsZero() {
		v.Due = c.Due.In(cst).Format("2006-01-02")
	}
	if st, err := s.store.Station(ctx, c.Station); err == nil {
		v.Station = st.Name
	}
	if cat, err := s.store.Category(ctx, c.Category); err == nil {
		v.Category = cat.Name
	}
	evs, err := s.store.StreamEvents(ctx, c.ID)
	if err != nil {
		return v, err
	}
	// Only events that took effect: a losing concurrent claim is shown through its
	// resolution (co-handler), not as a second claim.
	_, applied := domain.Fold(evs, s.cfg.Rules)
	number := func(id string) string {
		if other, err := s.store.Case(ctx, id); err == nil {
			return other.Number
		}
		return ""
	}
	for _, e := range text.Timeline(evs, applied, text.Options{Lang: text.ZhCN, Loc: cst,
		Audience: text.Public, Submitter: v.Submitter, CaseNumber: number}) {
		v.Entries = append(v.Entries, timelineEntry{At: localTime(e.At), Label: e.Label, Who: e.Actor, Text: e.Text})
	}
	return v, nil
}

// pageCSS is the look shared by the case status page and a representative's page.
const pageCSS = `body{margin:0;font-family:"Noto Sans SC",system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1d2129;font-size:17px;line-height:1.6}
header{background:#b71c1c;color:#fff;padding:16px 20px}
header p{margin:4px 0 0;opacity:.9;font-size:15px}
main{max-width:640px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;padding:16px 18px;margin-bottom:16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
dt{color:#86909c}dd{margin:0}
footer{color:#86909c;font-size:13px;text-align:center;padding:8px 16px 24px}`

var statusTemplate = template.Must(template.New("status").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Found}}民情事项 {{.Number}}{{else}}未找到事项{{end}}</title>
<link rel="stylesheet" href="/console/fonts.css">
<style>
` + pageCSS + `
header h1{margin:0;font-size:20px}
.state{display:inline-block;padding:2px 12px;border-radius:999px;background:#e8f3ff;color:#165dff;font-weight:600}
.state.done{background:#e8ffea;color:#00b42a}
dl{display:grid;grid-template-columns:6em 1fr;gap:6px 12px;margin:12px 0 0}
ol{list-style:none;margin:0;padding:0}
li{position:relative;padding:0 0 16px 22px;border-left:2px solid #e5e6eb;margin-left:6px}
li:last-child{border-left-color:transparent}
li::before{content:"";position:absolute;left:-7px;top:6px;width:12px;height:12px;border-radius:50%;background:#b71c1c}
.when{color:#86909c;font-size:14px}
.what{font-weight:600}
.text{margin-top:4px;white-space:pre-wrap}
</style>
</head>
<body>
{{if .Found}}
<header><h1>民情事项办理进度</h1><p>{{.Station}}</p></header>
<main>
<section class="card">
<div><span class="state{{if .Closed}} done{{end}}">{{.State}}</span></div>
<dl>
<dt>事项编号</dt><dd>{{.Number}}</dd>
<dt>类别</dt><dd>{{.Category}}</dd>
<dt>反映人</dt><dd>{{.Submitter}}</dd>
{{if .Community}}<dt>社区</dt><dd>{{.Community}}</dd>{{end}}
<dt>提交时间</dt><dd>{{.Submitted}}</dd>
{{if .Due}}<dt>办理期限</dt><dd>{{.Due}}</dd>{{end}}
</dl>
</section>
<section class="card">
<h2 style="margin:0 0 12px;font-size:18px">办理过程</h2>
<ol>
{{range .Entries}}<li><div class="when">{{.At}}</div><div class="what">{{.Label}} · {{.Who}}</div>{{if .Text}}<div class="text">{{.Text}}</div>{{end}}</li>
{{end}}
</ol>
</section>
</main>
<footer>本页面不显示个人信息。如有疑问，请到联络站咨询。</footer>
{{else}}
<header><h1>未找到该事项</h1></header>
<main><section class="card">请核对事项编号和查询链接是否完整，或到联络站咨询。</section></main>
{{end}}
</body>
</html>
`))
