-- Buying points by card (seed 001 `balance_transactions` type CHARGE).
--
-- A charge is paid exactly as an order checkout is (the gateway's hosted page, confirm,
-- reconcile, expiry), so it is a checkout too: `purpose = 'POINT_CHARGE'`, no orders, and
-- `items_total` is the points bought. Its payment credits the balance once: the ledger's
-- unique (type, related_id) is keyed by the payment id.

ALTER TABLE checkouts
    ADD COLUMN purpose VARCHAR(20) NOT NULL DEFAULT 'ORDER'
        CHECK (purpose IN ('ORDER', 'POINT_CHARGE'));
ALTER TABLE checkouts
    ADD CONSTRAINT checkouts_charge_shape CHECK (
        purpose = 'ORDER'
        OR (payment_method = 'CARD' AND shipping_total = 0 AND discount_total = 0
            AND points_used = 0 AND reservation_id IS NULL AND amount_due = items_total));
