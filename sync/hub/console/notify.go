package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// Notification channels in the console (admins only): the list with each channel's delivery
// state, create, edit, delete, "send a test message", and the outbox with a retry of dead
// notices. Secrets and the webhook's token never come back to the browser: a channel shows
// whether it has a secret, and its address with the query's values masked; an edit that
// leaves them empty keeps what is stored.

// Notifications is the hub's notifier as the console drives it (sync/hub/notify.Notifier).
type Notifications interface {
	Channels(ctx context.Context) ([]store.NotifyChannel, error)
	SaveChannel(ctx context.Context, ch store.NotifyChannel, keepSecret bool) (store.NotifyChannel, error)
	DeleteChannel(ctx context.Context, id int64) error
	SendTest(ctx context.Context, id int64) error
	Outbox(ctx context.Context, channel int64, limit int) ([]store.OutboxItem, error)
	Retry(ctx context.Context, id int64) error
}

// outboxLimit is how many of the newest notices the console lists.
const outboxLimit = 200

// NotifyChannelView is a channel as the console shows it.
type NotifyChannelView struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Enabled     bool     `json:"enabled"`
	URLMasked   string   `json:"url_masked"` // the webhook address, its query values masked
	SecretSet   bool     `json:"secret_set"`
	Notices     []string `json:"notices"`
	Stations    []string `json:"stations"`
	Communities []string `json:"communities"`
	LeadHours   int      `json:"lead_hours"`
	SMTPHost    string   `json:"smtp_host"`
	SMTPPort    int      `json:"smtp_port"`
	SMTPMode    string   `json:"smtp_mode"`
	SMTPUser    string   `json:"smtp_user"`
	MailFrom    string   `json:"mail_from"`
	MailTo      []string `json:"mail_to"`
	// Pending, Sent and Dead count the channel's notices in the outbox list; LastError is the
	// newest failure's.
	Pending   int    `json:"pending"`
	Sent      int    `json:"sent"`
	Dead      int    `json:"dead"`
	LastError string `json:"last_error"`
}

// NotifyChannelEdit is the body of creating or editing a channel. URL and Secret left empty
// on an edit keep the stored ones; ClearSecret removes the secret.
type NotifyChannelEdit struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Enabled     bool     `json:"enabled"`
	URL         string   `json:"url"`
	Secret      string   `json:"secret"`
	ClearSecret bool     `json:"clear_secret"`
	Notices     []string `json:"notices"`
	Stations    []string `json:"stations"`
	Communities []string `json:"communities"`
	LeadHours   int      `json:"lead_hours"`
	SMTPHost    string   `json:"smtp_host"`
	SMTPPort    int      `json:"smtp_port"`
	SMTPMode    string   `json:"smtp_mode"`
	SMTPUser    string   `json:"smtp_user"`
	MailFrom    string   `json:"mail_from"`
	MailTo      []string `json:"mail_to"`
}

// NotifyChannelList is the body of GET /api/v1/admin/notify/channels.
type NotifyChannelList struct {
	Channels []NotifyChannelView `json:"channels"`
}

// OutboxEntry is a notice as the console lists it.
type OutboxEntry struct {
	ID          int64     `json:"id"`
	Channel     int64     `json:"channel"`
	ChannelName string    `json:"channel_name"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	State       string    `json:"state"`
	Attempts    int       `json:"attempts"`
	NextAt      time.Time `json:"next_at"`
	LastError   string    `json:"last_error"`
	Created     time.Time `json:"created"`
	SentAt      time.Time `json:"sent_at,omitzero"`
}

// OutboxList is the body of GET /api/v1/admin/notify/outbox.
type OutboxList struct {
	Items []OutboxEntry `json:"items"`
}

// NotifyKinds lists the channel kinds.
func NotifyKinds() []string {
	return []string{store.ChannelDingTalk, store.ChannelWeCom, store.ChannelSMTP}
}

// NoticeKinds lists the notices a channel can take.
func NoticeKinds() []string {
	return []string{store.NoticeNewCase, store.NoticeDeadline, store.NoticeDuty}
}

// OutboxStates lists the states of a notice.
func OutboxStates() []string {
	return []string{store.OutboxPending, store.OutboxSent, store.OutboxDead}
}

// SMTPModes lists the SMTP security modes.
func SMTPModes() []string { return []string{store.SMTPStartTLS, store.SMTPTLS} }

func (c *Console) mountNotify(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/admin/notify/channels", c.authed(adminOnly, c.listChannels))
	mux.Handle("POST /api/v1/admin/notify/channels", c.authed(adminOnly, c.createChannel))
	mux.Handle("PUT /api/v1/admin/notify/channels/{id}", c.authed(adminOnly, c.editChannel))
	mux.Handle("DELETE /api/v1/admin/notify/channels/{id}", c.authed(adminOnly, c.deleteChannel))
	mux.Handle("POST /api/v1/admin/notify/channels/{id}/test", c.authed(adminOnly, c.testChannel))
	mux.Handle("GET /api/v1/admin/notify/outbox", c.authed(adminOnly, c.listOutbox))
	mux.Handle("POST /api/v1/admin/notify/outbox/{id}/retry", c.authed(adminOnly, c.retryNotice))
}

// MaskURL is a webhook address as the console shows it: scheme, host and path, and each
// query value cut to its last 4 characters (the robots' tokens are in the query).
func MaskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	q := u.Query()
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			tail := ""
			if len(v) > 8 {
				tail = v[len(v)-4:]
			}
			parts = append(parts, k+"=…"+tail)
		}
	}
	out := u.Scheme + "://" + u.Host + u.Path
	if len(parts) > 0 {
		slices.Sort(parts)
		out += "?" + strings.Join(parts, "&")
	}
	return out
}

func channelView(ch store.NotifyChannel) NotifyChannelView {
	return NotifyChannelView{ID: ch.ID, Name: ch.Name, Kind: ch.Kind, Enabled: ch.Enabled,
		URLMasked: MaskURL(ch.URL), SecretSet: ch.Secret != "", Notices: nonNil(ch.Notices),
		Stations: nonNil(ch.Stations), Communities: nonNil(ch.Communities), LeadHours: ch.LeadHours,
		SMTPHost: ch.SMTPHost, SMTPPort: ch.SMTPPort, SMTPMode: ch.SMTPMode, SMTPUser: ch.SMTPUser,
		MailFrom: ch.MailFrom, MailTo: nonNil(ch.MailTo)}
}

func (c *Console) notifier(w http.ResponseWriter) (Notifications, bool) {
	if c.cfg.Notify == nil {
		writeError(w, http.StatusNotFound, domain.CodeNotFound)
		return nil, false
	}
	return c.cfg.Notify, true
}

func (c *Console) listChannels(w http.ResponseWriter, r *http.Request, p *principal) {
	n, ok := c.notifier(w)
	if !ok {
		return
	}
	chans, err := n.Channels(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	items, err := n.Outbox(r.Context(), 0, outboxLimit)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	out := NotifyChannelList{Channels: make([]NotifyChannelView, 0, len(chans))}
	for _, ch := range chans {
		v := channelView(ch)
		for _, it := range items { // newest first
			if it.Channel != ch.ID {
				continue
			}
			switch it.State {
			case store.OutboxPending:
				v.Pending++
			case store.OutboxSent:
				v.Sent++
			case store.OutboxDead:
				v.Dead++
			}
			if v.LastError == "" && it.LastError != "" {
				v.LastError = it.LastError
			}
		}
		out.Channels = append(out.Channels, v)
	}
	httpjson.Write(w, http.StatusOK, out)
}

func (e NotifyChannelEdit) channel(id int64) store.NotifyChannel {
	return store.NotifyChannel{ID: id, Name: strings.TrimSpace(e.Name), Kind: e.Kind, Enabled: e.Enabled,
		URL: strings.TrimSpace(e.URL), Secret: e.Secret, Notices: e.Notices, Stations: e.Stations,
		Communities: e.Communities, LeadHours: e.LeadHours, SMTPHost: strings.TrimSpace(e.SMTPHost),
		SMTPPort: e.SMTPPort, SMTPMode: e.SMTPMode, SMTPUser: strings.TrimSpace(e.SMTPUser),
		MailFrom: strings.TrimSpace(e.MailFrom), MailTo: trimAll(e.MailTo)}
}

func trimAll(s []string) []string {
	var out []string
	for _, x := range s {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (c *Console) createChannel(w http.ResponseWriter, r *http.Request, p *principal) {
	c.saveChannel(w, r, p, 0)
}

func (c *Console) editChannel(w http.ResponseWriter, r *http.Request, p *principal) {
	id, ok := c.idParam(w, r)
	if !ok {
		return
	}
	c.saveChannel(w, r, p, id)
}

func (c *Console) saveChannel(w http.ResponseWriter, r *http.Request, p *principal, id int64) {
	n, ok := c.notifier(w)
	if !ok {
		return
	}
	var e NotifyChannelEdit
	if err := decodeBody(r, &e); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
		return
	}
	ch := e.channel(id)
	keepSecret := id != 0 && e.Secret == "" && !e.ClearSecret
	if id != 0 && ch.URL == "" {
		old, err := c.channelByID(r.Context(), n, id)
		if err != nil {
			c.notifyError(w, r, err)
			return
		}
		ch.URL = old.URL
	}
	saved, err := n.SaveChannel(r.Context(), ch, keepSecret)
	if err != nil {
		c.notifyError(w, r, err)
		return
	}
	c.log.Info("notify channel saved", "id", saved.ID, "kind", saved.Kind, "by", p.User.Login)
	httpjson.Write(w, http.StatusOK, channelView(saved))
}

func (c *Console) channelByID(ctx context.Context, n Notifications, id int64) (store.NotifyChannel, error) {
	chans, err := n.Channels(ctx)
	if err != nil {
		return store.NotifyChannel{}, err
	}
	for _, ch := range chans {
		if ch.ID == id {
			return ch, nil
		}
	}
	return store.NotifyChannel{}, store.ErrNotFound
}

func (c *Console) deleteChannel(w http.ResponseWriter, r *http.Request, p *principal) {
	n, ok := c.notifier(w)
	if !ok {
		return
	}
	id, ok := c.idParam(w, r)
	if !ok {
		return
	}
	if err := n.DeleteChannel(r.Context(), id); err != nil {
		c.notifyError(w, r, err)
		return
	}
	c.log.Info("notify channel deleted", "id", id, "by", p.User.Login)
	w.WriteHeader(http.StatusNoContent)
}

func (c *Console) testChannel(w http.ResponseWriter, r *http.Request, p *principal) {
	n, ok := c.notifier(w)
	if !ok {
		return
	}
	id, ok := c.idParam(w, r)
	if !ok {
		return
	}
	err := n.SendTest(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		c.notifyError(w, r, err)
		return
	}
	if err != nil {
		params := map[string]string{"reason": err.Error()}
		httpjson.Write(w, http.StatusBadGateway, APIError{Code: domain.CodeNotifyTestFailed,
			Message: text.Message(text.ZhCN, domain.CodeNotifyTestFailed, params), Params: params})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *Console) listOutbox(w http.ResponseWriter, r *http.Request, p *principal) {
	n, ok := c.notifier(w)
	if !ok {
		return
	}
	var channel int64
	if s := r.URL.Query().Get("channel"); s != "" {
		var err error
		if channel, err = strconv.ParseInt(s, 10, 64); err != nil {
			writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "channel")
			return
		}
	}
	chans, err := n.Channels(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, ch := range chans {
		names[ch.ID] = ch.Name
	}
	items, err := n.Outbox(r.Context(), channel, outboxLimit)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	out := OutboxList{Items: make([]OutboxEntry, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, OutboxEntry{ID: it.ID, Channel: it.Channel, ChannelName: names[it.Channel],
			Kind: it.Kind, Title: it.Title, State: it.State, Attempts: it.Attempts, NextAt: it.NextAt,
			LastError: it.LastError, Created: it.Created, SentAt: it.SentAt})
	}
	httpjson.Write(w, http.StatusOK, out)
}

func (c *Console) retryNotice(w http.ResponseWriter, r *http.Request, p *principal) {
	n, ok := c.notifier(w)
	if !ok {
		return
	}
	id, ok := c.idParam(w, r)
	if !ok {
		return
	}
	if err := n.Retry(r.Context(), id); err != nil {
		c.notifyError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *Console) idParam(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusNotFound, domain.CodeNotFound)
		return 0, false
	}
	return id, true
}

func (c *Console) notifyError(w http.ResponseWriter, r *http.Request, err error) {
	var de *domain.Error
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, domain.CodeNotFound)
	case errors.As(err, &de):
		httpjson.Write(w, http.StatusBadRequest, APIError{Code: de.Code,
			Message: text.Message(text.ZhCN, de.Code, de.Params), Params: de.Params})
	default:
		c.internal(w, r, err)
	}
}
