package idcard

import (
	"bytes"
	"errors"
	"testing"
)

func TestDecoderResync(t *testing.T) {
	t.Parallel()
	find := mustHex(t, "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
	noCard := mustHex(t, "AA AA AA 96 69 00 04 00 00 80 84")
	full := syntheticFrame(t)
	tests := []struct {
		name   string
		stream [][]byte
		want   [][]byte
		errs   int
	}{
		{"one frame", [][]byte{find}, [][]byte{find}, 0},
		{"garbage prefix", [][]byte{append([]byte{0x00, 0xAA, 0x13, 0xAA, 0xAA}, find...)}, [][]byte{find}, 0},
		{"split byte by byte", splitEvery(full, 1), [][]byte{full}, 0},
		{"split inside preamble", [][]byte{find[:2], find[2:6], find[6:]}, [][]byte{find}, 0},
		{"two frames in one read", [][]byte{append(append([]byte{}, noCard...), find...)}, [][]byte{noCard, find}, 0},
		{"absurd length then frame", [][]byte{mustHex(t, "AA AA AA 96 69 FF FF 00"), find}, [][]byte{find}, 0},
		{"tiny length then frame", [][]byte{mustHex(t, "AA AA AA 96 69 00 01 00"), noCard}, [][]byte{noCard}, 0},
		{"bad checksum then frame", [][]byte{mustHex(t, "AA AA AA 96 69 00 04 00 00 80 85"), find}, [][]byte{find}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := NewResponseDecoder()
			var got [][]byte
			errs := 0
			for _, chunk := range tc.stream {
				d.Feed(chunk)
				for {
					f, err := d.Next()
					if err != nil {
						if !errors.Is(err, ErrChecksum) {
							t.Fatalf("unexpected error %v", err)
						}
						errs++
						continue
					}
					if f == nil {
						break
					}
					got = append(got, f)
				}
			}
			if len(got) != len(tc.want) || errs != tc.errs {
				t.Fatalf("got %d frames %d errors, want %d and %d", len(got), errs, len(tc.want), tc.errs)
			}
			for i := range got {
				if !bytes.Equal(got[i], tc.want[i]) {
					t.Fatalf("frame %d = % X", i, got[i])
				}
			}
		})
	}
}

func TestDecoderBoundsGarbage(t *testing.T) {
	t.Parallel()
	d := NewResponseDecoder()
	junk := bytes.Repeat([]byte{0x55}, 1<<16)
	d.Feed(junk)
	if f, err := d.Next(); f != nil || err != nil {
		t.Fatalf("garbage produced %v %v", f, err)
	}
	if d.Buffered() > len(Preamble) {
		t.Fatalf("decoder kept %d garbage bytes", d.Buffered())
	}
}

func splitEvery(b []byte, n int) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		k := min(n, len(b))
		out = append(out, b[:k])
		b = b[k:]
	}
	return out
}

// FuzzDecode feeds arbitrary bytes through the incremental decoder and every parser: none may
// panic, and every frame the decoder accepts must verify and round-trip.
func FuzzDecode(f *testing.F) {
	f.Add(mustHex(f, "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"))
	f.Add(mustHex(f, "AA AA AA 96 69 00 04 00 00 80 84"))
	f.Add(mustHex(f, "00 AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C"))
	f.Add(mustHex(f, "AA AA AA 96 69 05 08 00 00 90 01 00 04 00"))
	f.Add(mustHex(f, "AA AA AA 96 69 00 09 00 00 90 FF FF FF FF FF 90"))
	f.Add(syntheticFrame(f))
	f.Fuzz(func(t *testing.T, in []byte) {
		d := NewResponseDecoder()
		b := in
		for len(b) > 0 {
			k := min(len(b), 7)
			d.Feed(b[:k])
			b = b[k:]
			for {
				frame, err := d.Next()
				if err != nil {
					continue
				}
				if frame == nil {
					break
				}
				r, err := DecodeResponse(frame)
				if err != nil {
					t.Fatalf("decoder accepted a frame DecodeResponse rejects: %v", err)
				}
				if !bytes.Equal(EncodeResponse(r), frame) {
					t.Fatalf("round trip differs")
				}
				_, _ = ParseBaseRead(r.Data)
				_, _ = ParseFingerprintRead(r.Data)
				_, _ = ParseNewestAddress(r.Data)
				_ = r.Err()
			}
		}
		_, _ = DecodeResponse(in)
		_, _ = ParseText(in)
		_, _ = DecodeCommand(in)
	})
}
