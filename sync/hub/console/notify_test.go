package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/notify"
	"liaison/sync/hub/store"
)

// fakeDingTalk takes robot messages and answers errcode 0, or fail when set.
type fakeDingTalk struct {
	mu     sync.Mutex
	calls  []map[string]string // query of each call
	bodies []string
	fail   bool
}

func (f *fakeDingTalk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		http.Error(w, "down", http.StatusBadGateway)
		return
	}
	q := map[string]string{}
	for k, v := range r.URL.Query() {
		q[k] = v[0]
	}
	f.calls, f.bodies = append(f.calls, q), append(f.bodies, string(b))
	fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
}

func (f *fakeDingTalk) got() ([]map[string]string, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]string(nil), f.calls...), append([]string(nil), f.bodies...)
}

// notifierOf lets the fixture's console take a notifier over the fixture's own store.
type notifierOf struct{ *notify.Notifier }

func TestAdminConfiguresAChannelWithoutSeeingItsSecrets(t *testing.T) {
	t.Parallel()
	bot := &fakeDingTalk{}
	robot := httptest.NewServer(bot)
	t.Cleanup(robot.Close)
	holder := &notifierOf{}
	f := newFixtureWith(t, func(cfg *console.Config) { cfg.Notify = holder })
	n := notify.New(notify.Config{PublicURL: "https://hub.test"}, f.st, nil)
	holder.Notifier = n
	admin := f.login(t, "admin")
	const token, secret = "robot-token-0123456789", "SECsigning-secret-0123456789"

	if resp, _ := f.login(t, "wangzr").do(t, "GET", "/api/v1/admin/notify/channels", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff list channels: %d, want 403", resp.StatusCode)
	}
	resp, body := admin.do(t, "POST", "/api/v1/admin/notify/channels", console.NotifyChannelEdit{
		Name: "工委钉钉群", Kind: store.ChannelDingTalk, Enabled: true, URL: "http://ding/robot",
		Notices: []string{"everything"}})
	if resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != domain.CodeNotifyInvalid {
		t.Fatalf("bad notices: %d %s", resp.StatusCode, body)
	}
	edit := console.NotifyChannelEdit{Name: "工委钉钉群", Kind: store.ChannelDingTalk, Enabled: true,
		URL: robot.URL + "/robot/send?access_token=" + token, Secret: secret,
		Notices: []string{store.NoticeNewCase}, Communities: []string{"幸福里社区"}}
	resp, body = admin.do(t, "POST", "/api/v1/admin/notify/channels", edit)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var v console.NotifyChannelView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if !v.SecretSet || !strings.HasSuffix(v.URLMasked, "access_token=…6789") {
		t.Errorf("view %+v", v)
	}
	// rename, leaving address and secret empty: both are kept
	path := "/api/v1/admin/notify/channels/" + strconv.FormatInt(v.ID, 10)
	edit.Name, edit.URL, edit.Secret = "工委群", "", ""
	if resp, body := admin.do(t, "PUT", path, edit); resp.StatusCode != http.StatusOK {
		t.Fatalf("edit: %d %s", resp.StatusCode, body)
	}
	_, list := admin.do(t, "GET", "/api/v1/admin/notify/channels", nil)
	for _, s := range []string{token, secret} {
		if strings.Contains(string(list), s) {
			t.Errorf("the channel list shows %q: %s", s, list)
		}
	}

	if resp, body := admin.do(t, "POST", path+"/test", nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("test message: %d %s", resp.StatusCode, body)
	}
	calls, bodies := bot.got()
	if len(calls) != 1 || calls[0]["access_token"] != token || calls[0]["sign"] == "" ||
		!strings.Contains(bodies[0], "工委群") {
		t.Fatalf("robot got %v %v", calls, bodies)
	}
	ms, _ := strconv.ParseInt(calls[0]["timestamp"], 10, 64)
	if calls[0]["sign"] != notify.DingTalkSign(ms, secret) {
		t.Error("the kept secret does not sign")
	}

	bot.mu.Lock()
	bot.fail = true
	bot.mu.Unlock()
	resp, body = admin.do(t, "POST", path+"/test", nil)
	if resp.StatusCode != http.StatusBadGateway || errorCode(t, body) != domain.CodeNotifyTestFailed ||
		!strings.Contains(string(body), "HTTP 502") || strings.Contains(string(body), token) {
		t.Errorf("failed test message: %d %s", resp.StatusCode, body)
	}
	bot.mu.Lock()
	bot.fail = false
	bot.mu.Unlock()

	// a case of the channel's community goes out; the outbox and the channel show it
	ctx := context.Background()
	if _, err := n.FollowLog(ctx); err != nil { // the cursor starts at the end of the log
		t.Fatal(err)
	}
	c := f.newCase(t, domain.StateSubmitted, "")
	if added, err := n.FollowLog(ctx); err != nil || added != 1 {
		t.Fatalf("follow the log: %d %v", added, err)
	}
	n.DeliverDue(ctx)
	_, body = admin.do(t, "GET", "/api/v1/admin/notify/outbox", nil)
	var ob console.OutboxList
	if err := json.Unmarshal(body, &ob); err != nil {
		t.Fatal(err)
	}
	if len(ob.Items) != 1 || ob.Items[0].State != store.OutboxSent || ob.Items[0].ChannelName != "工委群" ||
		!strings.Contains(ob.Items[0].Title, c.Number) || ob.Items[0].Attempts != 1 {
		t.Errorf("outbox %s", body)
	}
	_, list = admin.do(t, "GET", "/api/v1/admin/notify/channels", nil)
	var cl console.NotifyChannelList
	if err := json.Unmarshal(list, &cl); err != nil || len(cl.Channels) != 1 || cl.Channels[0].Sent != 1 {
		t.Errorf("channels %s", list)
	}

	if resp, _ := admin.do(t, "DELETE", path, nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d", resp.StatusCode)
	}
	if resp, _ := admin.do(t, "POST", path+"/test", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("test of a deleted channel: %d", resp.StatusCode)
	}
}
