//! The seller's stock console.

mod movements;
mod stock;

pub use movements::MovementsPage;
pub use stock::{LowStockAlerts, StockPage};
