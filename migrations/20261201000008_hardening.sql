-- Admins can take a product down with a reason; its seller cannot put it back on sale.
ALTER TABLE products DROP CONSTRAINT products_status_check;
ALTER TABLE products ADD CONSTRAINT products_status_check
    CHECK (status IN ('draft', 'pending', 'approved', 'rejected', 'active', 'inactive', 'taken_down'));

-- SKU codes are the seller's own: unique per seller, so sellers cannot probe or squat each
-- other's codes.
ALTER TABLE skus DROP CONSTRAINT skus_code_key;
ALTER TABLE skus ADD CONSTRAINT skus_seller_code_key UNIQUE (seller_id, code);
