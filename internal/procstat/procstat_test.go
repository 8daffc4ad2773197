package procstat

import (
	"os"
	"runtime"
	"testing"
)

func TestKiB(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/PID/status is Linux's")
	}
	// The test process itself: resident, and its peak at least as large.
	rss, peak := KiB(os.Getpid(), "VmRSS"), KiB(os.Getpid(), "VmHWM")
	if rss <= 0 || peak < rss {
		t.Fatalf("VmRSS %d KiB, VmHWM %d KiB", rss, peak)
	}
	if n := KiB(os.Getpid(), "NoSuchField"); n != 0 {
		t.Fatalf("unknown field: %d", n)
	}
	if n := KiB(-1, "VmRSS"); n != 0 {
		t.Fatalf("no such process: %d", n)
	}
}
