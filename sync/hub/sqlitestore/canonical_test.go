package sqlitestore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"strconv"
	"testing"
	"time"

	"liaison/sync/domain"
)

// The spliced canonical form is byte for byte what canonical gives with the HubSeq set, for
// any text (HTML characters, line separators, invalid UTF-8), time zone, payload and seq.
func TestCanonicalHeadSplicesToCanonical(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(7))
	texts := []string{"", "张三", "<a href=\"x\">&</a>", "line\u2028sep\u2029", "bad\xffutf8", "tab\tnl\n\\"}
	datas := []string{"", "null", `{"a":1}`, `{ "b" : [1, 2, {"c":"<>"}] }`, `"str"`, `12.50`}
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("X", -3*3600-1800)}
	for i := 0; i < 2000; i++ {
		pick := func(s []string) string { return s[rng.Intn(len(s))] }
		ev := domain.Event{ID: fmt.Sprintf("id-%d%s", i, pick(texts)), Device: pick(texts), DevSeq: rng.Int63n(1 << 40),
			Station: pick(texts), Stream: pick(texts), Kind: domain.Kind(pick(texts)),
			At:    time.Unix(rng.Int63n(4e9), rng.Int63n(1e9)).In(zones[rng.Intn(len(zones))]),
			Actor: domain.Actor{Role: domain.Role(pick(texts)), ID: pick(texts), Name: pick(texts)},
			Data:  json.RawMessage(pick(datas))}
		if err := normalize(&ev); err != nil {
			t.Fatal(err)
		}
		head, err := canonicalHead(ev)
		if err != nil {
			t.Fatal(err)
		}
		seq := rng.Int63n(1 << 50)
		ev.HubSeq = seq
		want, err := canonical(ev)
		if err != nil {
			t.Fatal(err)
		}
		if got := spliceCanonical(head, seq); !bytes.Equal(got, want) {
			t.Fatalf("spliced\n%s\nwant\n%s", got, want)
		}
		prev := []byte{byte(i)}
		if got := chainHashHead(prev, head, seq); !bytes.Equal(got, chainHash(prev, want)) {
			t.Fatalf("chain hash of %s differs from the hash of head and seq", want)
		}
	}
}

// spliceCanonical completes a canonicalHead with the event's HubSeq, the bytes chainHashHead
// hashes.
func spliceCanonical(head []byte, seq int64) []byte {
	out := make([]byte, 0, len(head)+21)
	out = strconv.AppendInt(append(out, head...), seq, 10)
	return append(out, '}')
}
