package idcard

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// CardType tells the text-block layouts apart.
type CardType string

// Card types, as they appear in JSON.
const (
	TypeResident  CardType = "resident"   // 居民身份证
	TypeHKMOTW    CardType = "hkmotw"     // 港澳台居民居住证 (flag 'J')
	TypeForeignPR CardType = "foreign_pr" // 外国人永久居留身份证 (flag 'I')
	TypeUnknown   CardType = "unknown"
)

// TextLen is the size of the text block.
const TextLen = 256

// Card is what was read from one card. Its JSON is the technician command's output. The photo
// is never kept: only its length, so diagnostics can tell whether it came.
type Card struct {
	Type          CardType `json:"card_type"`
	Name          string   `json:"name"`
	Gender        string   `json:"gender"`
	Nation        string   `json:"nation"`
	BirthDate     string   `json:"birth_date"`
	Address       string   `json:"address"`
	IDNumber      string   `json:"id_number"`
	IDNumberValid bool     `json:"id_number_valid"`
	Issuer        string   `json:"issuer"`
	ValidFrom     string   `json:"valid_from"`
	ValidUntil    string   `json:"valid_until"`
	LongTerm      bool     `json:"long_term"`
	EnglishName   string   `json:"english_name,omitempty"`
	Nationality   string   `json:"nationality,omitempty"`
	PermitNumber  string   `json:"permit_number,omitempty"`
	IssueCount    string   `json:"issue_count,omitempty"`
	CardVersion   string   `json:"card_version,omitempty"`

	// NewestAddress is the appended address (command 30 03) when the driver read one.
	NewestAddress string `json:"-"`
	// PhotoLen and FingerprintLen are the lengths of the blocks that came with the text.
	PhotoLen       int `json:"-"`
	FingerprintLen int `json:"-"`
	// Raw keeps the text block of a card whose layout is unknown, for diagnosis.
	Raw []byte `json:"-"`
}

// field reads a UCS-2LE field of the text block, dropping the space and NUL padding.
func field(text []byte, off, n int) string {
	if off < 0 || n <= 0 || off+n > len(text) {
		return ""
	}
	b := text[off : off+n]
	u := make([]uint16, 0, n/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
	}
	return strings.TrimRight(string(utf16.Decode(u)), " \x00")
}

// date turns YYYYMMDD into YYYY-MM-DD; anything else gives "".
func date(s string) string {
	if len(s) != 8 {
		return ""
	}
	for i := range 8 {
		if s[i] < '0' || s[i] > '9' {
			return ""
		}
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}

// longTermText is what an end-date field holds for a card valid indefinitely.
const longTermText = "长期"

// ParseText decodes a 256-byte text block. The layout comes from the flag at byte 248:
// 'J' HK/Macau/Taiwan permit, 'I' foreign PR card (2017), a space the resident card. Any
// other flag gives a Card of TypeUnknown with only Raw set (and no error): parsing it with the
// resident layout would produce confident nonsense, while the caller may still want to say
// "this card is not supported" rather than "no card".
func ParseText(text []byte) (*Card, error) {
	if len(text) < TextLen {
		return nil, fmt.Errorf("parse text block: %w: %d bytes", ErrShortData, len(text))
	}
	text = text[:TextLen]
	flag, flagHi := text[248], text[249]
	switch {
	case flag == 'J' && flagHi == 0:
		return parseHKMOTW(text), nil
	case flag == 'I' && flagHi == 0:
		return parseForeignPR(text), nil
	case flag == ' ' && flagHi == 0:
		return parseResident(text), nil
	default:
		raw := make([]byte, TextLen)
		copy(raw, text)
		return &Card{Type: TypeUnknown, Raw: raw}, nil
	}
}

// common fills the fields resident cards and residence permits share.
func common(text []byte, c *Card) {
	c.Name = field(text, 0, 30)
	c.Gender = GenderName(field(text, 30, 2))
	c.BirthDate = date(field(text, 36, 16))
	c.Address = field(text, 52, 70)
	c.IDNumber = field(text, 122, 36)
	c.IDNumberValid = ValidIDNumber(c.IDNumber)
	c.Issuer = field(text, 158, 30)
	c.ValidFrom = date(field(text, 188, 16))
	setValidUntil(c, field(text, 204, 16))
}

func setValidUntil(c *Card, s string) {
	if s == longTermText {
		c.LongTerm = true
		return
	}
	c.ValidUntil = date(s)
}

func parseResident(text []byte) *Card {
	c := &Card{Type: TypeResident}
	common(text, c)
	c.Nation = NationName(field(text, 32, 4))
	return c
}

func parseHKMOTW(text []byte) *Card {
	c := &Card{Type: TypeHKMOTW}
	common(text, c)
	c.PermitNumber = field(text, 220, 18)
	c.IssueCount = field(text, 238, 4)
	return c
}

func parseForeignPR(text []byte) *Card {
	c := &Card{Type: TypeForeignPR}
	c.EnglishName = field(text, 0, 120)
	c.Gender = GenderName(field(text, 120, 2))
	c.IDNumber = field(text, 122, 30)
	c.IDNumberValid = validForeignPR2017(c.IDNumber) || ValidIDNumber(c.IDNumber)
	c.Nationality = field(text, 152, 6)
	c.Name = field(text, 158, 30)
	c.ValidFrom = date(field(text, 188, 16))
	setValidUntil(c, field(text, 204, 16))
	c.BirthDate = date(field(text, 220, 16))
	c.CardVersion = field(text, 236, 4)
	c.Issuer = field(text, 240, 8)
	return c
}
