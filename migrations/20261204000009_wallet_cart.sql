-- Point balance (seeds 001 and 003), cart and wishlist (seed 000 Carts and Wishlists).
--
-- Differences from the seeds, and why:
-- * The balance is its own table (`wallets`), not a column on users: spending locks one small
--   row, and identity's row stays out of checkout's hot path.
-- * Ledger amounts are signed (a payment is negative), so "the ledger sums to the balance" is
--   one SUM. Each row records the balance before and after; CHECKs keep them consistent.
-- * Carts live in Postgres rather than Redis: a cart is read at checkout inside the same
--   transaction that reserves stock, and it must survive a Redis restart. The seed's 30-day TTL
--   is `carts.expires_at`, swept by the `cart.expire` job.
-- * A guest's cart lives in the session (seed 000 Sessions `data.cart`) and is merged here
--   at login.

CREATE TABLE wallets (
    user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    balance DECIMAL(15,0) NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT wallets_balance_non_negative CHECK (balance >= 0)
);
COMMENT ON TABLE wallets IS 'Point balance per account, in whole won';

CREATE TABLE balance_transactions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tx_type VARCHAR(20) NOT NULL CHECK (tx_type IN ('CHARGE', 'PAYMENT', 'REFUND', 'GRANT')),
    amount DECIMAL(15,0) NOT NULL CHECK (amount <> 0),
    balance_before DECIMAL(15,0) NOT NULL,
    balance_after DECIMAL(15,0) NOT NULL,
    -- What caused the change (an order, a charge, a refund). One cause changes a balance once.
    related_id VARCHAR(100),
    memo VARCHAR(255),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT balance_transactions_arithmetic CHECK (balance_after = balance_before + amount),
    CONSTRAINT balance_transactions_non_negative CHECK (balance_after >= 0),
    CONSTRAINT balance_transactions_sign CHECK (
        (tx_type = 'PAYMENT' AND amount < 0) OR (tx_type <> 'PAYMENT' AND amount > 0))
);
CREATE INDEX idx_balance_transactions_user ON balance_transactions(user_id, id DESC);
CREATE UNIQUE INDEX balance_transactions_once
    ON balance_transactions(tx_type, related_id) WHERE related_id IS NOT NULL;
COMMENT ON TABLE balance_transactions IS 'Ledger of every balance change (seed 001)';

CREATE TABLE carts (
    user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL DEFAULT now() + INTERVAL '30 days'
);
CREATE INDEX idx_carts_expiry ON carts(expires_at);

CREATE TABLE cart_items (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES carts(user_id) ON DELETE CASCADE,
    variant_id UUID NOT NULL REFERENCES product_variants(id) ON DELETE CASCADE,
    quantity INT NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    -- The price when the line was added, so a change can be shown.
    unit_price DECIMAL(15,0) NOT NULL CHECK (unit_price >= 0),
    added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cart_items_variant_key UNIQUE (user_id, variant_id)
);
CREATE INDEX idx_cart_items_variant ON cart_items(variant_id);

CREATE TABLE wishlists (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);
-- Seed 000's productId-index: the wish count per product.
CREATE INDEX idx_wishlists_product ON wishlists(product_id, user_id);
