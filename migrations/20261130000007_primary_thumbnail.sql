-- Listings show each product's primary thumbnail. Keeping a copy on the product row saves an
-- index lookup per card on every listing; a trigger keeps it in step with product_images,
-- whoever writes them (services, seeds, tests).
ALTER TABLE products ADD COLUMN primary_thumbnail_url VARCHAR(500);

UPDATE products p SET primary_thumbnail_url = pi.thumbnail_url
FROM product_images pi WHERE pi.product_id = p.id AND pi.is_primary;

CREATE FUNCTION refresh_primary_thumbnail(pid UUID) RETURNS void AS $$
    UPDATE products p
    SET primary_thumbnail_url = t.url
    FROM (SELECT (SELECT thumbnail_url FROM product_images
                  WHERE product_id = pid AND is_primary) AS url) t
    WHERE p.id = pid AND p.primary_thumbnail_url IS DISTINCT FROM t.url;
$$ LANGUAGE sql;

CREATE FUNCTION sync_primary_thumbnail() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM refresh_primary_thumbnail(OLD.product_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.product_id <> OLD.product_id) THEN
        PERFORM refresh_primary_thumbnail(NEW.product_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER product_images_primary_thumbnail
AFTER INSERT OR DELETE OR UPDATE OF product_id, is_primary, thumbnail_url ON product_images
FOR EACH ROW EXECUTE FUNCTION sync_primary_thumbnail();
