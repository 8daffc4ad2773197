package lru

import "testing"

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
