package text

import (
	"maps"
	"slices"
	"testing"

	"liaison/sync/domain"
)

// Every code the hub can show has a message in each language, using only the parameters the
// code declares; the catalogues hold nothing unregistered.
func TestCatalogueCoversEveryHubCode(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{ZhCN, En} {
		c := catalogues[lang]
		for _, info := range domain.Codes() {
			msg, ok := c.Codes[info.Code]
			if info.Shown&domain.OnHub == 0 {
				continue
			}
			if !ok || msg == "" {
				t.Errorf("%s: no message for %s", lang, info.Code)
				continue
			}
			for _, p := range Placeholders(msg) {
				if !slices.Contains(info.Params, p) {
					t.Errorf("%s: %s uses {%s}, which the code does not declare", lang, info.Code, p)
				}
			}
		}
		for code := range c.Codes {
			if info, ok := domain.LookupCode(code); !ok || info.Shown&domain.OnHub == 0 {
				t.Errorf("%s: %s is not a registered hub code", lang, code)
			}
		}
	}
}

func TestLanguagesHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	zh, en := catalogues[ZhCN], catalogues[En]
	tables := map[string][2]map[string]string{
		"states": {zh.States, en.States}, "kinds": {zh.Kinds, en.Kinds}, "roles": {zh.Roles, en.Roles},
		"ratings": {zh.Ratings, en.Ratings}, "timeline": {zh.Timeline, en.Timeline},
		"notices": {zh.Notices, en.Notices},
	}
	for name, pair := range tables {
		a, b := slices.Sorted(maps.Keys(pair[0])), slices.Sorted(maps.Keys(pair[1]))
		if !slices.Equal(a, b) {
			t.Errorf("%s: zh-CN %v, en %v", name, a, b)
		}
	}
	kinds := []domain.Kind{domain.KindCaseSubmitted, domain.KindCaseAccepted, domain.KindCaseAssigned,
		domain.KindCaseProgress, domain.KindCaseReturned, domain.KindCaseSupervised, domain.KindCaseReplied,
		domain.KindCaseRated, domain.KindCaseReopened, domain.KindCaseClosed, domain.KindCaseWithdrawn,
		domain.KindCaseMerged, domain.KindCaseCoHandler, domain.KindContactRevealed}
	for _, k := range kinds {
		if zh.Kinds[string(k)] == "" {
			t.Errorf("no label for %s", k)
		}
	}
	states := []domain.State{domain.StateNew, domain.StateSubmitted, domain.StateAccepted, domain.StateAssigned,
		domain.StateInProgress, domain.StateReturned, domain.StateReplied, domain.StateReopened,
		domain.StateClosed, domain.StateWithdrawn, domain.StateMerged}
	for _, s := range states {
		if zh.States[string(s)] == "" {
			t.Errorf("no name for state %q", s)
		}
	}
}

func TestMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, lang, code string
		params           map[string]string
		want             string
	}{
		{"zh", ZhCN, domain.CodePairingUsed, nil, "配对码已被使用，请重新获取"},
		{"en", En, domain.CodePairingUsed, nil, "The pairing code has been used, please get a new one"},
		{"params", ZhCN, domain.CodeBadRequest, map[string]string{"detail": "rep_id"}, "请求格式错误：rep_id"},
		{"missing param", ZhCN, domain.CodeBadRequest, nil, "请求格式错误："},
		{"unknown language falls back to zh-CN", "fr", domain.CodeBadState, nil, "未知的状态"},
		{"unknown code is internal", En, "no_such_code", nil, "The service is unavailable, please try again later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Message(tt.lang, tt.code, tt.params); got != tt.want {
				t.Errorf("Message = %q, want %q", got, tt.want)
			}
		})
	}
	if got := ErrorMessage(ZhCN, domain.NewError(domain.CodeUnknownRep)); got != "没有这位代表" {
		t.Errorf("ErrorMessage = %q", got)
	}
	if got := StateName(ZhCN, domain.StateInProgress); got != "办理中" {
		t.Errorf("StateName = %q", got)
	}
	if got := RatingName(En, domain.RatingBasically); got != "Basically satisfied" || RatingName(ZhCN, "") != "" {
		t.Errorf("RatingName = %q", got)
	}
}

func TestFill(t *testing.T) {
	t.Parallel()
	got := Fill("第 {seq} 条（{fact}）{", map[string]string{"seq": "3", "fact": "f-1"})
	if got != "第 3 条（f-1）{" {
		t.Errorf("Fill = %q", got)
	}
	if p := Placeholders("{a} and {b}"); !slices.Equal(p, []string{"a", "b"}) {
		t.Errorf("Placeholders = %v", p)
	}
}
