package idcard

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func TestParseTextLayouts(t *testing.T) {
	t.Parallel()
	samples := SampleCards()
	tests := []struct {
		name string
		text []byte
		want string
	}{
		{"resident long term", samples["resident"].Text,
			`{"card_type":"resident","name":"测试","gender":"女","nation":"汉","birth_date":"1949-12-31","address":"北京市朝阳区","id_number":"11010519491231002X","id_number_valid":true,"issuer":"北京市公安局朝阳分局","valid_from":"2020-01-01","valid_until":"","long_term":true}`},
		{"resident dated", samples["resident2"].Text,
			`{"card_type":"resident","name":"张三","gender":"男","nation":"回","birth_date":"1880-01-01","address":"广东省汕头市测试路1号","id_number":"440524188001010014","id_number_valid":true,"issuer":"汕头市公安局测试分局","valid_from":"2015-01-01","valid_until":"2035-01-01","long_term":false}`},
		{"hk macau taiwan permit", samples["hkmotw"].Text,
			`{"card_type":"hkmotw","name":"李四","gender":"女","nation":"","birth_date":"1978-10-27","address":"广东省深圳市测试区测试街3号","id_number":"810000197810272327","id_number_valid":true,"issuer":"深圳市公安局测试分局","valid_from":"2023-01-01","valid_until":"2028-01-01","long_term":false,"permit_number":"H00000001","issue_count":"01"}`},
		{"foreign permanent resident", samples["foreign_pr"].Text,
			`{"card_type":"foreign_pr","name":"测试样例","gender":"男","nation":"","birth_date":"1985-01-01","address":"","id_number":"USA110019850101","id_number_valid":true,"issuer":"1100","valid_from":"2020-01-01","valid_until":"2030-01-01","long_term":false,"english_name":"TEST SAMPLE PERSON","nationality":"USA","card_version":"04"}`},
		{"nation 97 and bad check digit", ResidentText("测试", "9", "97", "19840406", "测试地址",
			"110102198404069701", "测试机关", "20200101", "20300101"),
			`{"card_type":"resident","name":"测试","gender":"未说明","nation":"其他","birth_date":"1984-04-06","address":"测试地址","id_number":"110102198404069701","id_number_valid":false,"issuer":"测试机关","valid_from":"2020-01-01","valid_until":"2030-01-01","long_term":false}`},
		{"nation 98 and unknown codes", ResidentText("测试", "7", "98", "2001", "", "", "", "2020010", "20300101"),
			`{"card_type":"resident","name":"测试","gender":"","nation":"外国血统中国籍人士","birth_date":"","address":"","id_number":"","id_number_valid":false,"issuer":"","valid_from":"","valid_until":"2030-01-01","long_term":false}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseText(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestParseTextUnknownFlag(t *testing.T) {
	t.Parallel()
	text := SampleCards()["resident"].Text
	text[248], text[249] = 'Y', 0
	c, err := ParseText(text)
	if err != nil {
		t.Fatal(err)
	}
	if c.Type != TypeUnknown || c.Name != "" || !bytes.Equal(c.Raw, text) {
		t.Fatalf("unknown layout parsed as %+v", c)
	}
	if _, err := ParseText(text[:200]); !errors.Is(err, ErrShortData) {
		t.Fatalf("short block: %v", err)
	}
}

func TestValidIDNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true},
		{"11010519491231002x", true},
		{"440524188001010014", true},
		{"11010219840406970X", true},
		{"810000197810272327", true},
		{"830000197810272320", true},
		{"932682198501010017", true},
		{"911124198108030024", true},
		{"110105194912310021", false},
		{"440524188001010015", false},
		{"4405241880010100", false},
		{"44052418800101001A", false},
		{"A40524188001010014", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := ValidIDNumber(tc.id); got != tc.want {
			t.Errorf("ValidIDNumber(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestNationAndGenderTables(t *testing.T) {
	t.Parallel()
	if len(nations) != 58 {
		t.Fatalf("nation table has %d entries, want 56 + 97 + 98", len(nations))
	}
	for code, want := range map[string]string{"01": "汉", "20": "傈僳", "36": "毛南", "46": "德昂", "56": "基诺", "57": "", "97": "其他"} {
		if got := NationName(code); got != want {
			t.Errorf("NationName(%s) = %q, want %q", code, got, want)
		}
	}
	for code, want := range map[string]string{"0": "未知", "1": "男", "2": "女", "9": "未说明", "3": ""} {
		if got := GenderName(code); got != want {
			t.Errorf("GenderName(%s) = %q, want %q", code, got, want)
		}
	}
}
