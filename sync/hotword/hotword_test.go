package hotword_test

import (
	"slices"
	"testing"

	"liaison/sync/hotword"
)

const dict = `路灯 50 n
小区 80 n
门口 40 n
希望 50 v
号码 40 n
三期 5 m
公寓 30 n
`

func TestWords(t *testing.T) {
	tok, err := hotword.NewFromDict(dict)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ text, note string }{
		{"小区门口的路灯，希望修好", "stop words (希望) and single characters are left out"},
		{"小区路灯不亮，小区门口也黑", "each word once"},
		{"路灯坏了，电话13800000000，小区门口", "numbers are scrubbed, and the scrub marker is no word"},
		{"路灯 lamp 123 小区门口", "only Chinese"},
	} {
		got := tok.Words(c.text)
		slices.Sort(got)
		if want := []string{"小区", "路灯", "门口"}; !slices.Equal(got, want) {
			t.Errorf("%s: %q gives %v, want %v", c.note, c.text, got, want)
		}
	}
	// without the HMM an unknown run stays single characters: no 期公 from 三期公寓
	if got := tok.Words("三期公寓"); !slices.Equal(got, []string{"三期", "公寓"}) {
		t.Errorf("三期公寓 gives %v", got)
	}
	if !hotword.StopWordSet()["希望"] || hotword.StopWordSet()["路灯"] {
		t.Error("stop list")
	}
}
