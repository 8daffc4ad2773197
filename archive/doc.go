// Package archive reads and writes freenahi archives: every row of every
// table of a database, streamed, compressed, in a format that does not depend
// on the engine it came from, so that a SQLite database restores into
// PostgreSQL and back. It knows nothing of freenahi's tables; the store
// decides what goes in.
//
// # Format, version 1
//
// An archive is one gzip member (RFC 1952). Its decompressed bytes are:
//
//	magic     the 17 bytes "FREENAHI-ARCHIVE\n"
//	version   uvarint, 1
//	header    block: a JSON object (see Header)
//	tables    zero or more of:
//	            'T' block: a JSON object {"name": …, "columns": [{"name": …, "type": …}, …]}
//	            rows: zero or more of 'R' followed by one value per column
//	            'E' uvarint: the number of rows of the table, checked on reading
//	trailer   'Z' block: a JSON object (see Trailer)
//
// and nothing after. A block is a uvarint length then that many bytes. A
// uvarint is encoding/binary's unsigned varint (LEB128); a varint is its
// zig-zag signed form. Each value starts with a tag byte:
//
//	0  NULL
//	1  integer: varint (64-bit signed)
//	2  text: uvarint length, then the UTF-8 bytes (kept as they are, even if not valid UTF-8)
//	3  bytes: uvarint length, then the bytes
//	4  false
//	5  true
//	6  float: 8 bytes, IEEE 754 binary64, big-endian
//
// A value carries its own tag, so that a SQLite value that does not match its
// column's declared type survives; a column's type ("int", "text", "bytes",
// "bool", "float") tells the reader what the source engine declared.
//
// An archive that ends early, whose CRC-32 does not match, whose counts
// disagree or that breaks any rule above is refused with an error wrapping
// ErrCorrupt. Lengths are bounded (MaxBlock, MaxValue) so a hostile file
// cannot make the reader allocate more than the data it actually holds.
package archive
