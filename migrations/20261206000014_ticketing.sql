-- Tickets (seed 001): concerts, their seats, seat holds and bookings paid from the point balance.
--
-- Differences from the seed, and why:
-- * `reservations` and `payments` already name the shop's stock holds and gateway payments, so
--   the seed's tables are `seat_reservations` and `ticket_payments`. `balance_transactions` is
--   the one ledger of the point balance (`wallets`), shared with the shop.
-- * The seed's `concert_date` + `concert_time` are one `starts_at` (a date and a time without a
--   zone are ambiguous); pages show it in Seoul time.
-- * One price per concert becomes a price per seat grade (`concert_grades`: VIP, R, S, ...).
--   Seats carry their section, row and number in the row as well as the seed's `seat_number`,
--   and a seat can be BLOCKED (not for sale). `total_seats` counts the seats for sale.
-- * Seats bought together share a `hold_id`: they are held, paid and released together, and
--   one `ticket_payments` row pays for one hold (the seed's one payment per reservation, for a
--   shopper who takes several seats at once).
-- * "At most one active reservation per seat" is a unique partial index. "At most N seats per
--   account and concert" is `ticket_quotas`, a counter changed by a guarded single statement.
-- * `seats` has no updated_at trigger: a rush updates thousands of them, and the statements
--   that change a seat set `updated_at` themselves.

CREATE TABLE concerts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    title VARCHAR(200) NOT NULL CHECK (length(btrim(title)) > 0),
    artist VARCHAR(100) NOT NULL CHECK (length(btrim(artist)) > 0),
    venue VARCHAR(200) NOT NULL CHECK (length(btrim(venue)) > 0),
    description TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMPTZ NOT NULL,
    total_seats INT NOT NULL DEFAULT 0 CHECK (total_seats BETWEEN 0 AND 20000),
    booking_starts_at TIMESTAMPTZ NOT NULL,
    booking_ends_at TIMESTAMPTZ NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'SCHEDULED'
        CHECK (status IN ('SCHEDULED', 'BOOKING_OPEN', 'BOOKING_CLOSED', 'CANCELLED')),
    -- An admin set the status by hand: the clock job leaves it alone.
    status_pinned BOOLEAN NOT NULL DEFAULT FALSE,
    poster_file_id UUID REFERENCES files(id) ON DELETE SET NULL,
    -- The promoter: an approved seller, or NULL for a concert the shop runs itself.
    seller_id UUID REFERENCES sellers(id),
    created_by UUID REFERENCES users(id) ON DELETE SET NULL,
    -- Waiting room settings for this concert; NULL takes the global default.
    queue_admission_per_minute INT CHECK (queue_admission_per_minute > 0),
    queue_active_cap INT CHECK (queue_active_cap > 0),
    cancelled_at TIMESTAMPTZ,
    cancel_reason VARCHAR(500),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT concerts_booking_window CHECK (booking_ends_at > booking_starts_at),
    CONSTRAINT concerts_booking_before_show CHECK (booking_ends_at <= starts_at),
    CONSTRAINT concerts_cancelled CHECK ((status = 'CANCELLED') = (cancelled_at IS NOT NULL))
);
CREATE INDEX idx_concerts_starts_at ON concerts(starts_at);
CREATE INDEX idx_concerts_booking_period ON concerts(booking_starts_at, booking_ends_at);
CREATE INDEX idx_concerts_status ON concerts(status);
CREATE INDEX idx_concerts_seller ON concerts(seller_id);
CREATE TRIGGER concerts_updated_at BEFORE UPDATE ON concerts FOR EACH ROW EXECUTE FUNCTION set_updated_at();
COMMENT ON TABLE concerts IS 'Concerts with their booking window (seed 001)';

CREATE TABLE concert_grades (
    concert_id UUID NOT NULL REFERENCES concerts(id) ON DELETE CASCADE,
    grade VARCHAR(10) NOT NULL CHECK (grade ~ '^[A-Z0-9]{1,10}$'),
    price DECIMAL(15,0) NOT NULL CHECK (price > 0),
    position SMALLINT NOT NULL,
    PRIMARY KEY (concert_id, grade)
);
COMMENT ON TABLE concert_grades IS 'Seat grades of a concert and their prices (VIP, R, S, ...)';

CREATE TABLE seats (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    concert_id UUID NOT NULL REFERENCES concerts(id) ON DELETE CASCADE,
    seat_number INT NOT NULL CHECK (seat_number > 0),
    section VARCHAR(10) NOT NULL CHECK (length(section) > 0),
    row_label VARCHAR(10) NOT NULL CHECK (length(row_label) > 0),
    number_in_row INT NOT NULL CHECK (number_in_row > 0),
    grade VARCHAR(10) NOT NULL,
    status VARCHAR(25) NOT NULL DEFAULT 'AVAILABLE'
        CHECK (status IN ('AVAILABLE', 'TEMPORARILY_RESERVED', 'RESERVED', 'BLOCKED')),
    temp_reserved_by UUID REFERENCES users(id) ON DELETE SET NULL,
    temp_reserved_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT seats_grade_fkey FOREIGN KEY (concert_id, grade)
        REFERENCES concert_grades(concert_id, grade),
    CONSTRAINT seats_number_key UNIQUE (concert_id, seat_number),
    CONSTRAINT seats_place_key UNIQUE (concert_id, section, row_label, number_in_row),
    CONSTRAINT seats_hold_consistent
        CHECK ((status = 'TEMPORARILY_RESERVED') = (temp_reserved_until IS NOT NULL))
);
CREATE INDEX idx_seats_concert_status ON seats(concert_id, status);
CREATE INDEX idx_seats_hold_due ON seats(temp_reserved_until) WHERE status = 'TEMPORARILY_RESERVED';
COMMENT ON TABLE seats IS 'Every seat of a concert and its state (seed 001)';

CREATE TABLE seat_reservations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The seats held together: paid, released and expired together.
    hold_id UUID NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    concert_id UUID NOT NULL REFERENCES concerts(id) ON DELETE CASCADE,
    seat_id BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    status VARCHAR(25) NOT NULL DEFAULT 'TEMPORARILY_RESERVED'
        CHECK (status IN ('TEMPORARILY_RESERVED', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
    price DECIMAL(15,0) NOT NULL CHECK (price > 0),
    reserved_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    reserved_until TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    -- Released by the holder, expired, or a ticket cancelled for a refund.
    ended_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT seat_reservations_confirmed CHECK ((status = 'CONFIRMED') <= (confirmed_at IS NOT NULL))
);
-- One active reservation per seat (seed 001's unique_active_seat_reservation).
CREATE UNIQUE INDEX seat_reservations_one_active ON seat_reservations(seat_id)
    WHERE status IN ('TEMPORARILY_RESERVED', 'CONFIRMED');
CREATE INDEX idx_seat_reservations_user ON seat_reservations(user_id, created_at DESC);
CREATE INDEX idx_seat_reservations_hold ON seat_reservations(hold_id);
CREATE INDEX idx_seat_reservations_concert ON seat_reservations(concert_id, status);
CREATE INDEX idx_seat_reservations_due ON seat_reservations(reserved_until)
    WHERE status = 'TEMPORARILY_RESERVED';
COMMENT ON TABLE seat_reservations IS 'Seat holds and bookings (seed 001 reservations)';

-- How many seats an account holds or has bought for a concert; never above
-- `tickets.max_seats_per_user` (the guarded UPDATE that takes seats checks it).
CREATE TABLE ticket_quotas (
    concert_id UUID NOT NULL REFERENCES concerts(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    seats INT NOT NULL CHECK (seats >= 0),
    PRIMARY KEY (concert_id, user_id)
);

CREATE TABLE ticket_payments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    concert_id UUID NOT NULL REFERENCES concerts(id) ON DELETE CASCADE,
    hold_id UUID NOT NULL,
    amount DECIMAL(15,0) NOT NULL CHECK (amount > 0),
    status VARCHAR(20) NOT NULL DEFAULT 'COMPLETED'
        CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    payment_method VARCHAR(20) NOT NULL DEFAULT 'BALANCE' CHECK (payment_method IN ('BALANCE')),
    previous_balance DECIMAL(15,0) NOT NULL,
    remaining_balance DECIMAL(15,0) NOT NULL,
    refunded_amount DECIMAL(15,0) NOT NULL DEFAULT 0,
    paid_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT ticket_payments_hold_key UNIQUE (hold_id),
    CONSTRAINT ticket_payments_balance CHECK (remaining_balance = previous_balance - amount),
    CONSTRAINT ticket_payments_refund_within CHECK (refunded_amount BETWEEN 0 AND amount)
);
CREATE INDEX idx_ticket_payments_user ON ticket_payments(user_id, status);
COMMENT ON TABLE ticket_payments IS 'Payments for seat holds, from the point balance (seed 001 payments)';

-- Keys the app signs with (ticket codes, waiting-room passes), made on first use so that
-- every instance on this database signs and checks with the same key.
CREATE TABLE app_secrets (
    name VARCHAR(50) PRIMARY KEY,
    secret BYTEA NOT NULL CHECK (length(secret) >= 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The waiting room (seed 001's Redis queue). The line itself lives in Redis; what makes it
-- auditable after the sale lives here: how the pre-queue was shuffled at opening (the seed and
-- the members in the order the shuffle started from), and every admission in order.
CREATE TABLE queue_rounds (
    concert_id UUID PRIMARY KEY REFERENCES concerts(id) ON DELETE CASCADE,
    seed BIGINT NOT NULL,
    -- The pre-queue sorted by user id: the shuffle's input.
    members UUID[] NOT NULL,
    shuffled_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE queue_admissions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    concert_id UUID NOT NULL REFERENCES concerts(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- The place in line when admitted (1 = first), and whether it came from the pre-queue.
    position BIGINT NOT NULL,
    pre_queue BOOLEAN NOT NULL,
    admitted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_queue_admissions_concert ON queue_admissions(concert_id, id);
