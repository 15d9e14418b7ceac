package server

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// QRStore is what the badge endpoints and the mobile check-in page need from the store. The
// routes exist only when the server's store implements it (every store.Store does).
type QRStore interface {
	IssueBadge(ctx context.Context, repID string, validUntil time.Time) (store.BadgeRecord, error)
	RevokeBadge(ctx context.Context, serial, reason string, actor domain.Actor) (domain.Event, error)
	Badges(ctx context.Context) ([]store.BadgeRecord, error)
	Activity(ctx context.Context, id string) (domain.Activity, error)
	PhoneCheckIn(ctx context.Context, code, phone string) (store.CheckInResult, error)
	// VerifyCheckInCode checks a code's signature and window without recording anything,
	// so the form is never shown for a code that will be refused anyway.
	VerifyCheckInCode(ctx context.Context, code string) (domain.CheckInCode, error)
	DutySigns(ctx context.Context, station, day string) ([]store.DutySign, error)
}

// CheckInPath is where a rotating check-in QR points: PublicURL + CheckInPath + "?c=" + code.
const CheckInPath = "/a/checkin"

func (s *Server) qrRoutes(mux *http.ServeMux) {
	qs, ok := s.store.(QRStore)
	if !ok {
		return
	}
	mux.HandleFunc("GET "+CheckInPath, func(w http.ResponseWriter, r *http.Request) { s.checkInForm(w, r, qs) })
	mux.HandleFunc("POST "+CheckInPath, func(w http.ResponseWriter, r *http.Request) { s.checkInSubmit(w, r, qs) })
	mux.Handle("GET /api/v1/badges", s.staff(func(w http.ResponseWriter, r *http.Request) { s.listBadges(w, r, qs) }))
	mux.Handle("POST /api/v1/badges", s.staff(func(w http.ResponseWriter, r *http.Request) { s.issueBadge(w, r, qs) }))
	mux.Handle("GET /api/v1/duty", s.staff(func(w http.ResponseWriter, r *http.Request) { s.listDuty(w, r, qs) }))
	mux.Handle("POST /api/v1/badges/{serial}/revoke", s.staff(func(w http.ResponseWriter, r *http.Request) {
		s.revokeBadge(w, r, qs)
	}))
}

// checkInView is what the mobile page shows.
type checkInView struct {
	Code     string
	Title    string
	Place    string
	When     string
	Form     bool   // show the phone form
	Done     bool   // a check-in was recorded now
	Attended int    // people checked in so far
	Problem  string // why not, in Chinese
	Phone    string // the number typed, to show it again after a typing error
}

// Content security policies of the hub's pages: inline style, the bundled font from the hub
// itself (console.fontsCSSPath), and forms that post back.
const (
	cspPage = "default-src 'none'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'"
	cspForm = cspPage + "; form-action 'self'"
)

// pageHeaders are the headers of the hub's public HTML pages. Their URLs may hold a secret (a
// case token, a check-in code): never hand one to another site.
func pageHeaders(w http.ResponseWriter, csp string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Content-Security-Policy", csp)
}

// codeProblem is the registered code of why a check-in code cannot be used, and the HTTP
// status that goes with it.
func codeProblem(err error) (int, *domain.Error) {
	switch {
	case errors.Is(err, domain.ErrCheckInStale):
		return http.StatusGone, domain.NewError(domain.CodeCheckInExpired)
	case errors.Is(err, domain.ErrCheckInMalformed), errors.Is(err, domain.ErrCheckInForged),
		errors.Is(err, domain.ErrCheckInDevice):
		return http.StatusBadRequest, domain.NewError(domain.CodeCheckInInvalid)
	case errors.Is(err, store.ErrActivityNotFound):
		return http.StatusNotFound, domain.NewError(domain.CodeActivityNotFound)
	case errors.Is(err, store.ErrActivityNotOpen):
		return http.StatusConflict, domain.NewError(domain.CodeCheckInClosed)
	case errors.Is(err, store.ErrAlreadyCheckedIn):
		return http.StatusConflict, domain.NewError(domain.CodeCheckInDuplicate)
	case errors.Is(err, store.ErrBadPhone):
		return http.StatusBadRequest, domain.NewError(domain.CodePhoneRequired)
	}
	return http.StatusInternalServerError, domain.NewError(domain.CodeUnavailable)
}

func (s *Server) checkInForm(w http.ResponseWriter, r *http.Request, qs QRStore) {
	pageHeaders(w, cspForm)
	code := r.URL.Query().Get("c")
	v := checkInView{Code: code}
	c, err := qs.VerifyCheckInCode(r.Context(), code)
	if err == nil {
		var act domain.Activity
		if act, err = qs.Activity(r.Context(), c.Activity); err == nil {
			v.Title, v.Place, v.When, v.Form = act.Title, act.Place, activityWhen(act), true
		}
	}
	if err != nil {
		s.renderProblem(w, r, v, err)
		return
	}
	s.renderCheckIn(w, http.StatusOK, v)
}

func (s *Server) checkInSubmit(w http.ResponseWriter, r *http.Request, qs QRStore) {
	pageHeaders(w, cspForm)
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		s.renderProblem(w, r, checkInView{}, domain.ErrCheckInMalformed)
		return
	}
	code, phone := r.PostForm.Get("c"), strings.TrimSpace(r.PostForm.Get("phone"))
	v := checkInView{Code: code, Phone: phone}
	res, err := qs.PhoneCheckIn(r.Context(), code, phone)
	if err != nil {
		if act, aerr := qs.Activity(r.Context(), activityOf(code)); aerr == nil {
			v.Title, v.Place, v.When = act.Title, act.Place, activityWhen(act)
		}
		// a typing error keeps the form; everything else ends here
		v.Form = errors.Is(err, store.ErrBadPhone)
		s.renderProblem(w, r, v, err)
		return
	}
	s.log.Info("phone check-in", "activity", res.Activity.ID, "attended", res.Attended)
	v.Title, v.Place, v.When = res.Activity.Title, res.Activity.Place, activityWhen(res.Activity)
	v.Done, v.Attended, v.Phone = true, res.Attended, ""
	s.renderCheckIn(w, http.StatusOK, v)
}

func activityOf(code string) string {
	c, _, _, err := domain.ParseCheckIn(code)
	if err != nil {
		return ""
	}
	return c.Activity
}

func activityWhen(a domain.Activity) string {
	return a.Starts.In(cst).Format("1月2日 15:04") + "–" + a.Ends.In(cst).Format("15:04")
}

func (s *Server) renderProblem(w http.ResponseWriter, r *http.Request, v checkInView, err error) {
	status, problem := codeProblem(err)
	if status == http.StatusInternalServerError {
		s.log.Error("check-in page", "path", r.URL.Path, "err", err)
	}
	v.Problem = text.Message(text.ZhCN, problem.Code, problem.Params)
	s.renderCheckIn(w, status, v)
}

func (s *Server) renderCheckIn(w http.ResponseWriter, status int, v checkInView) {
	w.WriteHeader(status)
	if err := checkInTemplate.Execute(w, v); err != nil {
		s.log.Warn("render check-in page", "err", err)
	}
}

// phonePageTop opens a public phone page of the hub (check-in, sign-up): the head with the
// pages' shared style plus the page's own rules, and the heading.
func phonePageTop(title, extraStyle string) string {
	return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>` + title + `</title>
<link rel="stylesheet" href="/console/fonts.css">
<style>
body{font-family:"Noto Sans SC",system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f1ea;color:#1d1d1d;font-size:18px}
main{max-width:34rem;margin:0 auto;padding:1.2rem}
h1{font-size:1.5rem;margin:.2rem 0 1rem}
.card{background:#fff;border-radius:12px;padding:1.1rem;margin-bottom:1rem;box-shadow:0 1px 3px #0002}
.meta{color:#555;margin:.3rem 0}
.ok{border-left:6px solid #1d7a3a}
.bad{border-left:6px solid #b3261e}
label{display:block;margin:.6rem 0 .3rem}
input{font-size:1.3rem;width:100%;box-sizing:border-box;padding:.7rem;border:1px solid #999;border-radius:8px}
button{font-size:1.3rem;width:100%;margin-top:1rem;padding:.8rem;border:0;border-radius:8px;background:#b3261e;color:#fff}
.small{font-size:.9rem;color:#555}
` + extraStyle + `</style></head><body><main>
<h1>` + title + `</h1>
`
}

var checkInTemplate = template.Must(template.New("checkin").Parse(phonePageTop("活动签到", "") + `{{if .Title}}<div class="card"><strong id="title">{{.Title}}</strong>
<div class="meta">{{.When}}</div>{{if .Place}}<div class="meta">{{.Place}}</div>{{end}}</div>{{end}}
{{if .Done}}<div class="card ok" id="result" data-result="ok"><strong>签到成功</strong>
<p>已签到 <span id="attended">{{.Attended}}</span> 人。感谢参加！</p></div>{{end}}
{{if .Problem}}<div class="card bad" id="result" data-result="refused"><strong>{{.Problem}}</strong></div>{{end}}
{{if .Form}}<form class="card" method="post" action="/a/checkin">
<input type="hidden" name="c" value="{{.Code}}">
<label for="phone">手机号码</label>
<input id="phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel" maxlength="20" value="{{.Phone}}" required>
<button type="submit" id="submit">签到</button>
<p class="small">手机号只用于确认每人签到一次：服务器只保存它的加密摘要，不保存号码本身。</p>
</form>{{end}}
</main></body></html>
`))
