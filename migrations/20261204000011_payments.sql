-- Payments and refunds through the payment gateway (seed 000 payments_db).
--
-- Differences from the seed, and why:
-- * A payment belongs to a checkout (`checkout_id`), not to one order: the shopper pays the
--   orders of one checkout at once. Each order's share is `orders.paid_amount`.
-- * One payment per checkout at most (unique index): a double click, a refreshed success
--   page, a retried confirm and a webhook racing the redirect all land on the same row.
-- * `refunds.order_id` says which order a (partial) refund was for; a CHECK on orders keeps
--   the refunds of an order within what it was paid.
-- * Every call to the gateway is logged in `payment_gateway_log`, card numbers masked.

CREATE TABLE payments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    checkout_id UUID NOT NULL REFERENCES checkouts(id),
    user_id UUID NOT NULL REFERENCES users(id),
    -- Set once the gateway has authenticated the shopper (the success redirect).
    payment_key VARCHAR(100),
    amount DECIMAL(15,0) NOT NULL CHECK (amount > 0),
    refunded_amount DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
    status VARCHAR(30) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'in_progress', 'waiting_for_deposit', 'completed', 'failed',
                          'cancelled', 'partial_refunded', 'refunded')),
    method VARCHAR(30) NOT NULL CHECK (method IN ('card', 'virtual_account', 'transfer')),
    provider VARCHAR(50) NOT NULL DEFAULT 'jangteo-pg-sim',
    pg_transaction_id VARCHAR(255),
    pg_response JSONB,
    card_company VARCHAR(50),
    card_number VARCHAR(20),
    installment_months INT NOT NULL DEFAULT 0,
    virtual_account_bank VARCHAR(50),
    virtual_account_number VARCHAR(50),
    virtual_account_holder VARCHAR(100),
    virtual_account_due_date TIMESTAMPTZ,
    -- The gateway's per-payment secret, checked on its deposit webhook.
    webhook_secret VARCHAR(100),
    approved_at TIMESTAMPTZ,
    failed_at TIMESTAMPTZ,
    failure_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT payments_refund_within_amount CHECK (refunded_amount <= amount)
);
CREATE UNIQUE INDEX payments_one_per_checkout ON payments(checkout_id);
CREATE UNIQUE INDEX payments_payment_key ON payments(payment_key) WHERE payment_key IS NOT NULL;
CREATE INDEX idx_payments_user ON payments(user_id, created_at DESC);
CREATE INDEX idx_payments_unsettled ON payments(updated_at) WHERE status IN ('in_progress', 'waiting_for_deposit');
CREATE TRIGGER payments_updated_at BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE refunds (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    payment_id UUID REFERENCES payments(id),
    order_id UUID NOT NULL REFERENCES orders(id),
    refund_amount DECIMAL(15,0) NOT NULL CHECK (refund_amount > 0),
    -- What part went back as points and what through the gateway.
    points_amount DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (points_amount >= 0),
    gateway_amount DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (gateway_amount >= 0),
    refund_reason VARCHAR(50) NOT NULL
        CHECK (refund_reason IN ('customer_request', 'out_of_stock', 'seller_cancel', 'payment_failed')),
    refund_reason_detail TEXT,
    status VARCHAR(30) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    pg_refund_id VARCHAR(255),
    pg_response JSONB,
    requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT refunds_parts CHECK (points_amount + gateway_amount = refund_amount)
);
CREATE INDEX idx_refunds_payment ON refunds(payment_id);
CREATE INDEX idx_refunds_order ON refunds(order_id);

-- One row per call to the payment gateway (card numbers and secrets masked).
CREATE TABLE payment_gateway_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id VARCHAR(100),
    kind VARCHAR(30) NOT NULL,
    method VARCHAR(10) NOT NULL,
    url VARCHAR(500) NOT NULL,
    request_body JSONB,
    response_status INT,
    response_body JSONB,
    error TEXT,
    duration_ms INT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_payment_gateway_log_created ON payment_gateway_log(created_at DESC);

-- The gateway gets its breaker beside KOS's, in the shared table the admin console shows.
ALTER TABLE product_change.pc_circuit_breaker_state
    DROP CONSTRAINT pc_circuit_breaker_state_service_name_check;
ALTER TABLE product_change.pc_circuit_breaker_state
    ADD CONSTRAINT pc_circuit_breaker_state_service_name_check
    CHECK (service_name IN ('KOS_CUSTOMER', 'KOS_PRODUCT', 'KOS_CHANGE', 'PG_PAYMENT'));
INSERT INTO product_change.pc_circuit_breaker_state
    (service_name, state, failure_threshold, success_threshold, timeout_duration_ms)
VALUES ('PG_PAYMENT', 'CLOSED', 5, 3, 30000);
