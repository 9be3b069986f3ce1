//! The admin console's rules, tested on Postgres.

pub mod notices;

pub mod audit;
pub mod configs;
#[cfg(test)]
mod notices_tests;
pub mod users;

#[cfg(test)]
mod users_tests;
