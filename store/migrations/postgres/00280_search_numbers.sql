-- +goose Up
-- The search text keeps the first four digits of a word made of more digits
-- alone, and the whole numbers go to search_numbers (store/search_words.go,
-- issue 13), as on SQLite, where the full-text index indexes the search text
-- itself. The word index already cut numbers (00240); the search text and
-- its column of numbers are the same on both engines, so an archive or a
-- copy moves them as they are. A search for a longer number keeps the rows
-- whose text or search_numbers holds it (store/search.go). Rows stored before
-- keep their whole text and NULL; the same query finds them. Adding a
-- nullable column without a default rewrites nothing.
ALTER TABLE transactions ADD COLUMN search_numbers TEXT;

-- +goose Down
ALTER TABLE transactions DROP COLUMN search_numbers;
