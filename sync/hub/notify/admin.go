package notify

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// What the console does with channels: list, check and save, delete, test, and read and
// retry the outbox.

// Limits of a channel's settings.
const (
	MaxChannelName = 40
	MaxRecipients  = 20
	MaxSecret      = 200
)

// Channels lists the configured channels with their secrets; the console masks them.
func (n *Notifier) Channels(ctx context.Context) ([]store.NotifyChannel, error) {
	return n.st.NotifyChannels(ctx)
}

// SaveChannel checks a channel (Check) and stores it; keepSecret keeps the stored secret of
// an existing channel. Saving lifts a hold on the channel and wakes the deliverer.
func (n *Notifier) SaveChannel(ctx context.Context, ch store.NotifyChannel, keepSecret bool) (store.NotifyChannel, error) {
	if keepSecret && ch.ID != 0 {
		old, err := n.st.NotifyChannel(ctx, ch.ID)
		if err != nil {
			return ch, err
		}
		ch.Secret = old.Secret
	}
	if err := Check(ch); err != nil {
		return ch, err
	}
	saved, err := n.st.SaveNotifyChannel(ctx, ch, false)
	if err == nil {
		n.resume(saved.ID)
	}
	return saved, err
}

// DeleteChannel removes a channel and its outbox.
func (n *Notifier) DeleteChannel(ctx context.Context, id int64) error {
	return n.st.DeleteNotifyChannel(ctx, id)
}

// Outbox lists the newest notices, of one channel when channel is not 0.
func (n *Notifier) Outbox(ctx context.Context, channel int64, limit int) ([]store.OutboxItem, error) {
	return n.st.Outbox(ctx, channel, limit)
}

// Retry makes a dead notice pending again and sends it at once.
func (n *Notifier) Retry(ctx context.Context, id int64) error {
	if err := n.st.RetryNotice(ctx, id); err != nil {
		return err
	}
	n.Kick()
	return nil
}

func invalid(field string) error { return domain.NewError(domain.CodeNotifyInvalid, "field", field) }

// Check reports the first thing wrong in a channel's settings as a *domain.Error with code
// CodeNotifyInvalid naming the field.
func Check(ch store.NotifyChannel) error {
	name := strings.TrimSpace(ch.Name)
	if name == "" || utf8.RuneCountInString(name) > MaxChannelName {
		return invalid("name")
	}
	if len(ch.Secret) > MaxSecret || strings.ContainsAny(ch.Secret, "\r\n") {
		return invalid("secret")
	}
	for _, k := range ch.Notices {
		if !slices.Contains([]string{store.NoticeNewCase, store.NoticeDeadline, store.NoticeDuty}, k) {
			return invalid("notices")
		}
	}
	if ch.LeadHours < 0 || ch.LeadHours > MaxLeadHours {
		return invalid("lead_hours")
	}
	switch ch.Kind {
	case store.ChannelDingTalk, store.ChannelWeCom:
		u, err := url.Parse(ch.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalid("url")
		}
	case store.ChannelSMTP:
		if ch.SMTPHost == "" || strings.ContainsAny(ch.SMTPHost, " /:\r\n") {
			return invalid("smtp_host")
		}
		if ch.SMTPPort < 0 || ch.SMTPPort > 65535 {
			return invalid("smtp_port")
		}
		if ch.SMTPMode != store.SMTPStartTLS && ch.SMTPMode != store.SMTPTLS {
			return invalid("smtp_mode")
		}
		if strings.ContainsAny(ch.SMTPUser, "\r\n") {
			return invalid("smtp_user")
		}
		if !validAddress(ch.MailFrom) {
			return invalid("mail_from")
		}
		if len(ch.MailTo) == 0 || len(ch.MailTo) > MaxRecipients {
			return invalid("mail_to")
		}
		for _, to := range ch.MailTo {
			if !validAddress(to) {
				return invalid("mail_to")
			}
		}
	default:
		return invalid("kind")
	}
	return nil
}
