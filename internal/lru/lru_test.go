package lru

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

func TestCache(t *testing.T) {
	c := New[string, int](10)
	c.Put("a", 1, 4)
	c.Put("b", 2, 4)
	if v, ok := c.Get("a"); !ok || v != 1 { // a is now the most recently used
		t.Fatalf("Get(a)=%d,%v, want 1,true", v, ok)
	}
	c.Put("c", 3, 4) // 12 > 10: b, the least recently used, goes
	if _, ok := c.Get("b"); ok {
		t.Fatal("b kept beyond the budget")
	}
	for k, want := range map[string]int{"a": 1, "c": 3} {
		if v, ok := c.Get(k); !ok || v != want {
			t.Fatalf("Get(%s)=%d,%v, want %d,true", k, v, ok, want)
		}
	}
	if n, size := c.Len(); n != 2 || size != 8 {
		t.Fatalf("Len=%d,%d, want 2,8", n, size)
	}
	c.Put("a", 10, 2) // replaced, not added
	if n, size := c.Len(); n != 2 || size != 6 {
		t.Fatalf("after replacing: Len=%d,%d, want 2,6", n, size)
	}
	if v, _ := c.Get("a"); v != 10 {
		t.Fatalf("Get(a)=%d, want 10", v)
	}
	c.Put("big", 4, 11) // larger than the budget: not kept, nothing dropped
	if _, ok := c.Get("big"); ok {
		t.Fatal("a value over the whole budget was kept")
	}
	if n, size := c.Len(); n != 2 || size != 6 {
		t.Fatalf("after an oversized Put: Len=%d,%d, want 2,6", n, size)
	}
	c.Put("d", 5, 10) // fills the budget alone: everything else goes
	if n, size := c.Len(); n != 1 || size != 10 {
		t.Fatalf("Len=%d,%d, want 1,10", n, size)
	}
}

// TestCache_GetOrFill: calls that find no current value for a key while
// another fills it wait and take its value; a stale value is filled again;
// an error files nothing.
func TestCache_GetOrFill(t *testing.T) {
	c := New[string, int](100)
	var fills atomic.Int32
	release := make(chan struct{})
	fill := func() (int, int, error) {
		fills.Add(1)
		<-release
		return 7, 1, nil
	}
	const calls = 8
	var wg sync.WaitGroup
	got := make([]int, calls)
	for i := range calls {
		wg.Go(func() {
			v, err := c.GetOrFill("k", func(int) bool { return true }, fill)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	// Wait until every call holds or waits for the key's lock, then let
	// the one filling finish.
	for {
		c.mu.Lock()
		n := 0
		if l := c.filling["k"]; l != nil {
			n = l.n
		}
		c.mu.Unlock()
		if n == calls {
			break
		}
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if n := fills.Load(); n != 1 {
		t.Fatalf("%d fills for %d concurrent calls, want 1", n, calls)
	}
	for i, v := range got {
		if v != 7 {
			t.Fatalf("call %d got %d, want 7", i, v)
		}
	}
	if len(c.filling) != 0 {
		t.Fatalf("%d key locks left", len(c.filling))
	}
	// Not current any more: filled again.
	v, err := c.GetOrFill("k", func(v int) bool { return v != 7 }, func() (int, int, error) { return 8, 1, nil })
	if err != nil || v != 8 {
		t.Fatalf("stale value: got %d, %v, want 8", v, err)
	}
	// A failed fill files nothing.
	boom := errors.New("boom")
	if _, err := c.GetOrFill("e", func(int) bool { return true }, func() (int, int, error) { return 0, 1, boom }); err != boom {
		t.Fatalf("err=%v, want boom", err)
	}
	if _, ok := c.Get("e"); ok {
		t.Fatal("a failed fill was filed")
	}
}
