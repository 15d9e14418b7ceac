package idcard

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syntheticText is the reference's synthetic resident text block (测试, 11010519491231002X, 长期).
const syntheticText = "4B6DD58B2000200020002000200020002000200020002000200020002000320030003100310039003400390031003200330031001753AC4E025E1D6733963A53200020002000200020002000200020002000200020002000200020002000200020002000200020002000200020002000200020002000200020003100310030003100300035003100390034003900310032003300310030003000320058001753AC4E025E6C51895B405C1D6733960652405C20002000200020002000320030003200300030003100300031007F951F67200020002000200020002000200020002000200020002000200020002000200020002000200020002000200020002000"

func syntheticFrame(t testing.TB) []byte {
	t.Helper()
	f := mustHex(t, "AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
	f = append(f, mustHex(t, syntheticText)...)
	f = append(f, make([]byte, 1024)...)
	return append(f, 0xDD)
}

func TestEncodeCommandGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cmd  Command
		want string
	}{
		{"reset", CmdResetSAM, "AA AA AA 96 69 00 03 10 FF EC"},
		{"status", CmdSAMStatus, "AA AA AA 96 69 00 03 11 FF ED"},
		{"sam id", CmdSAMID, "AA AA AA 96 69 00 03 12 FF EE"},
		{"find", CmdFind, "AA AA AA 96 69 00 03 20 01 22"},
		{"select", CmdSelect, "AA AA AA 96 69 00 03 20 02 21"},
		{"read base", CmdReadBase, "AA AA AA 96 69 00 03 30 01 32"},
		{"newest address", CmdReadNewestAddr, "AA AA AA 96 69 00 03 30 03 30"},
		{"read with fingerprint", CmdReadWithFinger, "AA AA AA 96 69 00 03 30 10 23"},
		{"uart 115200", Command{Cmd: 0x60, Para: 0x00}, "AA AA AA 96 69 00 03 60 00 63"},
		{"uart 9600", Command{Cmd: 0x60, Para: 0x04}, "AA AA AA 96 69 00 03 60 04 67"},
		{"max rf frame", Command{Cmd: 0x61, Para: 0xFF, Data: []byte{0x50}}, "AA AA AA 96 69 00 04 61 FF 50 CA"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := EncodeCommand(tc.cmd)
			if want := mustHex(t, tc.want); !bytes.Equal(got, want) {
				t.Fatalf("EncodeCommand = % X, want % X", got, want)
			}
			back, err := DecodeCommand(got)
			if err != nil || back.Cmd != tc.cmd.Cmd || back.Para != tc.cmd.Para || !bytes.Equal(back.Data, tc.cmd.Data) {
				t.Fatalf("DecodeCommand round trip = %+v, %v", back, err)
			}
		})
	}
}

func TestDecodeResponseGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		frame    string
		sw3      byte
		dataLen  int
		sentinel error // nil means success
	}{
		{"find ok", "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", 0x9F, 4, nil},
		{"find no card", "AA AA AA 96 69 00 04 00 00 80 84", 0x80, 0, ErrNoCard},
		{"select ok", "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C", 0x90, 8, nil},
		{"select failed", "AA AA AA 96 69 00 04 00 00 81 85", 0x81, 0, ErrSelectFailed},
		{"read failed", "AA AA AA 96 69 00 04 00 00 41 45", 0x41, 0, ErrReadFailed},
		{"status ok", "AA AA AA 96 69 00 04 00 00 90 94", 0x90, 0, nil},
		{"sam self-test failed", "AA AA AA 96 69 00 04 00 00 60 64", 0x60, 0, ErrSAMSelfTest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := DecodeResponse(mustHex(t, tc.frame))
			if err != nil {
				t.Fatalf("DecodeResponse: %v", err)
			}
			if r.SW3 != tc.sw3 || len(r.Data) != tc.dataLen {
				t.Fatalf("SW3 %02X data %d, want %02X %d", r.SW3, len(r.Data), tc.sw3, tc.dataLen)
			}
			err = r.Err()
			if tc.sentinel == nil && err != nil {
				t.Fatalf("Err = %v, want nil", err)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Fatalf("Err = %v, want %v", err, tc.sentinel)
			}
		})
	}
}

func TestDecodeResponseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		frame string
		want  error
	}{
		{"short", "AA AA AA 96", ErrShortFrame},
		{"preamble", "AA AA AB 96 69 00 04 00 00 90 94", ErrPreamble},
		{"checksum", "AA AA AA 96 69 00 04 00 00 90 95", ErrChecksum},
		{"len too small", "AA AA AA 96 69 00 03 00 90 93", ErrLength},
		{"len beyond frame", "AA AA AA 96 69 00 05 00 00 90 94", ErrLength},
		{"absurd len", "AA AA AA 96 69 FF FF 00 00 90 94", ErrLength},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := DecodeResponse(mustHex(t, tc.frame)); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestEveryStatusCode(t *testing.T) {
	t.Parallel()
	codes := []byte{0x90, 0x91, 0x9F, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81}
	if len(StatusCodes()) != len(codes) {
		t.Fatalf("table has %d codes, reference lists %d", len(StatusCodes()), len(codes))
	}
	for _, c := range codes {
		r, err := DecodeResponse(EncodeResponse(Response{SW3: c}))
		if err != nil {
			t.Fatalf("%02X: %v", c, err)
		}
		err = r.Err()
		if c == 0x90 || c == 0x9F {
			if err != nil {
				t.Fatalf("%02X is success, got %v", c, err)
			}
			continue
		}
		var se *StatusError
		if !errors.As(err, &se) || se.Code != c {
			t.Fatalf("%02X: err %v is not a StatusError with that code", c, err)
		}
		if strings.Contains(se.Message(), "未知") || se.English() == "unknown status" {
			t.Fatalf("%02X has no description: %q / %q", c, se.Message(), se.English())
		}
	}
	unknown := &StatusError{Code: 0x77}
	if !errors.Is(unknown, ErrStatus) || !strings.Contains(unknown.Message(), "77") {
		t.Fatalf("unknown code: %v %q", unknown, unknown.Message())
	}
}

func TestSyntheticFullFrame(t *testing.T) {
	t.Parallel()
	f := syntheticFrame(t)
	if len(f) != 1295 {
		t.Fatalf("frame is %d bytes, want 1295", len(f))
	}
	if got := Checksum(f[5:1294]); got != 0xDD {
		t.Fatalf("checksum %02X, reference says DD", got)
	}
	r, err := DecodeResponse(f)
	if err != nil || r.Err() != nil {
		t.Fatalf("decode: %v / %v", err, r.Err())
	}
	card, err := ParseBaseRead(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(card)
	want := `{"card_type":"resident","name":"测试","gender":"女","nation":"汉","birth_date":"1949-12-31","address":"北京市朝阳区","id_number":"11010519491231002X","id_number_valid":true,"issuer":"北京市公安局朝阳分局","valid_from":"2020-01-01","valid_until":"","long_term":true}`
	if string(got) != want {
		t.Fatalf("card JSON\n got %s\nwant %s", got, want)
	}
	if card.PhotoLen != 1024 {
		t.Fatalf("PhotoLen = %d", card.PhotoLen)
	}
	// The sample the simulator serves is the same block.
	if s := SampleCards()["resident"].Text; !bytes.Equal(s, mustHex(t, syntheticText)) {
		t.Fatalf("sample resident text differs from the reference vector")
	}
	if enc := EncodeResponse(r); !bytes.Equal(enc, f) {
		t.Fatal("EncodeResponse does not reproduce the reference frame")
	}
}

func TestFingerprintRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		fpLen     int
		frameLen  int
		lenHeader string
	}{
		{"no fingerprint", 0, 1297, "05 0A"},
		{"one finger", 512, 1809, "07 0A"},
		{"two fingers", 1024, 2321, "09 0A"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := []byte{0x01, 0x00, 0x04, 0x00, byte(tc.fpLen >> 8), byte(tc.fpLen)}
			data = append(data, mustHex(t, syntheticText)...)
			data = append(data, make([]byte, 1024+tc.fpLen)...)
			f := EncodeResponse(Response{SW3: 0x90, Data: data})
			if len(f) != tc.frameLen || !bytes.Equal(f[5:7], mustHex(t, tc.lenHeader)) {
				t.Fatalf("frame %d bytes, LEN % X", len(f), f[5:7])
			}
			r, err := DecodeResponse(f)
			if err != nil {
				t.Fatal(err)
			}
			c, err := ParseFingerprintRead(r.Data)
			if err != nil {
				t.Fatal(err)
			}
			if c.IDNumber != "11010519491231002X" || c.FingerprintLen != tc.fpLen {
				t.Fatalf("card %q fp %d", c.IDNumber, c.FingerprintLen)
			}
		})
	}
	bad := []byte{0x01, 0x00, 0x04, 0x00, 0x01, 0x00}
	if _, err := ParseFingerprintRead(bad); !errors.Is(err, ErrLength) {
		t.Fatalf("fp length 256 accepted: %v", err)
	}
}

func TestNewestAddress(t *testing.T) {
	t.Parallel()
	data := newTextBuilder().put(0, AddressLen, "北京市朝阳区测试路9号").bytes()[:AddressLen]
	f := EncodeResponse(Response{SW3: 0x90, Data: data})
	if f[5] != 0x00 || f[6] != 0x4A {
		t.Fatalf("LEN % X, want 00 4A", f[5:7])
	}
	r, err := DecodeResponse(f)
	if err != nil {
		t.Fatal(err)
	}
	if addr, err := ParseNewestAddress(r.Data); err != nil || addr != "北京市朝阳区测试路9号" {
		t.Fatalf("address %q, %v", addr, err)
	}
	none, _ := DecodeResponse(EncodeResponse(Response{SW3: 0x91}))
	if !errors.Is(none.Err(), ErrNoContent) {
		t.Fatalf("0x91 = %v, want ErrNoContent", none.Err())
	}
	if _, err := ParseNewestAddress(data[:10]); !errors.Is(err, ErrShortData) {
		t.Fatalf("short address accepted: %v", err)
	}
}
