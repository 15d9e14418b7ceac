package protocol

import "testing"

func TestParsePairQR(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in         string
		hub, code  string
		wantFailed bool
	}{
		{in: "liaison-pair:v1?hub=http://hub.example:8480&code=SZST-QZUF", hub: "http://hub.example:8480", code: "SZST-QZUF"},
		{in: " liaison-pair:v1?code=ABCDEFGH&hub=https%3A%2F%2Fhub.example%2F \n", hub: "https://hub.example", code: "ABCDEFGH"},
		{in: "liaison-pair:v2?hub=http://h&code=A", wantFailed: true},
		{in: "liaison-pair:v1?hub=http://h", wantFailed: true},
		{in: "liaison-pair:v1?hub=javascript:alert(1)&code=A", wantFailed: true},
		{in: "liaison-pair:v1?hub=%zz&code=A", wantFailed: true},
		{in: "SZST-QZUF", wantFailed: true},
	} {
		hub, code, err := ParsePairQR(tc.in)
		if (err != nil) != tc.wantFailed || hub != tc.hub || code != tc.code {
			t.Errorf("ParsePairQR(%q) = %q, %q, %v", tc.in, hub, code, err)
		}
	}
}

// What the hub writes into a pairing QR, the station reads back unchanged, whatever the
// hub's address holds (a path, a port, characters that need escaping).
func TestPairQRRoundTrip(t *testing.T) {
	t.Parallel()
	for _, hub := range []string{"http://10.0.0.5:8480", "https://hub.example.org/liaison/", "https://hub.example.org/a&b=c?d"} {
		text := PairQR(hub, "ABCD2345")
		if got := text[:len(PairQRPrefix)+4]; got != PairQRPrefix+"hub=" {
			t.Errorf("PairQR(%q) = %q: want the hub first", hub, text)
		}
		gotHub, gotCode, err := ParsePairQR(text)
		want := hub
		if want[len(want)-1] == '/' {
			want = want[:len(want)-1]
		}
		if err != nil || gotHub != want || gotCode != "ABCD2345" {
			t.Errorf("ParsePairQR(PairQR(%q)) = %q, %q, %v", hub, gotHub, gotCode, err)
		}
	}
}
