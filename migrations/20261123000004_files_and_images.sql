-- Uploaded files (seed 000 files) and product images (seed 000 product_images).

-- One row per stored file. `file_key` is the path under the storage folder; `bucket` names
-- the store ('local' for the folder; kept so an object store can be added without a migration).
CREATE TABLE files (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    file_key VARCHAR(500) NOT NULL,
    bucket VARCHAR(100) NOT NULL,
    original_name VARCHAR(255) NOT NULL,
    mime_type VARCHAR(100) NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    url VARCHAR(500) NOT NULL,
    thumbnail_url VARCHAR(500),
    uploaded_by UUID REFERENCES users(id) ON DELETE SET NULL,
    reference_type VARCHAR(50),
    reference_id UUID,
    metadata JSONB NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT files_file_key_key UNIQUE (file_key)
);
CREATE INDEX idx_files_reference ON files(reference_type, reference_id);
CREATE INDEX idx_files_uploaded_by ON files(uploaded_by);

-- A product's gallery: ordered, with exactly one primary image while it has any.
CREATE TABLE product_images (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    file_id UUID REFERENCES files(id) ON DELETE SET NULL,
    url VARCHAR(500) NOT NULL,
    thumbnail_url VARCHAR(500),
    alt_text VARCHAR(255),
    display_order INT NOT NULL DEFAULT 0,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_product_images_product ON product_images(product_id, display_order);
-- Listings read the primary thumbnail per card through this index.
CREATE UNIQUE INDEX product_images_one_primary ON product_images(product_id) INCLUDE (thumbnail_url) WHERE is_primary;
