package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestImportCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addAdmin(t, dir)
	write := func(name, content string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stations := write("stations.csv", "编码,名称,服务社区\nHX01,测试一站,甲社区、乙社区\n")
	reps := write("reps.csv", "编号,姓名,层级,联系社区,所属联络站,备注\nT-R01,张三,区,甲社区,HX01,x\nT-R02,李四,镇,乙社区,测试一站,\n")
	bad := write("bad.csv", "编号,姓名,层级,所属联络站\nT-R03,王五,区,HX01\nT-R04,,区,HX09\n")
	tmpl := filepath.Join(t.TempDir(), "模板.xlsx")
	steps := []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"import", "station", stations, "--user", "lijie", "--data", dir}, 0, []string{"导入完成：新增 1 条"}},
		{[]string{"import", "representative", reps, "--dry-run", "--data", dir}, 0,
			[]string{"“备注”列不是模板中的列，已忽略", "检查通过，尚未导入：将新增 2 条"}},
		{[]string{"import", "representative", reps, "--user", "lijie", "--data", dir}, 0, []string{"导入完成：新增 2 条，更新 0 条，未变 0 条"}},
		{[]string{"import", "representative", reps, "--user", "lijie", "--data", dir}, 0, []string{"导入完成：新增 0 条，更新 0 条，未变 2 条"}},
		{[]string{"import", "representative", bad, "--user", "lijie", "--data", dir}, 1, []string{
			"第 3 行“姓名”列：“姓名”不能为空", "第 3 行“所属联络站”列：没有“HX09”这个联络站", "有 2 处有误，整个文件没有导入"}},
		{[]string{"import", "badges", reps, "--data", dir}, 1, []string{"不能导入“badges”"}},
		{[]string{"import", "representative", "--data", dir}, 2, nil},
		{[]string{"import", "duty_roster", "--template", tmpl}, 0, []string{"模板已写入"}},
		{[]string{"import", "duty_roster", "--template", tmpl}, 1, nil}, // never overwrites
	}
	for _, st := range steps {
		code, out, errOut := runCmd(t, st.args...)
		if code != st.code {
			t.Fatalf("%v: exit %d, out %q, err %q", st.args, code, out, errOut)
		}
		for _, w := range st.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output %q lacks %q", st.args, out, w)
			}
		}
	}
	f, err := excelize.OpenFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := f.GetCellValue("值班表", "C1"); got != "值班代表" {
		t.Errorf("template C1 = %q", got)
	}
}
