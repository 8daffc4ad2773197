-- +goose Up
-- PostgreSQL only (its word index's pending list); SQLite's full-text
-- index has none. The version exists here so that both engines count alike.
SELECT 1;

-- +goose Down
SELECT 1;
