package serialport

import (
	"os"
	"path/filepath"
	"sort"
)

// ListPorts returns candidate serial ports: the stable /dev/serial/by-id links first, then
// ttyUSB*, ttyACM* and those ttyS* that have a driver behind them. A tty already reachable
// through a by-id link is not listed twice.
func ListPorts() []string {
	return listPorts("/dev", "/sys/class/tty")
}

func listPorts(devDir, sysDir string) []string {
	var out []string
	seen := map[string]bool{}

	byID, _ := filepath.Glob(filepath.Join(devDir, "serial", "by-id", "*"))
	sort.Strings(byID)
	for _, link := range byID {
		out = append(out, link)
		if target, err := filepath.EvalSymlinks(link); err == nil {
			seen[filepath.Base(target)] = true
		}
	}

	for _, pattern := range []string{"ttyUSB*", "ttyACM*", "ttyS*"} {
		matches, _ := filepath.Glob(filepath.Join(devDir, pattern))
		sort.Strings(matches)
		for _, m := range matches {
			name := filepath.Base(m)
			if seen[name] {
				continue
			}
			// Most PCs expose 4 to 32 ttyS nodes whatever hardware exists; only those with a
			// device link in sysfs are backed by a UART.
			if pattern == "ttyS*" {
				if _, err := os.Stat(filepath.Join(sysDir, name, "device")); err != nil {
					continue
				}
			}
			out = append(out, m)
		}
	}
	return out
}
