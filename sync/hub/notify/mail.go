package notify

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"liaison/sync/hub/store"
)

// Default SMTP ports by mode.
const (
	DefaultSMTPPortTLS      = 465
	DefaultSMTPPortStartTLS = 587
)

// sendMail delivers a plain-text mail to the channel's fixed recipients. With SMTPTLS the
// connection is TLS from the first byte; otherwise it is upgraded with STARTTLS whenever the
// server offers it, and the password is only ever sent over TLS (net/smtp's PLAIN refuses
// otherwise, except to localhost).
func (n *Notifier) sendMail(ctx context.Context, ch store.NotifyChannel, subject, body string) error {
	port := ch.SMTPPort
	if port == 0 {
		port = DefaultSMTPPortStartTLS
		if ch.SMTPMode == store.SMTPTLS {
			port = DefaultSMTPPortTLS
		}
	}
	addr := net.JoinHostPort(ch.SMTPHost, strconv.Itoa(port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return failed(err, "connect %s: %v", addr, errors.Unwrap(err))
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	tlsCfg := n.tlsConfig(ch.SMTPHost)
	if ch.SMTPMode == store.SMTPTLS {
		conn = tls.Client(conn, tlsCfg)
	}
	c, err := smtp.NewClient(conn, ch.SMTPHost)
	if err != nil {
		conn.Close()
		return failed(err, "smtp greeting: %v", err)
	}
	defer c.Close()
	if err := c.Hello("liaison-hub"); err != nil {
		return failed(err, "smtp EHLO: %v", err)
	}
	if ch.SMTPMode != store.SMTPTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsCfg); err != nil {
				return failed(err, "smtp STARTTLS: %v", err)
			}
		}
	}
	if ch.SMTPUser != "" {
		if err := c.Auth(smtp.PlainAuth("", ch.SMTPUser, ch.Secret, ch.SMTPHost)); err != nil {
			return failed(err, "smtp AUTH: %v", err)
		}
	}
	if err := c.Mail(ch.MailFrom); err != nil {
		return failed(err, "smtp MAIL FROM: %v", err)
	}
	for _, to := range ch.MailTo {
		if err := c.Rcpt(to); err != nil {
			return failed(err, "smtp RCPT TO %s: %v", to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return failed(err, "smtp DATA: %v", err)
	}
	if _, err := w.Write(mailBytes(ch, subject, body, n.cfg.Now())); err != nil {
		return failed(err, "smtp write: %v", err)
	}
	if err := w.Close(); err != nil {
		return failed(err, "smtp end of data: %v", err)
	}
	if err := c.Quit(); err != nil {
		return failed(err, "smtp QUIT: %v", err)
	}
	return nil
}

func (n *Notifier) tlsConfig(host string) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if n.cfg.TLS != nil {
		cfg = n.cfg.TLS.Clone()
	}
	cfg.ServerName = host
	return cfg
}

// mailBytes is the whole mail: headers (the subject MIME-encoded) and the body in base64.
func mailBytes(ch store.NotifyChannel, subject, body string, now time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\n", ch.MailFrom)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(ch.MailTo, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.BEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return []byte(b.String())
}

// validAddress reports whether s is one bare mail address (no name, no line breaks).
func validAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}
