package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"liaison/sync/hub/store"
)

// sendError is a failed attempt as people may read it: never the webhook's address.
type sendError struct {
	msg string
	err error
}

func (e *sendError) Error() string { return e.msg }
func (e *sendError) Unwrap() error { return e.err }

func failed(err error, format string, args ...any) error {
	return &sendError{msg: fmt.Sprintf(format, args...), err: err}
}

// send delivers one message on a channel.
func (n *Notifier) send(ctx context.Context, ch store.NotifyChannel, title, body string) error {
	switch ch.Kind {
	case store.ChannelDingTalk:
		return n.postDingTalk(ctx, ch, title, body)
	case store.ChannelWeCom:
		return n.postWeCom(ctx, ch, body)
	case store.ChannelSMTP:
		return n.sendMail(ctx, ch, title, plainText(body))
	}
	return failed(nil, "unknown channel kind %q", ch.Kind)
}

// DingTalkSign is the signature of a DingTalk robot call with a signing secret: base64 of
// HMAC-SHA256 keyed by the secret over "<timestamp ms>\n<secret>".
func DingTalkSign(timestampMs int64, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestampMs, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// DingTalkMessage is the body of a DingTalk robot's markdown message.
type DingTalkMessage struct {
	MsgType  string `json:"msgtype"` // "markdown"
	Markdown struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"markdown"`
}

// WeComMessage is the body of a WeCom robot's markdown message.
type WeComMessage struct {
	MsgType  string `json:"msgtype"` // "markdown"
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

func (n *Notifier) postDingTalk(ctx context.Context, ch store.NotifyChannel, title, body string) error {
	u, err := url.Parse(ch.URL)
	if err != nil {
		return failed(err, "bad webhook address")
	}
	if ch.Secret != "" {
		ts := n.cfg.Now().UnixMilli()
		q := u.Query()
		q.Set("timestamp", strconv.FormatInt(ts, 10))
		q.Set("sign", DingTalkSign(ts, ch.Secret))
		u.RawQuery = q.Encode()
	}
	var m DingTalkMessage
	m.MsgType = "markdown"
	m.Markdown.Title, m.Markdown.Text = title, body
	return n.postJSON(ctx, u.String(), m)
}

func (n *Notifier) postWeCom(ctx context.Context, ch store.NotifyChannel, body string) error {
	var m WeComMessage
	m.MsgType = "markdown"
	m.Markdown.Content = body
	return n.postJSON(ctx, ch.URL, m)
}

// postJSON posts to a robot and reads its answer: both robots answer 200 with
// {"errcode": 0, "errmsg": "ok"} when they took the message.
func (n *Notifier) postJSON(ctx context.Context, addr string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return failed(err, "encode message")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, addr, bytes.NewReader(b))
	if err != nil {
		return failed(err, "bad webhook address")
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := n.cfg.HTTP.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the address
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return failed(err, "no answer within %s", n.cfg.SendTimeout)
		}
		return failed(err, "post: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return failed(nil, "HTTP %d", resp.StatusCode)
	}
	var ans struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil || ans.ErrCode == nil {
		return failed(err, "answer is not a robot's")
	}
	if *ans.ErrCode != 0 {
		return failed(nil, "errcode %d: %s", *ans.ErrCode, clip(ans.ErrMsg, 120))
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// SendTest sends the test message on a saved channel at once and says how it went.
func (n *Notifier) SendTest(ctx context.Context, id int64) error {
	ch, err := n.st.NotifyChannel(ctx, id)
	if err != nil {
		return err
	}
	m := n.testMessage(ch)
	ctx, cancel := context.WithTimeout(ctx, n.cfg.SendTimeout)
	defer cancel()
	start := time.Now()
	err = n.send(ctx, ch, m.Title, m.markdown())
	n.log.Info("test message", "channel", ch.ID, "ok", err == nil, "took", time.Since(start))
	return err
}
