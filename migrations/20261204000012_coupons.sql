-- Coupons (seeds 000 coupons/user_coupons and 003's first-come issuance).
--
-- Differences from the seed, and why:
-- * `issued_quantity` counts claims and can never pass `total_quantity` (a CHECK, and the
--   claim's guarded UPDATE): Postgres is the truth. Redis holds a check-and-decrement counter
--   in front of it, so a rush of claims for a sold-out coupon never reaches the row lock.
-- * A user holds a coupon at most once: unique (coupon, user).
-- * `seller_id` is the seller who made it (their own products only); NULL for the shop's.
-- * The scope's ids are a uuid[] rather than JSONB: they are compared, never nested.

CREATE TABLE coupons (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    code VARCHAR(50) NOT NULL,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    discount_type VARCHAR(20) NOT NULL CHECK (discount_type IN ('percentage', 'fixed_amount')),
    discount_value DECIMAL(15,0) NOT NULL CHECK (discount_value > 0),
    max_discount_amount DECIMAL(15,0) CHECK (max_discount_amount > 0),
    min_purchase_amount DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (min_purchase_amount >= 0),
    total_quantity INT CHECK (total_quantity > 0),
    issued_quantity INT NOT NULL DEFAULT 0,
    used_quantity INT NOT NULL DEFAULT 0,
    valid_from TIMESTAMPTZ NOT NULL,
    valid_until TIMESTAMPTZ NOT NULL,
    applicable_to VARCHAR(20) NOT NULL DEFAULT 'all'
        CHECK (applicable_to IN ('all', 'category', 'product', 'seller')),
    applicable_ids UUID[] NOT NULL DEFAULT '{}',
    seller_id UUID REFERENCES sellers(id),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT coupons_code_key UNIQUE (code),
    CONSTRAINT coupons_window CHECK (valid_until > valid_from),
    CONSTRAINT coupons_percentage CHECK (discount_type <> 'percentage' OR discount_value <= 100),
    CONSTRAINT coupons_issued_within_total
        CHECK (issued_quantity >= 0 AND (total_quantity IS NULL OR issued_quantity <= total_quantity)),
    CONSTRAINT coupons_used_within_issued CHECK (used_quantity BETWEEN 0 AND issued_quantity)
);
CREATE INDEX idx_coupons_valid_period ON coupons(valid_from, valid_until) WHERE is_active;
CREATE INDEX idx_coupons_seller ON coupons(seller_id);
CREATE TRIGGER coupons_updated_at BEFORE UPDATE ON coupons FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE user_coupons (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    coupon_id UUID NOT NULL REFERENCES coupons(id) ON DELETE CASCADE,
    status VARCHAR(20) NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'used', 'expired')),
    used_at TIMESTAMPTZ,
    -- The checkout it was used on.
    checkout_id UUID REFERENCES checkouts(id),
    issued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT user_coupons_once UNIQUE (coupon_id, user_id)
);
CREATE INDEX idx_user_coupons_user ON user_coupons(user_id, status);
