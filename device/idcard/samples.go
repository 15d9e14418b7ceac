package idcard

import (
	"unicode/utf16"
)

// textBuilder assembles a 256-byte text block: UCS-2LE fields right-padded with spaces.
type textBuilder [TextLen]byte

func newTextBuilder() *textBuilder {
	var b textBuilder
	for i := 0; i+1 < TextLen; i += 2 {
		b[i], b[i+1] = ' ', 0
	}
	return &b
}

// put writes s at off, truncated to n bytes.
func (b *textBuilder) put(off, n int, s string) *textBuilder {
	u := utf16.Encode([]rune(s))
	for i, c := range u {
		p := off + 2*i
		if 2*i+1 >= n || p+1 >= TextLen {
			break
		}
		b[p], b[p+1] = byte(c), byte(c>>8)
	}
	return b
}

func (b *textBuilder) bytes() []byte {
	out := make([]byte, TextLen)
	copy(out, b[:])
	return out
}

// ResidentText builds a resident-card text block; validUntil may be "长期".
func ResidentText(name, gender, nation, birth, address, id, issuer, validFrom, validUntil string) []byte {
	return newTextBuilder().
		put(0, 30, name).put(30, 2, gender).put(32, 4, nation).put(36, 16, birth).
		put(52, 70, address).put(122, 36, id).put(158, 30, issuer).
		put(188, 16, validFrom).put(204, 16, validUntil).bytes()
}

// HKMOTWText builds an HK/Macau/Taiwan residence-permit text block (flag 'J').
func HKMOTWText(name, gender, birth, address, id, issuer, validFrom, validUntil, permit, issueCount string) []byte {
	b := newTextBuilder().
		put(0, 30, name).put(30, 2, gender).put(36, 16, birth).
		put(52, 70, address).put(122, 36, id).put(158, 30, issuer).
		put(188, 16, validFrom).put(204, 16, validUntil).
		put(220, 18, permit).put(238, 4, issueCount).put(248, 2, "J")
	return b.bytes()
}

// ForeignPRText builds a 2017 foreign permanent-resident card text block (flag 'I').
func ForeignPRText(englishName, gender, number, nationality, chineseName, validFrom, validUntil, birth, version, authority string) []byte {
	b := newTextBuilder().
		put(0, 120, englishName).put(120, 2, gender).put(122, 30, number).put(152, 6, nationality).
		put(158, 30, chineseName).put(188, 16, validFrom).put(204, 16, validUntil).
		put(220, 16, birth).put(236, 4, version).put(240, 8, authority).put(248, 2, "I")
	return b.bytes()
}

// SampleCards returns synthetic cards for the simulator and tests: the standard's example
// numbers with made-up names and addresses. Keys: resident, resident2, hkmotw, foreign_pr.
func SampleCards() map[string]SimCard {
	return map[string]SimCard{
		"resident": {Text: ResidentText("测试", "2", "01", "19491231", "北京市朝阳区",
			"11010519491231002X", "北京市公安局朝阳分局", "20200101", longTermText)},
		"resident2": {
			Text: ResidentText("张三", "1", "03", "18800101", "广东省汕头市测试路1号",
				"440524188001010014", "汕头市公安局测试分局", "20150101", "20350101"),
			NewestAddress: "广东省汕头市测试路2号",
		},
		"hkmotw": {Text: HKMOTWText("李四", "2", "19781027", "广东省深圳市测试区测试街3号",
			"810000197810272327", "深圳市公安局测试分局", "20230101", "20280101", "H00000001", "01")},
		"foreign_pr": {Text: ForeignPRText("TEST SAMPLE PERSON", "1", "USA110019850101",
			"USA", "测试样例", "20200101", "20300101", "19850101", "04", "1100")},
	}
}
