-- Admin (issue 17): the audit log every context writes, and notices (seed 000 admin_db).

-- Seed 000 AuditLogs: one row per privileged action, written in the transaction of the change.
-- Partitioned by month and kept a year: the retention job drops whole partitions, the only
-- way rows ever leave.
CREATE TABLE audit_logs (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    resource_type VARCHAR(30) NOT NULL,
    resource_id VARCHAR(100) NOT NULL,
    action VARCHAR(10) NOT NULL CHECK (action IN ('CREATE', 'READ', 'UPDATE', 'DELETE')),
    -- No foreign key: the log outlives what it names, and a withdrawn account is anonymised.
    actor_id UUID,
    actor_role VARCHAR(20) NOT NULL,
    actor_ip VARCHAR(64) NOT NULL,
    before JSONB,
    after JSONB,
    reason TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX idx_audit_logs_resource ON audit_logs(resource_type, resource_id, created_at DESC);
CREATE INDEX idx_audit_logs_actor ON audit_logs(actor_id, created_at DESC);
CREATE INDEX idx_audit_logs_time ON audit_logs(created_at DESC);

CREATE FUNCTION audit_logs_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_logs is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs
    FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only();

-- Monthly partitions of audit_logs from this month through `months_ahead` ahead. Row triggers
-- reach every partition by themselves; a TRUNCATE trigger must be put on each one.
CREATE FUNCTION ensure_audit_log_partitions(months_ahead INT) RETURNS INT AS $$
DECLARE
    m DATE := date_trunc('month', now())::date;
    part TEXT;
BEGIN
    FOR i IN 0..months_ahead LOOP
        part := 'audit_logs_' || to_char(m + make_interval(months => i), 'YYYY_MM');
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF audit_logs FOR VALUES FROM (%L) TO (%L)',
            part, m + make_interval(months => i), m + make_interval(months => i + 1));
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_logs_no_truncate'
                       AND tgrelid = part::regclass) THEN
            EXECUTE format('CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON %I
                FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only()', part);
        END IF;
    END LOOP;
    RETURN months_ahead + 1;
END;
$$ LANGUAGE plpgsql;

-- Retention: drops the partitions that ended more than `months_kept` months ago; returns
-- their names. Whole partitions are the only way rows leave the log.
CREATE FUNCTION drop_old_audit_log_partitions(months_kept INT) RETURNS SETOF TEXT AS $$
DECLARE
    cutoff TIMESTAMPTZ := date_trunc('month', now()) - make_interval(months => months_kept);
    part RECORD;
BEGIN
    FOR part IN
        SELECT c.relname::TEXT AS name,
               (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::TIMESTAMPTZ AS upper
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_logs'::regclass
    LOOP
        IF part.upper <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.name);
            RETURN NEXT part.name;
        END IF;
    END LOOP;
END;
$$ LANGUAGE plpgsql;
SELECT ensure_audit_log_partitions(12);

-- Seed 000 notices. The body is Markdown, rendered and sanitised when shown.
CREATE TABLE notices (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    type VARCHAR(20) NOT NULL CHECK (type IN ('general', 'maintenance', 'event', 'urgent')),
    title VARCHAR(255) NOT NULL,
    content TEXT NOT NULL,
    target VARCHAR(20) NOT NULL DEFAULT 'all' CHECK (target IN ('all', 'customers', 'sellers')),
    is_pinned BOOLEAN NOT NULL DEFAULT FALSE,
    is_published BOOLEAN NOT NULL DEFAULT FALSE,
    view_count INT NOT NULL DEFAULT 0,
    -- When it shows: now or later. Set once published; a draft has none.
    published_at TIMESTAMPTZ,
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (NOT is_published OR published_at IS NOT NULL)
);
CREATE INDEX idx_notices_type ON notices(type);
CREATE INDEX idx_notices_published ON notices(is_published, published_at DESC);
-- Only an edit moves `updated_at`; the view counter's fold does not.
CREATE TRIGGER notices_updated_at
    BEFORE UPDATE OF type, title, content, target, is_pinned, is_published, published_at ON notices
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
