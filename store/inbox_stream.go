package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
)

// streamBodyBytes: by default, a claimed body larger than this comes as a BodyFile,
// read as it is processed instead of whole into memory (issue 15, item 5).
// Below it, the body is read whole, as before: streaming reads it twice
// and costs a reading connection and its cache, which on a 6.4 MB body
// grew the peak RSS by more (25 MiB against 15) than the body it saves.
const streamBodyBytes = 16 << 20

// storedBody reads an event's body from its chunks in the inbox as it is
// asked for, holding one chunk in memory. Reads are expected in order, as
// a streaming decoder makes them, with a few jumps back (a second pass,
// an account's array read again): a jump back restarts the query at the
// chunk that holds the offset.
type storedBody struct {
	s       *Store
	eventID int64
	size    int64

	mu       sync.Mutex
	conn     *sql.Conn
	restore  func()
	rows     *sql.Rows
	chunk    []byte  // the chunk last read, copied out of the driver
	chunkOff int64   // its offset in the body
	next     int64   // the offset of the chunk rows returns next
	nextSeq  int64   // and its seq
	starts   []int64 // offsets of the chunks seen, by seq
	closed   bool
}

func (b *storedBody) ReadAt(p []byte, off int64) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, errors.New("read a closed body")
	}
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		if pos >= b.size {
			return n, io.EOF
		}
		if pos < b.chunkOff || pos >= b.chunkOff+int64(len(b.chunk)) {
			if err := b.seek(pos); err != nil {
				return n, fmt.Errorf("read body of event %d: %w", b.eventID, err)
			}
		}
		n += copy(p[n:], b.chunk[pos-b.chunkOff:])
	}
	return n, nil
}

// seek makes the current chunk the one holding pos.
func (b *storedBody) seek(pos int64) error {
	ctx := context.Background()
	if b.rows != nil && pos < b.next-int64(len(b.chunk)) {
		b.rows.Close() // behind: start again
		b.rows = nil
	}
	if b.rows == nil {
		if b.conn == nil {
			conn, err := b.s.rdb.Conn(ctx)
			if err != nil {
				return err
			}
			b.conn = conn
			if b.s.engine == SQLite {
				if b.restore, err = smallPageCache(ctx, conn); err != nil {
					return err
				}
			}
		}
		// From the last chunk known to start at or before pos.
		seq := sort.Search(len(b.starts), func(i int) bool { return b.starts[i] > pos }) - 1
		seq = max(seq, 0)
		var err error
		b.rows, err = b.conn.QueryContext(ctx, `SELECT body FROM webhook_event_bodies WHERE event_id = $1 AND seq >= $2 ORDER BY seq`,
			b.eventID, seq)
		if err != nil {
			return err
		}
		b.nextSeq, b.next, b.chunk, b.chunkOff = int64(seq), 0, b.chunk[:0], 0
		if seq < len(b.starts) {
			b.next = b.starts[seq]
		}
	}
	for {
		if !b.rows.Next() {
			if err := b.rows.Err(); err != nil {
				return err
			}
			return fmt.Errorf("the body ends at byte %d, not %d", b.next, b.size)
		}
		var raw sql.RawBytes
		if err := b.rows.Scan(&raw); err != nil {
			return err
		}
		b.chunk, b.chunkOff = append(b.chunk[:0], raw...), b.next
		if b.nextSeq == int64(len(b.starts)) {
			b.starts = append(b.starts, b.chunkOff)
		}
		b.nextSeq++
		b.next += int64(len(b.chunk))
		if pos < b.next {
			return nil
		}
	}
}

func (b *storedBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	if b.rows != nil {
		b.rows.Close()
	}
	if b.restore != nil {
		b.restore()
	}
	if b.conn != nil {
		b.conn.Close()
	}
	b.chunk = nil
	return nil
}
