-- Core schema: program rules, members and their identifiers, the append-only points
-- ledger with its materialised balance, committed sales, returns, idempotency records,
-- the audit trail and the event outbox.

CREATE TABLE program (
    program_id                  TEXT PRIMARY KEY,
    display_name                TEXT        NOT NULL,
    currency_code               CHAR(3)     NOT NULL,
    -- Earning rate: points_per_unit points for every unit_minor minor units of eligible spend.
    points_per_unit             BIGINT      NOT NULL CHECK (points_per_unit >= 0),
    unit_minor                  BIGINT      NOT NULL CHECK (unit_minor > 0),
    welcome_bonus_points        BIGINT      NOT NULL DEFAULT 0 CHECK (welcome_bonus_points >= 0),
    birthday_bonus_points       BIGINT      NOT NULL DEFAULT 0 CHECK (birthday_bonus_points >= 0),
    referral_bonus_points       BIGINT      NOT NULL DEFAULT 0 CHECK (referral_bonus_points >= 0),
    points_expiry_months        INT         NOT NULL DEFAULT 0 CHECK (points_expiry_months >= 0),
    allow_negative_balance      BOOLEAN     NOT NULL DEFAULT FALSE,
    reservation_ttl_seconds     INT         NOT NULL DEFAULT 900 CHECK (reservation_ttl_seconds > 0),
    max_basket_lines            INT         NOT NULL DEFAULT 500 CHECK (max_basket_lines > 0),
    kiosk_approval_threshold    BIGINT      NOT NULL DEFAULT 0,
    tender_points_per_unit      BIGINT      NOT NULL DEFAULT 100 CHECK (tender_points_per_unit > 0),
    tender_unit_minor           BIGINT      NOT NULL DEFAULT 100 CHECK (tender_unit_minor > 0),
    tender_min_points           BIGINT      NOT NULL DEFAULT 0 CHECK (tender_min_points >= 0),
    tender_max_share_bp         INT         NOT NULL DEFAULT 10000 CHECK (tender_max_share_bp BETWEEN 0 AND 10000),
    backdate_window_seconds     BIGINT      NOT NULL DEFAULT 604800 CHECK (backdate_window_seconds >= 0),
    version                     BIGINT      NOT NULL DEFAULT 1,
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE tiers (
    tier_id                     TEXT PRIMARY KEY,
    display_name                TEXT        NOT NULL,
    rank                        INT         NOT NULL UNIQUE CHECK (rank >= 0),
    qualifying_spend_minor      BIGINT      NOT NULL CHECK (qualifying_spend_minor >= 0),
    multiplier_bp               INT         NOT NULL DEFAULT 10000 CHECK (multiplier_bp >= 10000)
);

CREATE TABLE earning_rules (
    rule_id                     TEXT PRIMARY KEY,
    kind                        TEXT        NOT NULL CHECK (kind IN ('CATEGORY_MULTIPLIER', 'SKU_MULTIPLIER', 'EXCLUDED_CATEGORY', 'EXCLUDED_SKU')),
    match_value                 TEXT        NOT NULL,
    multiplier_bp               INT         NOT NULL DEFAULT 10000 CHECK (multiplier_bp >= 10000),
    display_name                TEXT        NOT NULL DEFAULT '',
    start_time                  TIMESTAMPTZ,
    end_time                    TIMESTAMPTZ,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE members (
    member_id                   TEXT PRIMARY KEY,
    status                      TEXT        NOT NULL CHECK (status IN ('ACTIVE', 'BLOCKED', 'ERASED', 'MERGED')),
    given_name                  TEXT,
    family_name                 TEXT,
    phone_e164                  TEXT,
    email                       TEXT,
    birth_year                  INT,
    birth_month                 INT,
    birth_day                   INT,
    marketing_consent           BOOLEAN     NOT NULL DEFAULT FALSE,
    consent_time                TIMESTAMPTZ,
    tier_id                     TEXT        NOT NULL REFERENCES tiers (tier_id),
    referrer_member_id          TEXT        REFERENCES members (member_id),
    referral_bonus_paid         BOOLEAN     NOT NULL DEFAULT FALSE,
    last_birthday_bonus_year    INT,
    enrolled_store_id           TEXT,
    enrolled_channel            TEXT,
    merged_into                 TEXT        REFERENCES members (member_id),
    created_at                  TIMESTAMPTZ NOT NULL,
    updated_at                  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX members_phone_uq ON members (phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE UNIQUE INDEX members_email_uq ON members (email) WHERE email IS NOT NULL;

CREATE TABLE cards (
    card_number                 TEXT PRIMARY KEY,
    member_id                   TEXT        NOT NULL REFERENCES members (member_id),
    state                       TEXT        NOT NULL CHECK (state IN ('ACTIVE', 'BLOCKED', 'REPLACED')),
    issued_at                   TIMESTAMPTZ NOT NULL
);
CREATE INDEX cards_member_idx ON cards (member_id);

-- available + held always equals the sum of the member's ledger entries (DESIGN §4.1).
-- version increases with every change; the cache uses it to refuse older writes.
CREATE TABLE balances (
    member_id                   TEXT PRIMARY KEY REFERENCES members (member_id),
    available                   BIGINT      NOT NULL,
    held                        BIGINT      NOT NULL CHECK (held >= 0),
    version                     BIGINT      NOT NULL DEFAULT 0,
    updated_at                  TIMESTAMPTZ NOT NULL
);

-- Append-only: rows are only ever inserted.
CREATE TABLE ledger_entries (
    entry_id                    BIGSERIAL PRIMARY KEY,
    member_id                   TEXT        NOT NULL REFERENCES members (member_id),
    entry_type                  TEXT        NOT NULL,
    points                      BIGINT      NOT NULL,
    balance_after               BIGINT      NOT NULL,
    created_at                  TIMESTAMPTZ NOT NULL,
    occurred_at                 TIMESTAMPTZ NOT NULL,
    store_id                    TEXT,
    terminal_id                 TEXT,
    channel                     TEXT,
    operator_id                 TEXT,
    reference_id                TEXT,
    description                 TEXT        NOT NULL,
    actor                       TEXT        NOT NULL
);
CREATE INDEX ledger_member_idx ON ledger_entries (member_id, entry_id);

-- Qualifying spend for tiers: purchases positive, returns negative.
CREATE TABLE spend_events (
    member_id                   TEXT        NOT NULL REFERENCES members (member_id),
    occurred_at                 TIMESTAMPTZ NOT NULL,
    amount_minor                BIGINT      NOT NULL,
    reference_id                TEXT        NOT NULL
);
CREATE INDEX spend_member_time_idx ON spend_events (member_id, occurred_at);

-- One row per committed sale; the unique key makes a commit happen at most once.
CREATE TABLE transactions (
    transaction_id              TEXT PRIMARY KEY,
    store_id                    TEXT        NOT NULL,
    terminal_id                 TEXT        NOT NULL,
    pos_transaction_id          TEXT        NOT NULL,
    member_id                   TEXT        NOT NULL REFERENCES members (member_id),
    request_hash                BYTEA       NOT NULL,
    receipt                     BYTEA       NOT NULL,
    occurred_at                 TIMESTAMPTZ NOT NULL,
    committed_at                TIMESTAMPTZ NOT NULL,
    eligible_minor              BIGINT      NOT NULL,
    basket_bonus_points         BIGINT      NOT NULL,
    basket_bonus_reversed       BIGINT      NOT NULL DEFAULT 0,
    status                      TEXT        NOT NULL CHECK (status IN ('COMMITTED', 'VOIDED')),
    void_receipt                BYTEA,
    UNIQUE (store_id, terminal_id, pos_transaction_id)
);
CREATE INDEX transactions_member_idx ON transactions (member_id, occurred_at);

CREATE TABLE transaction_lines (
    transaction_id              TEXT        NOT NULL REFERENCES transactions (transaction_id),
    line_no                     INT         NOT NULL,
    line_id                     TEXT        NOT NULL,
    sku                         TEXT        NOT NULL,
    quantity                    BIGINT      NOT NULL CHECK (quantity > 0),
    -- Spend after the POS's discounts, and the part of it that earns (and qualifies).
    net_minor                   BIGINT      NOT NULL,
    eligible_minor              BIGINT      NOT NULL,
    points                      BIGINT      NOT NULL,
    returned_quantity           BIGINT      NOT NULL DEFAULT 0,
    reversed_points             BIGINT      NOT NULL DEFAULT 0,
    CHECK (returned_quantity BETWEEN 0 AND quantity),
    CHECK (reversed_points BETWEEN 0 AND points),
    PRIMARY KEY (transaction_id, line_id)
);

CREATE TABLE returns (
    return_id                   TEXT PRIMARY KEY,
    transaction_id              TEXT        NOT NULL REFERENCES transactions (transaction_id),
    request_hash                BYTEA       NOT NULL,
    receipt                     BYTEA       NOT NULL,
    created_at                  TIMESTAMPTZ NOT NULL
);

-- Results of idempotent calls that are not keyed by a business id (enrolment,
-- reservations, adjustments): a retry with the same key returns the stored response.
CREATE TABLE idempotency_records (
    scope                       TEXT        NOT NULL,
    request_id                  TEXT        NOT NULL,
    request_hash                BYTEA       NOT NULL,
    response                    BYTEA       NOT NULL,
    created_at                  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, request_id)
);

-- Who changed what, when and why (DESIGN §4.5). Personal data changes are recorded
-- here; point changes are also fully described by their ledger entries.
CREATE TABLE audit_log (
    audit_id                    BIGSERIAL PRIMARY KEY,
    member_id                   TEXT,
    action                      TEXT        NOT NULL,
    actor                       TEXT        NOT NULL,
    detail                      TEXT        NOT NULL,
    created_at                  TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_member_idx ON audit_log (member_id, audit_id);

-- Transactional outbox for EventService.StreamEvents: written in the same database
-- transaction as the change it describes.
CREATE TABLE outbox_events (
    event_id                    BIGSERIAL PRIMARY KEY,
    event_type                  TEXT        NOT NULL,
    member_id                   TEXT,
    store_id                    TEXT,
    payload                     BYTEA       NOT NULL,
    created_at                  TIMESTAMPTZ NOT NULL
);

-- Every installation has one program from the start; operators change its rules through
-- ProgramAdminService (or SQL until that lands). 1 point per 1.00 spent, one tier.
INSERT INTO program (program_id, display_name, currency_code, points_per_unit, unit_minor)
VALUES ('default', 'Loyalty', 'EUR', 1, 100);
INSERT INTO tiers (tier_id, display_name, rank, qualifying_spend_minor, multiplier_bp)
VALUES ('member', 'Member', 0, 0, 10000);
