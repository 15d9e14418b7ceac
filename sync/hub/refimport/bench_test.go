package refimport

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// bigRoll is a roll of n made-up representatives of the test street's two stations.
func bigRoll(n int) [][]string {
	rows := [][]string{{"编号", "姓名", "性别", "层级", "选区", "联系社区", "职务单位", "所属联络站"}}
	for i := range n {
		st, c := "HX01", "幸福里社区、长青社区"
		if i%2 == 1 {
			st, c = "HX02", "明月社区"
		}
		rows = append(rows, []string{fmt.Sprintf("%s-R%04d", st, i), "代表" + itoa(i), "男", "区",
			"第" + itoa(i%9+1) + "选区", c, "示范单位职工", st})
	}
	return rows
}

// BenchmarkImport measures a file of MaxRows representatives: read and checked (dry), and
// recorded into an empty store (write).
func BenchmarkImport(b *testing.B) {
	rows := bigRoll(MaxRows)
	files := map[string][]byte{"csv": []byte(csvText(rows)), "xlsx": xlsx(b, anyRows(rows))}
	for _, name := range []string{"csv", "xlsx"} {
		file := files[name]
		b.Run(name+"/dry", func(b *testing.B) {
			st := openStore(b)
			street(b, st)
			b.SetBytes(int64(len(file)))
			for b.Loop() {
				rep, err := New(st, nil).Run(context.Background(), Representatives, bytes.NewReader(file), true, admin)
				if err != nil || rep.Refused() || rep.Created != MaxRows {
					b.Fatalf("%v %v", err, rep.Problems)
				}
			}
		})
		b.Run(name+"/write", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				st := openStore(b)
				street(b, st)
				b.StartTimer()
				rep, err := New(st, nil).Run(context.Background(), Representatives, bytes.NewReader(file), false, admin)
				if err != nil || !rep.Written || rep.Created != MaxRows {
					b.Fatalf("%v %v", err, rep.Problems)
				}
				b.StopTimer()
				st.Close()
				b.StartTimer()
			}
		})
	}
}
