package procstat

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
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

func TestCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/PID/stat is Linux's")
	}
	// The oracle is getrusage(2), the kernel's other account of the same
	// times: it counts in microseconds where /proc counts in ticks.
	spin := time.Now()
	for time.Since(spin) < 50*time.Millisecond {
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	got := CPU(os.Getpid())
	want := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	// /proc rounds down to a tick, and the test goes on using CPU between
	// the two readings: allow two ticks below and 100 ms above.
	if got < want-20*time.Millisecond || got > want+100*time.Millisecond {
		t.Fatalf("CPU = %v, getrusage says %v", got, want)
	}
	if n := CPU(-1); n != 0 {
		t.Fatalf("no such process: %v", n)
	}
}
