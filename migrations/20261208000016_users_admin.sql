-- Admin users (issue 17): a grade an admin sets by hand stays until an admin hands it back to
-- the grades job; searching users by email, name or phone stays fast past a few thousand.

ALTER TABLE users ADD COLUMN grade_manual_at TIMESTAMPTZ;

CREATE INDEX idx_users_search ON users
    USING gin ((email || ' ' || name || ' ' || coalesce(phone, '')) gin_trgm_ops);
CREATE INDEX idx_users_role_status ON users(role, status, created_at DESC);

-- The grades job reads each user's paid orders of the last 12 months.
CREATE INDEX idx_orders_user_paid ON orders(user_id, paid_at) WHERE paid_at IS NOT NULL;
