-- API keys for terminals and back-office systems. Only a SHA-256 hash of the secret is
-- stored; the secret is shown once at creation.
CREATE TABLE api_keys (
    key_id                      TEXT PRIMARY KEY,
    secret_hash                 BYTEA       NOT NULL,
    scopes                      TEXT[]      NOT NULL CHECK (cardinality(scopes) > 0),
    store_id                    TEXT,
    label                       TEXT        NOT NULL DEFAULT '',
    created_at                  TIMESTAMPTZ NOT NULL,
    revoked_at                  TIMESTAMPTZ,
    CHECK (store_id IS NOT NULL OR NOT ('CHECKOUT' = ANY (scopes)))
);
