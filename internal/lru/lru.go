// Package lru is a map bounded in memory that forgets its least recently
// used entries first: the web layer keeps the data of pages it served
// there (the dashboard's, the net worth's), under versions the store gives.
package lru

import (
	"container/list"
	"sync"
)

// Cache holds values up to Budget, in the sizes their Put gave (bytes, as
// the caller estimates them), dropping the least recently used beyond it.
// A value larger than the whole budget is not kept. Safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu     sync.Mutex
	budget int
	size   int
	order  list.List // of *entry[K, V], most recently used first
	byKey  map[K]*list.Element
	// filling holds a lock per key being filled by GetOrFill, with the
	// number of calls holding or waiting for it.
	filling map[K]*fillLock
}

type fillLock struct {
	mu sync.Mutex
	n  int
}

type entry[K comparable, V any] struct {
	key  K
	val  V
	size int
}

// New returns an empty cache of budget.
func New[K comparable, V any](budget int) *Cache[K, V] {
	return &Cache[K, V]{budget: budget, byKey: map[K]*list.Element{}, filling: map[K]*fillLock{}}
}

// Get returns the value under k and marks it used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[K, V]).val, true
}

// Put files v under k (replacing what was there), then drops the least
// recently used entries until the cache is within its budget.
func (c *Cache[K, V]) Put(k K, v V, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[k]; ok {
		c.remove(el)
	}
	if size > c.budget {
		return
	}
	c.byKey[k] = c.order.PushFront(&entry[K, V]{key: k, val: v, size: size})
	c.size += size
	for c.size > c.budget {
		c.remove(c.order.Back())
	}
}

// GetOrFill returns the value under k when current accepts it; else it
// calls fill, files the value it returns (with its size) and returns it.
// Calls for one key that find no current value wait for each other, so
// that the requests arriving together after a change compute it once.
func (c *Cache[K, V]) GetOrFill(k K, current func(V) bool, fill func() (V, int, error)) (V, error) {
	if v, ok := c.Get(k); ok && current(v) {
		return v, nil
	}
	c.mu.Lock()
	l := c.filling[k]
	if l == nil {
		l = &fillLock{}
		c.filling[k] = l
	}
	l.n++
	c.mu.Unlock()
	l.mu.Lock()
	defer func() {
		l.mu.Unlock()
		c.mu.Lock()
		if l.n--; l.n == 0 {
			delete(c.filling, k)
		}
		c.mu.Unlock()
	}()
	if v, ok := c.Get(k); ok && current(v) {
		return v, nil // filled while this call waited
	}
	v, size, err := fill()
	if err != nil {
		return v, err
	}
	c.Put(k, v, size)
	return v, nil
}

// Len returns the number of entries and their total size.
func (c *Cache[K, V]) Len() (n, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byKey), c.size
}

func (c *Cache[K, V]) remove(el *list.Element) {
	e := c.order.Remove(el).(*entry[K, V])
	delete(c.byKey, e.key)
	c.size -= e.size
}
