package store

/*
// Declared here rather than included: the SQLite these call is the one
// mattn/go-sqlite3 compiles into the binary, whose header is not on this
// package's include path. Both are part of SQLite's stable interface.
extern int sqlite3_config(int, ...);
extern long long sqlite3_memory_used(void);

// 9 is SQLITE_CONFIG_MEMSTATUS (a variadic call cgo cannot make itself).
static int freenahi_sqlite_memstatus_off(void) { return sqlite3_config(9, 0); }
*/
import "C"

// SQLite counts every allocation and free in process-wide statistics
// unless told otherwise (SQLITE_DEFAULT_MEMSTATUS is 1, and mattn does not
// change it), taking a global mutex around each: perf over an ingest of
// 50,000 transactions put pthread_mutex_lock and unlock at about 10 % of
// the process's CPU, mostly under sqlite3Malloc and sqlite3_free, and
// the full-text index, which allocates per word, made it worse. freenahi
// reads none of those statistics (nor sets a soft heap limit, which needs
// them), so they are turned off, as SQLite's own list of recommended
// compile-time options does. sqlite3_config only works before SQLite
// initialises, which its first connection does: hence init, which runs
// before any code of this package or of its importers opens one.
// sqliteMemstatusOff is sqlite3_config's answer, SQLITE_OK (0) when done.
var sqliteMemstatusOff = int(C.freenahi_sqlite_memstatus_off())

// sqliteMemoryUsed is sqlite3_memory_used(): the bytes SQLite holds, as far
// as its statistics know; 0 while they are off.
func sqliteMemoryUsed() int64 { return int64(C.sqlite3_memory_used()) }
