//! The admin console's rules, tested on Postgres.

pub mod audit;
pub mod configs;
pub mod dashboard;
pub mod notices;
pub mod users;

#[cfg(test)]
mod dashboard_tests;
#[cfg(test)]
mod notices_tests;
#[cfg(test)]
mod users_tests;
