-- +goose Up
-- A person's named transaction searches: the page's query string as typed.
CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX saved_searches_user_name ON saved_searches (user_id, name);

-- +goose Down
DROP TABLE saved_searches;
