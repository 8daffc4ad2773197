-- +goose Up
-- The word index (00240) is a GIN index, whose "fast update" (on by
-- default) appends a new row's words to a pending list, and moves the list
-- into the index proper when it passes gin_pending_list_limit (4 MB by
-- default), inside whichever insert passes it, or when (auto)vacuum runs.
-- An event of 50,000 transactions fills about 6 MB, so the event's own
-- transaction paid that merge, on the one backend the event waits for:
-- about 1 µs of the server's CPU per transaction, most of what the text
-- index cost an event (issue 13). With 16 MB, an event of up to about
-- 120,000 transactions leaves the merge to the store, which asks for it
-- (gin_clean_pending_list) on another connection right after the event
-- commits (store/search_pending.go): it runs on the server's other core,
-- beside the next event. A search reads the pending list too, so it finds
-- new rows at once; it reads more pages until the merge is done (psql: 3 ms
-- more for 50,000 pending rows).
ALTER INDEX transactions_search_words SET (gin_pending_list_limit = 16384);

-- +goose Down
ALTER INDEX transactions_search_words RESET (gin_pending_list_limit);
