package app

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"

	"liaison/sync/domain"
)

// recorder is an Emitter that hands events to the test.
type recorder struct{ ch chan emitted }

type emitted struct {
	name    string
	payload any
}

func (r *recorder) Emit(name string, payload any) {
	select {
	case r.ch <- emitted{name, payload}:
	default:
	}
}

// waitEvent waits for an event of the given name that satisfies ok.
func (r *recorder) waitEvent(t *testing.T, name string, ok func(any) bool) any {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case e := <-r.ch:
			if e.name == name && (ok == nil || ok(e.payload)) {
				return e.payload
			}
		case <-deadline:
			t.Fatalf("no %s event", name)
		}
	}
}

func refEvent(t *testing.T, seq int64, kind domain.Kind, stream string, v any) domain.Event {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Event{ID: domain.NewEventID(), Device: domain.HubDevice, DevSeq: seq, Stream: stream,
		Kind: kind, At: time.Now().UTC(), Actor: domain.Actor{Role: domain.RoleStaff}, Data: b, HubSeq: seq}
}

func sessionWith(pred func(Session) bool) func(any) bool {
	return func(p any) bool {
		s, ok := p.(Session)
		return ok && pred(s)
	}
}

// A card tapped on the simulated reader travels through the serial driver to a session; after
// consent the resident is registered with only a hash, a mask and sealed data, and can submit
// a case and find it again; the same card later is recognised as a returning resident.
func TestCardToRegisteredResidentToCase(t *testing.T) {
	ts := newTestStation(t)
	k := ts.Kiosk
	if err := k.SimulateCard("resident"); err != nil {
		t.Fatal(err)
	}
	p := ts.rec.waitEvent(t, EventSessionChanged, sessionWith(func(s Session) bool { return s.NeedsConsent }))
	sess := p.(Session)
	if sess.SurnameMask != "测*" || sess.IDMasked == "" || strings.Contains(sess.IDMasked, "19491231") {
		t.Fatalf("session shows %+v", sess)
	}
	if _, err := k.SubmitCase(CaseInput{Category: "env", Text: "楼下垃圾桶满了没人清理"}); err == nil {
		t.Fatal("submitted before consent")
	}
	after, err := k.AcceptConsent()
	if err != nil {
		t.Fatal(err)
	}
	if after.ResidentID == "" || after.NeedsConsent {
		t.Fatalf("after consent %+v", after)
	}
	res, err := ts.store.Resident(context.Background(), after.ResidentID)
	if err != nil {
		t.Fatal(err)
	}
	var reg domain.ResidentRegistered
	evs, err := ts.store.LocalFactsAfter(context.Background(), 0, 10)
	if err != nil || len(evs) == 0 {
		t.Fatalf("no local facts: %v", err)
	}
	if err := json.Unmarshal(evs[0].Data, &reg); err != nil {
		t.Fatal(err)
	}
	opened, ok := box.OpenAnonymous(nil, reg.Sealed, ts.hubPub, ts.hubKey)
	if !ok || string(opened) != "11010519491231002X" {
		t.Fatalf("sealed id opens to %q, %v", opened, ok)
	}
	if res.ID != after.ResidentID {
		t.Fatalf("resident %+v", res)
	}

	rc, err := k.SubmitCase(CaseInput{Category: "env", Text: "楼下垃圾桶满了没人清理", Community: "朝阳社区", Phone: "13800000000"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rc.Number, "HX01-K1-") || !strings.Contains(rc.StatusURL, "/c/"+rc.Number+"?t=") || !strings.HasPrefix(rc.QRDataURL, "data:image/png;base64,") {
		t.Fatalf("receipt %+v", rc)
	}
	mine, err := k.MyCases()
	if err != nil || len(mine) != 1 || mine[0].Number != rc.Number || mine[0].CategoryName != "环境卫生" {
		t.Fatalf("my cases %+v, %v", mine, err)
	}
	d, err := k.CaseDetail(rc.CaseID)
	if err != nil || len(d.Timeline) != 1 || d.Timeline[0].Kind != string(domain.KindCaseSubmitted) || d.Timeline[0].Label != "提交" || d.Timeline[0].Actor == "" {
		t.Fatalf("detail %+v, %v", d, err)
	}

	// Nothing on disk holds the ID number or the name in clear.
	ts.Stop()
	for _, name := range []string{"station.db", "station.db-wal"} {
		b, err := os.ReadFile(filepath.Join(ts.cfg.DataDir, name))
		if err != nil {
			continue
		}
		for _, secret := range []string{"11010519491231002X", "19491231002X"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %s in clear", name, secret)
			}
		}
		if bytes.Contains(b, []byte("测试")) && bytes.Contains(b, []byte(`"name":"测试"`)) {
			t.Errorf("%s holds the name in clear", name)
		}
	}
}

func TestReturningResidentRecognised(t *testing.T) {
	ts := newTestStation(t)
	k := ts.Kiosk
	if err := k.SimulateCard("resident2"); err != nil {
		t.Fatal(err)
	}
	ts.rec.waitEvent(t, EventSessionChanged, sessionWith(func(s Session) bool { return s.NeedsConsent }))
	if _, err := k.AcceptConsent(); err != nil {
		t.Fatal(err)
	}
	k.EndSession()
	if k.Session() != nil {
		t.Fatal("session not wiped")
	}
	// The simulator lifts the card after a moment; wait for the reader to see it gone, then tap again.
	deadline := time.Now().Add(15 * time.Second)
	for {
		if err := k.SimulateCard("resident2"); err != nil {
			t.Fatal(err)
		}
		select {
		case e := <-ts.rec.ch:
			if s, ok := e.payload.(Session); ok && e.name == EventSessionChanged && s.Returning {
				if s.NeedsConsent || s.ResidentID == "" {
					t.Fatalf("returning session %+v", s)
				}
				return
			}
		case <-time.After(3 * time.Second):
		}
		if time.Now().After(deadline) {
			t.Fatal("returning resident not recognised")
		}
	}
}

func TestSubmitCaseRefusesBadInput(t *testing.T) {
	ts := newTestStation(t)
	k := ts.Kiosk
	if _, err := k.StartAnonymous(); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		in     CaseInput
		code   string
		params map[string]string
	}{
		"no category":   {CaseInput{Text: "路灯坏了很久了"}, domain.CodeCategoryRequired, nil},
		"too short":     {CaseInput{Category: "env", Text: "坏了"}, domain.CodeTextTooShort, map[string]string{"min": "5"}},
		"bad phone":     {CaseInput{Category: "env", Text: "路灯坏了很久了", Phone: "12ab"}, domain.CodePhoneInvalid, nil},
		"unknown class": {CaseInput{Category: "nope", Text: "路灯坏了很久了"}, domain.CodeCategoryRequired, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := k.SubmitCase(tc.in)
			got := AsError(err)
			if got.Code != tc.code || !maps.Equal(got.Params, tc.params) {
				t.Fatalf("got %v", err)
			}
			// what Wails hands the frontend: the code, its parameters, no Chinese
			var wire map[string]any
			if json.Unmarshal([]byte(err.Error()), &wire) != nil || wire["code"] != tc.code || strings.ContainsFunc(err.Error(), isHan) {
				t.Fatalf("error on the wire %s", err)
			}
		})
	}
	rc, err := k.SubmitCase(CaseInput{Category: "env", Text: "路灯坏了很久了"})
	if err != nil {
		t.Fatal(err)
	}
	// An anonymous visitor can follow what they submitted in this session.
	mine, err := k.MyCases()
	if err != nil || len(mine) != 1 || mine[0].ID != rc.CaseID {
		t.Fatalf("anonymous cases %+v %v", mine, err)
	}
}
