package notify_test

import (
	"errors"
	"strings"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/notify"
	"liaison/sync/hub/store"
)

func TestCheckNamesTheWrongField(t *testing.T) {
	t.Parallel()
	hook := store.NotifyChannel{Name: "群", Kind: store.ChannelDingTalk, URL: "https://oapi.dingtalk.com/robot/send?access_token=x",
		Notices: []string{store.NoticeNewCase}}
	mailer := store.NotifyChannel{Name: "邮箱", Kind: store.ChannelSMTP, SMTPHost: "smtp.example.cn",
		SMTPMode: store.SMTPTLS, MailFrom: "a@example.cn", MailTo: []string{"b@example.cn"}}
	tests := []struct {
		name  string
		edit  func(*store.NotifyChannel)
		base  store.NotifyChannel
		field string
	}{
		{"webhook ok", func(*store.NotifyChannel) {}, hook, ""},
		{"mail ok", func(*store.NotifyChannel) {}, mailer, ""},
		{"no name", func(c *store.NotifyChannel) { c.Name = " " }, hook, "name"},
		{"long name", func(c *store.NotifyChannel) { c.Name = strings.Repeat("名", 41) }, hook, "name"},
		{"unknown kind", func(c *store.NotifyChannel) { c.Kind = "sms" }, hook, "kind"},
		{"not a URL", func(c *store.NotifyChannel) { c.URL = "oapi.dingtalk.com/robot" }, hook, "url"},
		{"ftp URL", func(c *store.NotifyChannel) { c.URL = "ftp://x/y" }, hook, "url"},
		{"unknown notice", func(c *store.NotifyChannel) { c.Notices = []string{"everything"} }, hook, "notices"},
		{"lead too long", func(c *store.NotifyChannel) { c.LeadHours = 100 }, hook, "lead_hours"},
		{"secret with a line break", func(c *store.NotifyChannel) { c.Secret = "a\nb" }, hook, "secret"},
		{"no host", func(c *store.NotifyChannel) { c.SMTPHost = "" }, mailer, "smtp_host"},
		{"host with port", func(c *store.NotifyChannel) { c.SMTPHost = "smtp.example.cn:25" }, mailer, "smtp_host"},
		{"bad port", func(c *store.NotifyChannel) { c.SMTPPort = 70000 }, mailer, "smtp_port"},
		{"no mode", func(c *store.NotifyChannel) { c.SMTPMode = "" }, mailer, "smtp_mode"},
		{"from with a name", func(c *store.NotifyChannel) { c.MailFrom = "工委 <a@example.cn>" }, mailer, "mail_from"},
		{"header injection", func(c *store.NotifyChannel) { c.MailTo = []string{"b@example.cn\r\nBcc: x@y.cn"} }, mailer, "mail_to"},
		{"no recipient", func(c *store.NotifyChannel) { c.MailTo = nil }, mailer, "mail_to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ch := tc.base
			tc.edit(&ch)
			err := notify.Check(ch)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeNotifyInvalid || de.Params["field"] != tc.field {
				t.Fatalf("got %v, want %s on %s", err, domain.CodeNotifyInvalid, tc.field)
			}
		})
	}
}

func TestExcerptScrubsNumbersAndIsShort(t *testing.T) {
	t.Parallel()
	got := notify.Excerpt("电话 138 1234 5678\n身份证 11010519491231002X " + strings.Repeat("很长的描述", 30))
	if strings.Contains(got, "5678") || strings.Contains(got, "002X") || strings.Contains(got, "\n") {
		t.Errorf("excerpt %q", got)
	}
	if n := len([]rune(got)); n > notify.ExcerptRunes+1 {
		t.Errorf("excerpt of %d runes", n)
	}
}
