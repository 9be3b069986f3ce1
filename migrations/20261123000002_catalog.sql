-- Catalog and inventory (seeds 000 products_db/sellers/files, 003 stock/popular stats, 004).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Sellers (seed 000). One seller account per user.
CREATE TABLE sellers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    business_name VARCHAR(255) NOT NULL,
    business_number CHAR(10) NOT NULL CHECK (business_number ~ '^[0-9]{10}$'),
    business_type VARCHAR(20) NOT NULL CHECK (business_type IN ('individual', 'corporation')),
    representative_name VARCHAR(100) NOT NULL,
    business_address TEXT NOT NULL,
    business_phone VARCHAR(20) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    status_reason TEXT,
    approval_date TIMESTAMPTZ,
    commission_rate DECIMAL(5,2) CHECK (commission_rate BETWEEN 0 AND 100),
    bank_account_holder VARCHAR(100) NOT NULL,
    bank_name VARCHAR(100) NOT NULL,
    bank_account_number VARCHAR(100) NOT NULL,
    reviewed_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT sellers_user_key UNIQUE (user_id),
    CONSTRAINT sellers_business_number_key UNIQUE (business_number)
);
CREATE INDEX idx_sellers_status ON sellers(status, created_at);
CREATE TRIGGER sellers_updated_at BEFORE UPDATE ON sellers FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Category tree (seeds 000, 004): three levels, slugs, display order, active flag.
CREATE TABLE categories (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    parent_id UUID REFERENCES categories(id) ON DELETE RESTRICT,
    name VARCHAR(100) NOT NULL,
    name_en VARCHAR(100) NOT NULL,
    slug VARCHAR(100) NOT NULL,
    description TEXT,
    level INT NOT NULL CHECK (level BETWEEN 1 AND 3),
    display_order INT NOT NULL DEFAULT 0,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT categories_slug_key UNIQUE (slug),
    CONSTRAINT categories_root_level CHECK ((parent_id IS NULL) = (level = 1))
);
CREATE INDEX idx_categories_parent ON categories(parent_id, display_order);
CREATE TRIGGER categories_updated_at BEFORE UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A child's level is its parent's plus one; checked in the database so no path can break it.
CREATE OR REPLACE FUNCTION check_category_level() RETURNS trigger AS $$
DECLARE parent_level INT;
BEGIN
    IF NEW.parent_id IS NOT NULL THEN
        SELECT level INTO parent_level FROM categories WHERE id = NEW.parent_id;
        IF parent_level IS NULL OR NEW.level <> parent_level + 1 THEN
            RAISE EXCEPTION 'category level must be parent level + 1' USING ERRCODE = 'check_violation',
                CONSTRAINT = 'categories_level_follows_parent';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER categories_level BEFORE INSERT OR UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION check_category_level();

-- Products: one model merging seeds 000 (marketplace product) and 004 (NORMAL/BUNDLE).
CREATE TABLE products (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    seller_id UUID NOT NULL REFERENCES sellers(id),
    name VARCHAR(255) NOT NULL,
    slug VARCHAR(255) NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    product_type VARCHAR(10) NOT NULL DEFAULT 'NORMAL' CHECK (product_type IN ('NORMAL', 'BUNDLE')),
    price DECIMAL(15,2) NOT NULL CHECK (price >= 0),
    original_price DECIMAL(15,2) CHECK (original_price >= 0),
    discount_rate DECIMAL(5,2) NOT NULL DEFAULT 0 CHECK (discount_rate BETWEEN 0 AND 100),
    status VARCHAR(20) NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending', 'approved', 'rejected', 'active', 'inactive')),
    status_reason TEXT,
    is_featured BOOLEAN NOT NULL DEFAULT FALSE,
    view_count BIGINT NOT NULL DEFAULT 0,
    purchase_count BIGINT NOT NULL DEFAULT 0,
    rating_avg DECIMAL(3,2) NOT NULL DEFAULT 0,
    review_count INT NOT NULL DEFAULT 0,
    metadata JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    CONSTRAINT products_slug_key UNIQUE (slug)
);
CREATE INDEX idx_products_seller ON products(seller_id, created_at DESC);
CREATE INDEX idx_products_listing ON products(status, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_products_price ON products(price, id) WHERE deleted_at IS NULL;
CREATE INDEX idx_products_rating ON products(rating_avg DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX idx_products_metadata ON products USING GIN (metadata);
-- Trigram search works for Korean and English alike (no word stemming needed).
CREATE INDEX idx_products_name_trgm ON products USING GIN (name gin_trgm_ops);
CREATE TRIGGER products_updated_at BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE product_categories (
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    category_id UUID NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (product_id, category_id)
);
CREATE UNIQUE INDEX product_categories_one_primary ON product_categories(product_id) WHERE is_primary;
CREATE INDEX idx_product_categories_category ON product_categories(category_id, product_id);

-- Options such as colour and size, with their allowed values.
CREATE TABLE product_options (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    option_values JSONB NOT NULL CHECK (jsonb_typeof(option_values) = 'array'),
    position INT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT product_options_name_key UNIQUE (product_id, name)
);

-- SKUs: the unit of stock (seed 004 skus), owned by a seller.
CREATE TABLE skus (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    seller_id UUID NOT NULL REFERENCES sellers(id),
    code VARCHAR(100) NOT NULL,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    weight DECIMAL(10,3),
    volume DECIMAL(10,3),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT skus_code_key UNIQUE (code)
);
CREATE INDEX idx_skus_seller ON skus(seller_id);

-- Variants: what a shopper picks and pays for. A NORMAL product's variant maps to one SKU; a
-- BUNDLE's option maps to several SKUs with quantities (seed 004 sku_mappings).
CREATE TABLE product_variants (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL DEFAULT '',
    option_values JSONB NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(option_values) = 'object'),
    price_adjustment DECIMAL(15,2) NOT NULL DEFAULT 0,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    position INT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_product_variants_product ON product_variants(product_id, position);
CREATE INDEX idx_product_variants_options ON product_variants USING GIN (option_values);
CREATE TRIGGER product_variants_updated_at BEFORE UPDATE ON product_variants FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE sku_mappings (
    variant_id UUID NOT NULL REFERENCES product_variants(id) ON DELETE CASCADE,
    sku_id UUID NOT NULL REFERENCES skus(id),
    quantity INT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (variant_id, sku_id)
);
CREATE INDEX idx_sku_mappings_sku ON sku_mappings(sku_id);

-- Inventory: one row per SKU, the single source of truth for stock.
CREATE TABLE inventory (
    sku_id UUID PRIMARY KEY REFERENCES skus(id) ON DELETE CASCADE,
    stock INT NOT NULL DEFAULT 0,
    reserved INT NOT NULL DEFAULT 0,
    available INT GENERATED ALWAYS AS (stock - reserved) STORED,
    low_stock_threshold INT NOT NULL DEFAULT 10 CHECK (low_stock_threshold >= 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT inventory_stock_non_negative CHECK (stock >= 0),
    CONSTRAINT inventory_reserved_within_stock CHECK (reserved >= 0 AND reserved <= stock)
);
CREATE INDEX idx_inventory_low ON inventory(available) WHERE available <= low_stock_threshold;

-- Every change of stock or reservations (seed 000 inventory_logs, seed 004 stock_movements).
CREATE TABLE stock_movements (
    id BIGSERIAL PRIMARY KEY,
    sku_id UUID NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    movement_type VARCHAR(10) NOT NULL CHECK (movement_type IN ('in', 'out', 'reserved', 'released', 'adjusted')),
    quantity INT NOT NULL,
    stock_before INT NOT NULL,
    stock_after INT NOT NULL,
    reserved_before INT NOT NULL,
    reserved_after INT NOT NULL,
    reason TEXT,
    reference VARCHAR(255),
    actor_id UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_stock_movements_sku ON stock_movements(sku_id, id DESC);

-- Reservations (seed 004): all lines or none; released, committed or expired exactly once.
CREATE TABLE reservations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    reference VARCHAR(255) NOT NULL,
    status VARCHAR(10) NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'RELEASED', 'COMMITTED', 'EXPIRED')),
    expires_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    settled_at TIMESTAMPTZ
);
CREATE INDEX idx_reservations_due ON reservations(expires_at) WHERE status = 'ACTIVE';
CREATE INDEX idx_reservations_reference ON reservations(reference);

CREATE TABLE reservation_lines (
    reservation_id UUID NOT NULL REFERENCES reservations(id) ON DELETE CASCADE,
    sku_id UUID NOT NULL REFERENCES skus(id),
    quantity INT NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (reservation_id, sku_id)
);
CREATE INDEX idx_reservation_lines_sku ON reservation_lines(sku_id);
