-- +goose Up
-- What a person owns or owes outside the banks Powens reaches: cash, a
-- property, a vehicle, crypto, an account at another bank, a private loan.
-- Its value is what the person says it is, on the days they say it.
CREATE TABLE assets (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    chosen_group      TEXT NOT NULL DEFAULT '',
    institution       TEXT NOT NULL DEFAULT '',
    currency          TEXT NOT NULL,
    currency_exponent INTEGER NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX assets_user ON assets (user_id, id);

-- One value per asset and day, in minor units of the asset's currency, as
-- entered (a liability's amount owed is positive; net worth subtracts it).
CREATE TABLE asset_values (
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    asset_id    BIGINT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    day         INTEGER NOT NULL,
    value_minor BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (asset_id, day)
);
CREATE INDEX asset_values_user ON asset_values (user_id, asset_id, day);

-- +goose Down
DROP TABLE asset_values;
DROP TABLE assets;
