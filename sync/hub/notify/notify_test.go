package notify_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/notify"
	"liaison/sync/hub/store"
)

func TestNewCaseGoesToASignedDingTalkRobotOfItsCommunity(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	bot := newRobot(t)
	const secret = "SECexample0123456789"
	h.channel(store.NotifyChannel{Name: "幸福里群", Kind: store.ChannelDingTalk, Enabled: true,
		URL: bot.url("tok1"), Secret: secret, Notices: []string{store.NoticeNewCase},
		Communities: []string{"幸福里社区"}})
	h.run(notify.Config{})
	// the notifier starts at the end of the log: wait until it has read it
	waitFor(t, "the cursor", func() bool { _, ok, _ := h.st.NotifyCursor(context.Background(), "cases"); return ok })

	other := h.submit("长青社区", "长青社区的路灯坏了")
	c := h.submit("幸福里社区", "楼下垃圾三天没人清运，请联系我 13812345678，身份证 11010519491231002X")
	waitFor(t, "the robot's message", func() bool { return len(bot.calls()) == 1 })

	call := bot.calls()[0]
	if call.Query["access_token"] != "tok1" {
		t.Errorf("query %v: the robot's token is lost", call.Query)
	}
	ms, err := strconv.ParseInt(call.Query["timestamp"], 10, 64)
	if err != nil || call.Query["sign"] == "" {
		t.Fatalf("query %v: not signed", call.Query)
	}
	if want := notify.DingTalkSign(ms, secret); call.Query["sign"] != want {
		t.Errorf("sign %q, want %q", call.Query["sign"], want)
	}
	if call.Body["msgtype"] != "markdown" {
		t.Fatalf("body %v: not markdown", call.Body)
	}
	md := call.Body["markdown"].(map[string]any)
	title, text := md["title"].(string), md["text"].(string)
	if !strings.Contains(title, c.Number) {
		t.Errorf("title %q lacks the case number", title)
	}
	for _, want := range []string{c.Number, "环境卫生", "幸福里社区", "楼下垃圾", "https://hub.example.cn/console/#/cases/" + c.ID} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{"13812345678", "11010519491231002X", "13800000000", "张"} {
		if strings.Contains(text, never) {
			t.Errorf("text shows %q:\n%s", never, text)
		}
	}
	for _, it := range h.outbox() {
		if strings.Contains(it.Key, other.ID) {
			t.Errorf("a case of another community was enqueued: %+v", it)
		}
	}
}

func TestWeComRobotGetsMarkdown(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	bot := newRobot(t)
	h.channel(store.NotifyChannel{Name: "企业微信群", Kind: store.ChannelWeCom, Enabled: true,
		URL: bot.url("key"), Notices: []string{store.NoticeNewCase}})
	h.run(notify.Config{})
	waitFor(t, "the cursor", func() bool { _, ok, _ := h.st.NotifyCursor(context.Background(), "cases"); return ok })
	c := h.submit("长青社区", "路灯不亮")
	waitFor(t, "the robot's message", func() bool { return len(bot.calls()) == 1 })
	body := bot.calls()[0].Body
	if body["msgtype"] != "markdown" {
		t.Fatalf("body %v", body)
	}
	content, _ := body["markdown"].(map[string]any)["content"].(string)
	if !strings.HasPrefix(content, "### ") || !strings.Contains(content, c.Number) {
		t.Errorf("content %q", content)
	}
	if _, signed := bot.calls()[0].Query["sign"]; signed {
		t.Error("a WeCom call is signed")
	}
}

func TestFailedNoticesAreRetriedThenSent(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	bot := newRobot(t)
	bot.failures = 2
	ch := h.channel(store.NotifyChannel{Name: "群", Kind: store.ChannelDingTalk, Enabled: true,
		URL: bot.url("t"), Notices: []string{store.NoticeNewCase}})
	h.run(notify.Config{})
	waitFor(t, "the cursor", func() bool { _, ok, _ := h.st.NotifyCursor(context.Background(), "cases"); return ok })
	h.submit("长青社区", "路灯不亮")
	waitFor(t, "the notice sent", func() bool {
		items := h.outbox()
		return len(items) == 1 && items[0].State == store.OutboxSent
	})
	it := h.outbox()[0]
	if it.Attempts != 3 || it.LastError != "" || it.Channel != ch.ID {
		t.Errorf("notice %+v: want sent at the third attempt", it)
	}
	if n := len(bot.calls()); n != 1 {
		t.Errorf("the robot took %d messages, want 1", n)
	}
}

func TestANoticeIsKeptDeadAfterTheLastAttempt(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	bot := newRobot(t)
	bot.errcode = 310000
	h.channel(store.NotifyChannel{Name: "群", Kind: store.ChannelDingTalk, Enabled: true,
		URL: bot.url("secret-token"), Notices: []string{store.NoticeNewCase}})
	h.run(notify.Config{MaxAttempts: 3})
	waitFor(t, "the cursor", func() bool { _, ok, _ := h.st.NotifyCursor(context.Background(), "cases"); return ok })
	h.submit("长青社区", "路灯不亮")
	waitFor(t, "the notice dead", func() bool {
		items := h.outbox()
		return len(items) == 1 && items[0].State == store.OutboxDead
	})
	it := h.outbox()[0]
	if it.Attempts != 3 || !strings.Contains(it.LastError, "310000") {
		t.Errorf("notice %+v: want dead after 3 attempts with the robot's errcode", it)
	}
	if strings.Contains(it.LastError, "secret-token") {
		t.Errorf("the last error %q shows the robot's token", it.LastError)
	}
}

func TestNothingIsSentTwiceAcrossARestart(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	bot := newRobot(t)
	h.channel(store.NotifyChannel{Name: "群", Kind: store.ChannelWeCom, Enabled: true,
		URL: bot.url("k"), Notices: []string{store.NoticeNewCase, store.NoticeDeadline}})
	_, stop := h.run(notify.Config{})
	waitFor(t, "the cursor", func() bool { _, ok, _ := h.st.NotifyCursor(context.Background(), "cases"); return ok })
	first := h.submit("长青社区", "第一件")
	waitFor(t, "the first message", func() bool { return len(bot.calls()) == 1 })
	stop()

	h.restart()
	h.run(notify.Config{})
	second := h.submit("长青社区", "第二件")
	waitFor(t, "the second message", func() bool { return len(bot.calls()) >= 2 })
	// one more full turn of the planner and the deliverer after the restart
	n := notify.New(notify.Config{Now: time.Now}, h.st, nil)
	if added, err := n.FollowLog(context.Background()); err != nil || added != 0 {
		t.Errorf("following the log again added %d (%v), want 0", added, err)
	}
	n.DeliverDue(context.Background())
	var numbers []string
	for _, c := range bot.calls() {
		content := c.Body["markdown"].(map[string]any)["content"].(string)
		for _, cs := range []domain.Case{first, second} {
			if strings.Contains(content, cs.Number) {
				numbers = append(numbers, cs.Number)
			}
		}
	}
	if len(numbers) != 2 || numbers[0] != first.Number || numbers[1] != second.Number {
		t.Errorf("messages for %v, want each case once in order", numbers)
	}
}

func TestIngestGoesOnWhileARobotHangs(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	bot := newRobot(t)
	bot.hang = make(chan struct{})
	h.channel(store.NotifyChannel{Name: "群", Kind: store.ChannelDingTalk, Enabled: true,
		URL: bot.url("t"), Notices: []string{store.NoticeNewCase}})
	h.run(notify.Config{SendTimeout: time.Hour})
	waitFor(t, "the cursor", func() bool { _, ok, _ := h.st.NotifyCursor(context.Background(), "cases"); return ok })
	h.submit("长青社区", "第一件")
	<-bot.entered // the first delivery hangs from here on
	// ingest, the desk's store and the planner go on: more cases are recorded and enqueued
	for i := range 3 {
		c := h.submit("长青社区", "又一件")
		waitFor(t, "the notice of case "+c.Number, func() bool { return len(h.outbox()) == i+2 })
	}
	for _, it := range h.outbox() {
		if it.State != store.OutboxPending {
			t.Errorf("notice %d is %s while the robot hangs", it.ID, it.State)
		}
	}
	close(bot.hang)
	waitFor(t, "every notice sent", func() bool {
		for _, it := range h.outbox() {
			if it.State != store.OutboxSent {
				return false
			}
		}
		return true
	})
}

func TestDeadlineNoticeOncePerCaseAndStage(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	ch := h.channel(store.NotifyChannel{Name: "群", Kind: store.ChannelWeCom, Enabled: true,
		URL: "https://qyapi.example.cn/cgi-bin/webhook/send?key=k", Notices: []string{store.NoticeDeadline},
		LeadHours: 2})
	c := h.submit("长青社区", "路灯不亮")
	rules, err := h.st.Rules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	due := domain.Deadline(c, rules)
	n := notify.New(notify.Config{Now: h.clk.Now}, h.st, nil)
	ctx := context.Background()

	h.clk.Set(due.Add(-3 * time.Hour)) // before the lead time
	if added, err := n.ScanDeadlines(ctx); err != nil || added != 0 {
		t.Fatalf("3 h before: added %d (%v)", added, err)
	}
	h.clk.Set(due.Add(-90 * time.Minute))
	if added, err := n.ScanDeadlines(ctx); err != nil || added != 1 {
		t.Fatalf("within the lead: added %d (%v)", added, err)
	}
	h.clk.Set(due.Add(-30 * time.Minute))
	if added, err := n.ScanDeadlines(ctx); err != nil || added != 0 {
		t.Fatalf("again: added %d (%v), want the notice once", added, err)
	}
	it := h.outbox()[0]
	if it.Channel != ch.ID || it.Kind != store.NoticeDeadline || !strings.Contains(it.Body, "受理") ||
		!strings.Contains(it.Body, due.In(rules.Location).Format("2006-01-02 15:04")) {
		t.Errorf("notice %+v", it)
	}
	h.clk.Set(due.Add(time.Minute)) // past the deadline: nothing more to warn of
	if added, err := n.ScanDeadlines(ctx); err != nil || added != 0 {
		t.Fatalf("past: added %d (%v)", added, err)
	}
}

func TestDutyReminderTheEveningBefore(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	ctx := context.Background()
	h.channel(store.NotifyChannel{Name: "值班群", Kind: store.ChannelWeCom, Enabled: true,
		URL: "https://qyapi.example.cn/cgi-bin/webhook/send?key=k", Notices: []string{store.NoticeDuty},
		Stations: []string{"HX01"}})
	reps, err := h.st.RefData(ctx, domain.KindRepresentativeUpserted, "")
	if err != nil || len(reps) == 0 {
		t.Fatal(err)
	}
	var rep domain.Representative
	if err := jsonUnmarshal(reps[0], &rep); err != nil {
		t.Fatal(err)
	}
	loc := domain.DefaultRules().Location
	tomorrow := time.Date(2026, 11, 24, 0, 0, 0, 0, loc)
	key := "HX01:2026-11-24"
	shift := domain.DutyShift{Station: "HX01", Day: "2026-11-24", RepIDs: []string{rep.ID},
		Starts: tomorrow.Add(9 * time.Hour), Ends: tomorrow.Add(11*time.Hour + 30*time.Minute)}
	if _, err := h.st.PutRefs(ctx, []store.RefWrite{{Kind: domain.KindDutyRosterUpserted, Key: key, Data: mustJSON(t, shift)}},
		domain.Actor{Role: domain.RoleStaff, ID: "admin", Name: "管理员"}); err != nil {
		t.Fatal(err)
	}
	n := notify.New(notify.Config{Now: h.clk.Now}, h.st, nil)
	h.clk.Set(time.Date(2026, 11, 23, 17, 59, 0, 0, loc))
	if added, err := n.ScanDuty(ctx); err != nil || added != 0 {
		t.Fatalf("before 18:00: added %d (%v)", added, err)
	}
	h.clk.Set(time.Date(2026, 11, 23, 18, 0, 0, 0, loc))
	if added, err := n.ScanDuty(ctx); err != nil || added != 1 {
		t.Fatalf("at 18:00: added %d (%v)", added, err)
	}
	h.clk.Set(time.Date(2026, 11, 23, 21, 0, 0, 0, loc))
	if added, err := n.ScanDuty(ctx); err != nil || added != 0 {
		t.Fatalf("later: added %d (%v), want the reminder once", added, err)
	}
	body := h.outbox()[0].Body
	for _, want := range []string{rep.Name, "2026-11-24", "09:00–11:30"} {
		if !strings.Contains(body, want) {
			t.Errorf("reminder lacks %q:\n%s", want, body)
		}
	}
}

func TestAResidentsWordsCannotBecomeMarkup(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	h.channel(store.NotifyChannel{Name: "群", Kind: store.ChannelWeCom, Enabled: true,
		URL: "https://qyapi.example.cn/cgi-bin/webhook/send?key=k", Notices: []string{store.NoticeNewCase}})
	n := notify.New(notify.Config{PublicURL: "https://hub.example.cn"}, h.st, nil)
	ctx := context.Background()
	if _, err := n.FollowLog(ctx); err != nil { // the cursor starts at the end of the log
		t.Fatal(err)
	}
	h.submit("长青社区", "### 标题 [点我](http://evil.example) **加粗** <font color=\"red\">红</font>\n- 列表")
	if added, err := n.FollowLog(ctx); err != nil || added != 1 {
		t.Fatalf("added %d (%v)", added, err)
	}
	body := h.outbox()[0].Body
	for _, never := range []string{"](http://evil", "**", "<font", "\n- 列表", "### 标题"} {
		if strings.Contains(body, never) {
			t.Errorf("body keeps %q as markup:\n%s", never, body)
		}
	}
	if strings.Count(body, "](") != 1 {
		t.Errorf("body has links other than the console's:\n%s", body)
	}
}

func TestOldNoticesArePruned(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	bot := newRobot(t)
	h.channel(store.NotifyChannel{Name: "群", Kind: store.ChannelWeCom, Enabled: true,
		URL: bot.url("k"), Notices: []string{store.NoticeNewCase}})
	n := notify.New(notify.Config{Now: h.clk.Now, BaseDelay: time.Millisecond}, h.st, nil)
	ctx := context.Background()
	if _, err := n.FollowLog(ctx); err != nil {
		t.Fatal(err)
	}
	h.submit("长青社区", "一")
	if _, err := n.FollowLog(ctx); err != nil {
		t.Fatal(err)
	}
	n.DeliverDue(ctx)
	if it := h.outbox(); len(it) != 1 || it[0].State != store.OutboxSent {
		t.Fatalf("outbox %+v", it)
	}
	h.clk.Advance(notify.KeepSent - time.Hour)
	if k, err := h.st.PruneNotices(ctx, h.clk.Now().Add(-notify.KeepSent), h.clk.Now().Add(-notify.KeepDead)); err != nil || k != 0 {
		t.Fatalf("pruned %d (%v) before its time", k, err)
	}
	h.clk.Advance(2 * time.Hour)
	if k, err := h.st.PruneNotices(ctx, h.clk.Now().Add(-notify.KeepSent), h.clk.Now().Add(-notify.KeepDead)); err != nil || k != 1 {
		t.Fatalf("pruned %d (%v), want the sent notice", k, err)
	}
	if added, err := n.FollowLog(ctx); err != nil || added != 0 {
		t.Errorf("the pruned notice came back: %d (%v)", added, err)
	}
}
