-- Popular products (seed 003 PopularProductStats) and recently viewed products (seed 000 ProductViews).

CREATE TABLE popular_product_stats (
    product_id UUID PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
    sales_count BIGINT NOT NULL,
    calculated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_popular_sales ON popular_product_stats(sales_count DESC);

-- One row per user and product; viewing again moves it to the front. Rows older than
-- 90 days are swept (the seed's DynamoDB TTL).
CREATE TABLE product_views (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    source VARCHAR(20) NOT NULL DEFAULT 'direct' CHECK (source IN ('search', 'category', 'recommendation', 'direct')),
    viewed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);
CREATE INDEX idx_product_views_recent ON product_views(user_id, viewed_at DESC);
CREATE INDEX idx_product_views_expiry ON product_views(viewed_at);
