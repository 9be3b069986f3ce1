-- Foundation: identity (seed 000 users_db), platform tables (idempotency, outbox, jobs, configs).

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Users (seed 000). Email is stored normalised (trimmed, lower-case), so a plain UNIQUE works.
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) NOT NULL,
    password_hash VARCHAR(255),
    name VARCHAR(100) NOT NULL,
    phone VARCHAR(20),
    role VARCHAR(20) NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'seller', 'admin')),
    status VARCHAR(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
    status_reason TEXT,
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    phone_verified BOOLEAN NOT NULL DEFAULT FALSE,
    user_grade VARCHAR(20) NOT NULL DEFAULT 'bronze' CHECK (user_grade IN ('bronze', 'silver', 'gold', 'vip')),
    total_purchase_amount DECIMAL(15,2) NOT NULL DEFAULT 0 CHECK (total_purchase_amount >= 0),
    last_login_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_normalised CHECK (email = lower(btrim(email)))
);
CREATE INDEX idx_users_status ON users(status);
CREATE INDEX idx_users_created_at ON users(created_at);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Address book (seed 000). At most one default per user is enforced by the partial unique
-- index; "at least one while any exist" is kept by the service inside one transaction.
CREATE TABLE addresses (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    recipient_name VARCHAR(100) NOT NULL,
    phone VARCHAR(20) NOT NULL,
    postal_code VARCHAR(10) NOT NULL,
    address VARCHAR(255) NOT NULL,
    address_detail VARCHAR(255),
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    label VARCHAR(50),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_addresses_user_id ON addresses(user_id);
CREATE UNIQUE INDEX addresses_one_default_per_user ON addresses(user_id) WHERE is_default;
CREATE TRIGGER addresses_updated_at BEFORE UPDATE ON addresses FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Tokens (seed 000 auth_tokens). Browser sessions live in Redis; this table holds personal
-- API tokens for scripts (token_type 'api'), stored as SHA-256 hashes only.
CREATE TABLE auth_tokens (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_type VARCHAR(20) NOT NULL CHECK (token_type IN ('api', 'access', 'refresh')),
    name VARCHAR(100) NOT NULL DEFAULT '',
    token_hash VARCHAR(255) NOT NULL,
    token_prefix VARCHAR(16) NOT NULL DEFAULT '',
    expires_at TIMESTAMPTZ NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    last_used_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT auth_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX idx_auth_tokens_user_id ON auth_tokens(user_id);
CREATE INDEX idx_auth_tokens_expires ON auth_tokens(expires_at);

-- Idempotency keys (seed 003 IdempotencyKey): request hash plus the stored response.
CREATE TABLE idempotency_keys (
    scope VARCHAR(64) NOT NULL,
    key VARCHAR(255) NOT NULL,
    request_hash BYTEA NOT NULL,
    state VARCHAR(12) NOT NULL DEFAULT 'in_flight' CHECK (state IN ('in_flight', 'completed')),
    response_status SMALLINT,
    response_body BYTEA,
    response_content_type VARCHAR(100),
    locked_until TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idx_idempotency_expires ON idempotency_keys(expires_at);

-- Transactional outbox (seed 003 EventLog, seed 004 Kafka events).
CREATE TABLE outbox_events (
    id BIGSERIAL PRIMARY KEY,
    event_id UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    event_type VARCHAR(100) NOT NULL,
    aggregate_type VARCHAR(50) NOT NULL,
    aggregate_id VARCHAR(100) NOT NULL,
    payload JSONB NOT NULL,
    status VARCHAR(12) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PUBLISHED')),
    stream_id VARCHAR(40),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX idx_outbox_pending ON outbox_events(id) WHERE status = 'PENDING';

-- Periodic jobs: last-run status, visible in the admin console.
CREATE TABLE job_runs (
    name VARCHAR(100) PRIMARY KEY,
    last_status VARCHAR(10) NOT NULL CHECK (last_status IN ('running', 'ok', 'error')),
    last_started_at TIMESTAMPTZ NOT NULL,
    last_finished_at TIMESTAMPTZ,
    last_duration_ms BIGINT,
    last_message TEXT,
    last_instance VARCHAR(100) NOT NULL,
    run_count BIGINT NOT NULL DEFAULT 0,
    error_count BIGINT NOT NULL DEFAULT 0
);

-- System configs (seed 000 admin_db). Keys and defaults are registered in code.
CREATE TABLE system_configs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    key VARCHAR(100) NOT NULL UNIQUE,
    value JSONB NOT NULL,
    description TEXT,
    category VARCHAR(50),
    updated_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_system_configs_category ON system_configs(category);
CREATE TRIGGER system_configs_updated_at BEFORE UPDATE ON system_configs FOR EACH ROW EXECUTE FUNCTION set_updated_at();
