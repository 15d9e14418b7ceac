package server

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// SignUpStore is what the mobile sign-up page needs from the store (every store.Store has it).
type SignUpStore interface {
	Activity(ctx context.Context, id string) (domain.Activity, error)
	PhoneSignUp(ctx context.Context, activity, phone string, cancel bool) (store.SignUpResult, error)
	PhoneSignUpStatus(ctx context.Context, activity, phone string) (store.SignUpResult, error)
}

// SignUpPath is the mobile sign-up page of an activity: PublicURL + SignUpPath + "/" + id. The
// kiosk shows it as a QR (手机报名) on the activity.
const SignUpPath = "/a/signup"

// Posts to the sign-up page: a client (address, IPv6 /64) may post SignUpPosts times in
// SignUpWindow, and all clients together SignUpGlobalPosts, so phone numbers cannot be tried
// in bulk to read or cancel other people's sign-ups.
const (
	SignUpPosts       = 20
	SignUpWindow      = 10 * time.Minute
	SignUpGlobalPosts = 3000
)

func (s *Server) signUpRoutes(mux *http.ServeMux) {
	ss, ok := s.store.(SignUpStore)
	if !ok {
		return
	}
	mux.HandleFunc("GET "+SignUpPath+"/{activity}", func(w http.ResponseWriter, r *http.Request) { s.signUpForm(w, r, ss) })
	mux.HandleFunc("POST "+SignUpPath+"/{activity}", func(w http.ResponseWriter, r *http.Request) { s.signUpSubmit(w, r, ss) })
}

// signUpView is what the mobile sign-up page shows.
type signUpView struct {
	Action    string // the form's target
	Title     string
	Place     string
	When      string
	Capacity  int
	Confirmed int
	Waiting   int
	Open      bool   // sign-up is open: offer 报名
	Closed    string // why sign-up is closed, in Chinese
	Form      bool
	Phone     string
	Result    string // ok | refused
	Headline  string // the outcome, in Chinese
	Detail    string
	Problem   string
	Confirm   bool // ask before cancelling
}

func (s *Server) signUpActivity(w http.ResponseWriter, r *http.Request, ss SignUpStore) (domain.Activity, signUpView, bool) {
	id := r.PathValue("activity")
	v := signUpView{Action: SignUpPath + "/" + id}
	act, err := ss.Activity(r.Context(), id)
	if err != nil {
		status, problem := signUpProblem(err)
		if status == http.StatusInternalServerError {
			s.log.Error("sign-up page", "activity", id, "err", err)
		}
		v.Result, v.Problem = "refused", text.Message(text.ZhCN, problem.Code, problem.Params)
		s.renderSignUp(w, status, v)
		return act, v, false
	}
	v.Title, v.Place, v.When, v.Capacity = act.Title, act.Place, activityWhen(act), act.Capacity
	v.Form = true
	if why := domain.SignUpRefusal(act, s.cfg.Now()); why != "" {
		v.Closed = text.Message(text.ZhCN, why, nil)
	} else {
		v.Open = true
	}
	return act, v, true
}

func (s *Server) signUpForm(w http.ResponseWriter, r *http.Request, ss SignUpStore) {
	pageHeaders(w, cspForm)
	if _, v, ok := s.signUpActivity(w, r, ss); ok {
		s.renderSignUp(w, http.StatusOK, v)
	}
}

func (s *Server) signUpSubmit(w http.ResponseWriter, r *http.Request, ss SignUpStore) {
	pageHeaders(w, cspForm)
	client := clientOf(r.RemoteAddr)
	if s.signUps.Blocked(client) {
		s.limitedLog.Log(slog.LevelWarn, "sign-up refused", "reason", "too many posts", "remote", client)
		v := signUpView{Action: r.URL.Path, Result: "refused",
			Problem: text.Message(text.ZhCN, domain.CodeSignUpLimited, nil)}
		s.renderSignUp(w, http.StatusTooManyRequests, v)
		return
	}
	s.signUps.Fail(client) // every post counts, whatever it did
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	act, v, ok := s.signUpActivity(w, r, ss)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		v.Result, v.Problem = "refused", text.Message(text.ZhCN, domain.CodeBadRequest, map[string]string{"detail": "form"})
		s.renderSignUp(w, http.StatusBadRequest, v)
		return
	}
	phone := strings.TrimSpace(r.PostForm.Get("phone"))
	v.Phone = phone
	var res store.SignUpResult
	var err error
	switch action := r.PostForm.Get("action"); action {
	case "signup":
		res, err = ss.PhoneSignUp(r.Context(), act.ID, phone, false)
	case "cancel":
		if r.PostForm.Get("confirm") != "1" { // ask first: a cancelled place goes to the next waiter
			v.Confirm = true
			s.renderSignUp(w, http.StatusOK, v)
			return
		}
		res, err = ss.PhoneSignUp(r.Context(), act.ID, phone, true)
	case "status":
		res, err = ss.PhoneSignUpStatus(r.Context(), act.ID, phone)
	default:
		err = errUnknownAction
	}
	if err != nil {
		status, problem := signUpProblem(err)
		if status == http.StatusInternalServerError {
			s.log.Error("phone sign-up", "activity", act.ID, "err", err)
		}
		v.Result, v.Problem = "refused", text.Message(text.ZhCN, problem.Code, problem.Params)
		s.renderSignUp(w, status, v)
		return
	}
	s.log.Info("phone sign-up", "activity", act.ID, "status", res.Place.Status, "action", r.PostForm.Get("action"))
	v.Confirmed, v.Waiting = res.Confirmed, res.Waiting
	v.Result = "ok"
	v.Headline, v.Detail = placeWords(res.Place)
	s.renderSignUp(w, http.StatusOK, v)
}

// placeWords says a place in plain Chinese: the headline and a line of what it means.
func placeWords(st domain.SignUpStatus) (string, string) {
	switch {
	case st.Status == domain.SignUpConfirmed && st.Promoted:
		return "已转为正式名额", "前面有人取消了报名，您已从候补转为正式名额，请按时参加。"
	case st.Status == domain.SignUpConfirmed:
		return "报名成功", "您已获得正式名额，请按时参加。"
	case st.Status == domain.SignUpWaitlisted:
		return "候补第 " + strconv.Itoa(st.Position) + " 位", "名额已满，您在候补名单中。有人取消时按候补顺序递补，转为正式名额后本页会显示。"
	case st.Reason != "":
		return "报名未成功", text.Message(text.ZhCN, st.Reason, nil)
	}
	return "已取消报名", "您的名额已释放给候补的居民。"
}

// errUnknownAction is a post without one of the page's actions.
var errUnknownAction = errors.New("unknown action")

// signUpProblem is the registered code of why a sign-up did not happen and its HTTP status.
func signUpProblem(err error) (int, *domain.Error) {
	switch {
	case errors.Is(err, store.ErrActivityNotFound):
		return http.StatusNotFound, domain.NewError(domain.CodeActivityNotFound)
	case errors.Is(err, store.ErrBadPhone):
		return http.StatusBadRequest, domain.NewError(domain.CodePhoneRequired)
	case errors.Is(err, store.ErrActivityCancelled):
		return http.StatusConflict, domain.NewError(domain.CodeActivityCancelled)
	case errors.Is(err, store.ErrSignUpNotOpen):
		return http.StatusConflict, domain.NewError(domain.CodeSignUpNotOpen)
	case errors.Is(err, store.ErrSignUpClosed):
		return http.StatusConflict, domain.NewError(domain.CodeSignUpClosed)
	case errors.Is(err, store.ErrNoSignUp):
		return http.StatusNotFound, domain.NewError(domain.CodeSignUpNone)
	case errors.Is(err, errUnknownAction):
		return http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "action")
	}
	return http.StatusInternalServerError, domain.NewError(domain.CodeUnavailable)
}

func (s *Server) renderSignUp(w http.ResponseWriter, status int, v signUpView) {
	w.WriteHeader(status)
	if err := signUpTemplate.Execute(w, v); err != nil {
		s.log.Warn("render sign-up page", "err", err)
	}
}

var signUpTemplate = template.Must(template.New("signup").Parse(phonePageTop("活动报名", `.big{font-size:1.4rem}
button.second{background:#fff;color:#1d1d1d;border:2px solid #999}
`) + `{{if .Title}}<div class="card"><strong id="title">{{.Title}}</strong>
<div class="meta">{{.When}}</div>{{if .Place}}<div class="meta">{{.Place}}</div>{{end}}
<div class="meta">{{if .Capacity}}名额 {{.Capacity}} 人{{else}}不限名额{{end}}{{if eq .Result "ok"}}，已确认 <span id="confirmed">{{.Confirmed}}</span> 人，候补 <span id="waiting">{{.Waiting}}</span> 人{{end}}</div>
{{if .Closed}}<div class="meta" id="closed">{{.Closed}}</div>{{end}}</div>{{end}}
{{if eq .Result "ok"}}<div class="card ok" id="result" data-result="ok"><strong class="big" id="headline">{{.Headline}}</strong>
<p>{{.Detail}}</p></div>{{end}}
{{if .Problem}}<div class="card bad" id="result" data-result="refused"><strong>{{.Problem}}</strong></div>{{end}}
{{if .Confirm}}<form class="card bad" method="post" action="{{.Action}}" id="confirm-cancel">
<strong class="big">确定要取消报名吗？</strong>
<p>取消后名额会让给候补的居民，再报名需要重新排队。</p>
<input type="hidden" name="phone" value="{{.Phone}}">
<input type="hidden" name="confirm" value="1">
<button type="submit" name="action" value="cancel" id="confirm">确定取消</button>
<button type="submit" name="action" value="status" class="second">不取消，查看我的报名</button>
</form>{{else if .Form}}<form class="card" method="post" action="{{.Action}}">
<label for="phone">手机号码</label>
<input id="phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel" maxlength="20" value="{{.Phone}}" required>
{{if .Open}}<button type="submit" name="action" value="signup" id="signup">报名</button>{{end}}
<button type="submit" name="action" value="status" id="status" class="second">查询我的报名</button>
<button type="submit" name="action" value="cancel" id="cancel" class="second">取消报名</button>
<p class="small">名额按报名先后确认，满额后进入候补；有人取消时按候补顺序递补。用同一个手机号可随时回来查询或取消。</p>
<p class="small">手机号只用于确认是您本人报名：服务器只保存它的加密摘要，不保存号码本身。</p>
</form>{{end}}
</main></body></html>
`))
