package notify_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"liaison/sync/hub/notify"
	"liaison/sync/hub/store"
)

// fakeSMTP speaks enough SMTP for one mail per connection: EHLO, STARTTLS (when it has a
// certificate and the connection is not TLS yet), AUTH PLAIN, MAIL, RCPT, DATA, QUIT.
type fakeSMTP struct {
	ln       net.Listener
	tls      *tls.Config
	implicit bool
	user     string
	pass     string

	mu    sync.Mutex
	mails []fakeMail
}

type fakeMail struct {
	TLS  bool
	Auth bool
	From string
	To   []string
	Data string
}

func newFakeSMTP(t *testing.T, implicit bool) (*fakeSMTP, *x509.CertPool) {
	t.Helper()
	cert, pool := selfSigned(t)
	f := &fakeSMTP{tls: &tls.Config{Certificates: []tls.Certificate{cert}}, implicit: implicit,
		user: "notice@street.example.cn", pass: "mail-pass"}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		ln = tls.NewListener(ln, f.tls)
	}
	f.ln = ln
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f, pool
}

func (f *fakeSMTP) port() int { return f.ln.Addr().(*net.TCPAddr).Port }

func (f *fakeSMTP) serve(c net.Conn) {
	defer c.Close()
	m := fakeMail{TLS: f.implicit}
	r := bufio.NewReader(c)
	say := func(s string) { io.WriteString(c, s+"\r\n") }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch {
		case verb == "EHLO":
			if !m.TLS {
				say("250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN")
			} else {
				say("250-fake\r\n250 AUTH PLAIN")
			}
		case verb == "STARTTLS":
			say("220 go ahead")
			tc := tls.Server(c, f.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, r, m.TLS = tc, bufio.NewReader(tc), true
		case verb == "AUTH":
			b, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(line, "AUTH PLAIN "))
			if string(b) != "\x00"+f.user+"\x00"+f.pass {
				say("535 bad credentials")
				continue
			}
			m.Auth = true
			say("235 ok")
		case verb == "MAIL":
			m.From = strings.Trim(strings.TrimPrefix(line, "MAIL FROM:"), "<>")
			say("250 ok")
		case verb == "RCPT":
			m.To = append(m.To, strings.Trim(strings.TrimPrefix(line, "RCPT TO:"), "<>"))
			say("250 ok")
		case verb == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			m.Data = b.String()
			f.mu.Lock()
			f.mails = append(f.mails, m)
			f.mu.Unlock()
			say("250 queued")
		case verb == "QUIT":
			say("221 bye")
			return
		default:
			say("502 not here")
		}
	}
}

func (f *fakeSMTP) got() []fakeMail {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeMail(nil), f.mails...)
}

func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func TestMailIsSentOverTLSWithAuth(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		mode string
	}{{"starttls", store.SMTPStartTLS}, {"implicit tls", store.SMTPTLS}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHub(t)
			srv, roots := newFakeSMTP(t, tc.mode == store.SMTPTLS)
			h.channel(store.NotifyChannel{Name: "工委邮箱", Kind: store.ChannelSMTP, Enabled: true,
				Notices: []string{store.NoticeNewCase}, SMTPHost: "127.0.0.1", SMTPPort: srv.port(),
				SMTPMode: tc.mode, SMTPUser: srv.user, Secret: srv.pass, MailFrom: "notice@street.example.cn",
				MailTo: []string{"desk@street.example.cn", "chair@street.example.cn"}})
			h.run(notify.Config{TLS: &tls.Config{RootCAs: roots}})
			waitFor(t, "the cursor", func() bool { _, ok, _ := h.st.NotifyCursor(context.Background(), "cases"); return ok })
			c := h.submit("长青社区", "路灯不亮，电话 13812345678")
			waitFor(t, "the mail", func() bool { return len(srv.got()) == 1 })

			m := srv.got()[0]
			if !m.TLS || !m.Auth || m.From != "notice@street.example.cn" ||
				strings.Join(m.To, ",") != "desk@street.example.cn,chair@street.example.cn" {
				t.Fatalf("mail %+v", m)
			}
			msg, err := mail.ReadMessage(strings.NewReader(m.Data))
			if err != nil {
				t.Fatal(err)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || !strings.Contains(subject, c.Number) {
				t.Errorf("subject %q (%v)", subject, err)
			}
			raw, _ := io.ReadAll(msg.Body)
			body, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(raw), "\r\n", ""))
			if err != nil {
				t.Fatal(err)
			}
			text := string(body)
			for _, want := range []string{"类别：环境卫生", "社区：长青社区", "在工作台查看：https://hub.example.cn/console/#/cases/" + c.ID} {
				if !strings.Contains(text, want) {
					t.Errorf("body lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, "13812345678") || strings.Contains(text, "###") {
				t.Errorf("body:\n%s", text)
			}
		})
	}
}

func TestTestMessageReportsTheMailServersRefusal(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	srv, roots := newFakeSMTP(t, false)
	ch := h.channel(store.NotifyChannel{Name: "邮箱", Kind: store.ChannelSMTP, Enabled: true,
		Notices: []string{store.NoticeNewCase}, SMTPHost: "127.0.0.1", SMTPPort: srv.port(),
		SMTPMode: store.SMTPStartTLS, SMTPUser: srv.user, Secret: "wrong", MailFrom: "a@street.example.cn",
		MailTo: []string{"b@street.example.cn"}})
	n := notify.New(notify.Config{TLS: &tls.Config{RootCAs: roots}}, h.st, nil)
	err := n.SendTest(context.Background(), ch.ID)
	if err == nil || !strings.Contains(err.Error(), "535") {
		t.Fatalf("test message: %v, want the server's 535", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error %q shows the password", err)
	}
	if len(srv.got()) != 0 {
		t.Error("a mail was taken")
	}
}
