package notify_test

import (
	"context"
	"fmt"
	"testing"

	"liaison/sync/hub/notify"
	"liaison/sync/hub/store"
)

// BenchmarkFollowLog is the planner's cost of one new case with three channels that take it:
// reading the log after the cursor, the case and its names, and the notices and the cursor
// written in one transaction. It runs apart from ingest, so this is work after the commit.
func BenchmarkFollowLog(b *testing.B) {
	h := newHub(b)
	for i := range 3 {
		h.channel(store.NotifyChannel{Name: fmt.Sprintf("群%d", i), Kind: store.ChannelWeCom, Enabled: true,
			URL: "https://qyapi.example.cn/cgi-bin/webhook/send?key=k", Notices: []string{store.NoticeNewCase}})
	}
	n := notify.New(notify.Config{}, h.st, nil)
	ctx := context.Background()
	if _, err := n.FollowLog(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		h.submit("长青社区", "路灯不亮")
		b.StartTimer()
		if added, err := n.FollowLog(ctx); err != nil || added != 3 {
			b.Fatalf("added %d (%v)", added, err)
		}
	}
}
