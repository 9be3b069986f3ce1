//! The shopper's point balance page.

mod points;

pub use points::PointsPage;
