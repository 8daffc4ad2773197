// Package procstat reads a process's memory figures from Linux's
// /proc/PID/status, for the scripts that measure a server they started.
package procstat

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// KiB returns the field (VmRSS, VmHWM, …) of process pid's status in KiB,
// or 0 when it cannot be read (the process ended, or not on Linux).
func KiB(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
