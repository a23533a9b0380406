-- Secrets an installation generates for itself and every instance shares, e.g. the key of
-- the hash under which member identifiers (phone, e-mail, card) are kept in Redis. A row is
-- written once, by whichever instance needs it first (INSERT ... ON CONFLICT DO NOTHING),
-- from the server's secure random source; nothing here is ever sent to a caller.
CREATE TABLE server_secrets (
    name                        TEXT PRIMARY KEY,
    secret                      BYTEA       NOT NULL CHECK (length(secret) >= 32),
    created_at                  TIMESTAMPTZ NOT NULL
);
