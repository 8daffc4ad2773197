-- +goose Up
-- Room on each page of the monthly report sums (migration 00110) for the
-- next version of its rows. Ingest adds to the same keys over and over:
-- each batch of an event, for every month it covers, updates the key of
-- each category and payee it holds. Full pages (fillfactor 100) made every
-- such update a new index entry too, and the index soon needed its dead
-- entries cleared while inserting; with room left on the page the update
-- stays on it (a HOT update, no index entry). Categorised transactions
-- (issue 13) hold about ten keys a month where uncategorised ones hold
-- one, so they paid most of it: the sums of 50,000 categorised
-- transactions, as ingest writes them (ten batches of 5,000), took 840 ms
-- of server CPU, 740 ms with this; uncategorised ones 430 and 410 ms.
-- Only pages written from now on leave the room; the tables are small.
ALTER TABLE report_flows SET (fillfactor = 70);
ALTER TABLE report_parts SET (fillfactor = 70);

-- +goose Down
ALTER TABLE report_parts RESET (fillfactor);
ALTER TABLE report_flows RESET (fillfactor);
