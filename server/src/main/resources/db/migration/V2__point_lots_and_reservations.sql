-- Expiring point lots and two-phase redemption reservations.

-- Every credit of points is a lot; debits consume the oldest lots first. The sum of
-- remaining over a member's lots equals max(available, 0).
CREATE TABLE point_lots (
    lot_id                      BIGSERIAL PRIMARY KEY,
    member_id                   TEXT        NOT NULL REFERENCES members (member_id),
    points                      BIGINT      NOT NULL CHECK (points > 0),
    remaining                   BIGINT      NOT NULL CHECK (remaining >= 0),
    earned_at                   TIMESTAMPTZ NOT NULL,
    expires_at                  TIMESTAMPTZ,
    reference_id                TEXT,
    CHECK (remaining <= points)
);
CREATE INDEX point_lots_open_idx ON point_lots (member_id, earned_at, lot_id) WHERE remaining > 0;
CREATE INDEX point_lots_expiry_idx ON point_lots (expires_at) WHERE remaining > 0;

CREATE TABLE rewards (
    reward_id                   TEXT PRIMARY KEY,
    display_name                TEXT        NOT NULL,
    description                 TEXT        NOT NULL DEFAULT '',
    points_cost                 BIGINT      NOT NULL CHECK (points_cost > 0),
    kind                        TEXT        NOT NULL CHECK (kind IN ('AMOUNT_OFF', 'FREE_ITEM')),
    amount_off_minor            BIGINT      NOT NULL DEFAULT 0 CHECK (amount_off_minor >= 0),
    free_sku                    TEXT,
    state                       TEXT        NOT NULL CHECK (state IN ('ACTIVE', 'RETIRED')),
    version                     BIGINT      NOT NULL DEFAULT 1,
    created_at                  TIMESTAMPTZ NOT NULL,
    updated_at                  TIMESTAMPTZ NOT NULL
);

CREATE TABLE reservations (
    reservation_id              TEXT PRIMARY KEY,
    member_id                   TEXT        NOT NULL REFERENCES members (member_id),
    store_id                    TEXT        NOT NULL,
    terminal_id                 TEXT        NOT NULL,
    channel                     TEXT        NOT NULL,
    state                       TEXT        NOT NULL CHECK (state IN ('HELD', 'CAPTURED', 'RELEASED', 'EXPIRED')),
    points                      BIGINT      NOT NULL CHECK (points > 0),
    reward_id                   TEXT        REFERENCES rewards (reward_id),
    value_minor                 BIGINT      NOT NULL DEFAULT 0,
    free_sku                    TEXT,
    created_at                  TIMESTAMPTZ NOT NULL,
    expires_at                  TIMESTAMPTZ NOT NULL,
    transaction_id              TEXT        REFERENCES transactions (transaction_id),
    pos_transaction_id          TEXT,
    refunded_points             BIGINT      NOT NULL DEFAULT 0 CHECK (refunded_points >= 0)
);
CREATE INDEX reservations_held_idx ON reservations (expires_at) WHERE state = 'HELD';
CREATE INDEX reservations_member_idx ON reservations (member_id);
CREATE INDEX reservations_txn_idx ON reservations (transaction_id);

-- Points taken from lots by a reservation, so a release restores the same lots.
CREATE TABLE reservation_lots (
    reservation_id              TEXT        NOT NULL REFERENCES reservations (reservation_id),
    lot_id                      BIGINT      NOT NULL REFERENCES point_lots (lot_id),
    points                      BIGINT      NOT NULL CHECK (points > 0),
    PRIMARY KEY (reservation_id, lot_id)
);
