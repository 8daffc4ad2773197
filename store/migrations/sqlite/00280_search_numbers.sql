-- +goose Up
-- The search text keeps the first four digits of a word made of more digits
-- alone, and the whole numbers go to search_numbers (store/search_words.go,
-- issue 13): such a number (a reference, an operation number) is nearly
-- always one row's alone, and each distinct word is a term FTS4 hashes,
-- sorts, writes and merges again and again as the index grows, which cost
-- more than the other words of a row together. The index then holds "1234"
-- for "1234567"; a search for a longer number reads the rows holding a word
-- starting with its first four digits and keeps those whose search_numbers
-- holds it (store/search.go). Rows stored before keep their whole text and
-- NULL; the same query finds them. Adding a nullable column rewrites
-- nothing, and the index is left as it is.
ALTER TABLE transactions ADD COLUMN search_numbers TEXT;

-- +goose Down
ALTER TABLE transactions DROP COLUMN search_numbers;
