-- Checkout and orders (seed 000 orders_db and OrderEvents).
--
-- Differences from the seed, and why:
-- * One checkout splits into one order per seller, but the shopper pays once. The seed's
--   `payments.order_id` cannot say that, so a `checkouts` row owns what is paid (points and
--   the gateway's part), and each order records its own share (`points_used`, `paid_amount`).
--   Refunds go per order and per item against those shares.
-- * Order numbers are ORD-YYYYMMDD-NNNNNN from a per-day counter (`order_number_days`). The
--   counter is bumped in its own short statement before the checkout transaction, like a
--   sequence: a number may be skipped, never given twice, and the hot counter row is never
--   locked while stock is reserved.
-- * Orders stay one plain table (see ARCHITECTURE.md, "Orders"); `order_events` is
--   partitioned by month like the plan-change log, its partitions made ahead by a job.

CREATE TABLE order_number_days (
    day DATE PRIMARY KEY,
    last_number INT NOT NULL CHECK (last_number BETWEEN 1 AND 999999)
);

CREATE TABLE checkouts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id),
    status VARCHAR(20) NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'PAID', 'CANCELLED', 'EXPIRED')),
    payment_method VARCHAR(20) NOT NULL
        CHECK (payment_method IN ('CARD', 'VIRTUAL_ACCOUNT', 'BANK_TRANSFER', 'POINTS')),
    items_total DECIMAL(15,0) NOT NULL CHECK (items_total >= 0),
    shipping_total DECIMAL(15,0) NOT NULL CHECK (shipping_total >= 0),
    discount_total DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (discount_total >= 0),
    points_used DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (points_used >= 0),
    -- What the gateway must collect: total - discount - points.
    amount_due DECIMAL(15,0) NOT NULL CHECK (amount_due >= 0),
    reservation_id UUID REFERENCES reservations(id),
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    paid_at TIMESTAMPTZ,
    CONSTRAINT checkouts_amounts CHECK (
        amount_due = items_total + shipping_total - discount_total - points_used)
);
CREATE INDEX idx_checkouts_user ON checkouts(user_id, created_at DESC);
CREATE INDEX idx_checkouts_due ON checkouts(expires_at) WHERE status = 'PENDING';

CREATE TABLE orders (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_number VARCHAR(20) NOT NULL,
    checkout_id UUID NOT NULL REFERENCES checkouts(id),
    user_id UUID NOT NULL REFERENCES users(id),
    seller_id UUID NOT NULL REFERENCES sellers(id),
    status VARCHAR(30) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'payment_waiting', 'paid', 'preparing', 'shipped',
                          'delivered', 'cancelled', 'refunded')),
    items_total DECIMAL(15,0) NOT NULL CHECK (items_total >= 0),
    shipping_fee DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (shipping_fee >= 0),
    discount_amount DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    total_amount DECIMAL(15,0) NOT NULL CHECK (total_amount >= 0),
    -- This order's share of the checkout's points and gateway payment; they sum to total.
    points_used DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (points_used >= 0),
    paid_amount DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
    refunded_amount DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
    recipient_name VARCHAR(100) NOT NULL,
    recipient_phone VARCHAR(20) NOT NULL,
    postal_code VARCHAR(10) NOT NULL,
    address VARCHAR(255) NOT NULL,
    address_detail VARCHAR(255),
    delivery_memo TEXT,
    coupon_id UUID,
    user_coupon_id UUID,
    metadata JSONB NOT NULL DEFAULT '{}',
    ordered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    paid_at TIMESTAMPTZ,
    shipped_at TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    cancelled_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT orders_order_number_key UNIQUE (order_number),
    CONSTRAINT orders_total CHECK (total_amount = items_total + shipping_fee - discount_amount),
    CONSTRAINT orders_paid_parts CHECK (points_used + paid_amount <= total_amount),
    CONSTRAINT orders_refund_within_paid CHECK (refunded_amount <= points_used + paid_amount)
);
CREATE INDEX idx_orders_user ON orders(user_id, ordered_at DESC);
CREATE INDEX idx_orders_seller ON orders(seller_id, status, ordered_at DESC);
CREATE INDEX idx_orders_checkout ON orders(checkout_id);
CREATE INDEX idx_orders_status ON orders(status);
CREATE TRIGGER orders_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE order_items (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id UUID NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id),
    variant_id UUID REFERENCES product_variants(id) ON DELETE SET NULL,
    product_name VARCHAR(255) NOT NULL,
    variant_name VARCHAR(255) NOT NULL DEFAULT '',
    product_image VARCHAR(500),
    option_values JSONB NOT NULL DEFAULT '{}',
    quantity INT NOT NULL CHECK (quantity > 0),
    unit_price DECIMAL(15,0) NOT NULL CHECK (unit_price >= 0),
    total_price DECIMAL(15,0) NOT NULL,
    -- This line's share of the order's coupon discount, in whole won.
    discount_amount DECIMAL(15,0) NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
    cancelled_quantity INT NOT NULL DEFAULT 0,
    status VARCHAR(30) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'confirmed', 'cancelled')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT order_items_total CHECK (total_price = unit_price * quantity),
    CONSTRAINT order_items_cancel_within CHECK (cancelled_quantity BETWEEN 0 AND quantity)
);
CREATE INDEX idx_order_items_order ON order_items(order_id);
CREATE INDEX idx_order_items_product ON order_items(product_id);

-- Seed 000 OrderEvents: every transition, with who did it and why.
CREATE TABLE order_events (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY,
    order_id UUID NOT NULL,
    event_type VARCHAR(50) NOT NULL,
    from_status VARCHAR(30),
    to_status VARCHAR(30),
    actor_id UUID,
    actor_role VARCHAR(20) NOT NULL,
    actor_ip VARCHAR(64),
    data JSONB NOT NULL DEFAULT '{}',
    correlation_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX idx_order_events_order ON order_events(order_id, created_at);
CREATE INDEX idx_order_events_type ON order_events(event_type, created_at);

-- Monthly partitions of order_events from this month through `months_ahead` ahead; returns
-- how many months are covered. Run by migration and by the `ordering.partitions` job.
CREATE FUNCTION ensure_order_event_partitions(months_ahead INT) RETURNS INT AS $$
DECLARE
    m DATE := date_trunc('month', now())::date;
BEGIN
    FOR i IN 0..months_ahead LOOP
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF order_events FOR VALUES FROM (%L) TO (%L)',
            'order_events_' || to_char(m + make_interval(months => i), 'YYYY_MM'),
            m + make_interval(months => i), m + make_interval(months => i + 1));
    END LOOP;
    RETURN months_ahead + 1;
END;
$$ LANGUAGE plpgsql;

SELECT ensure_order_event_partitions(12);
