//! The admin console's rules, tested on Postgres.

pub mod notices;

#[cfg(test)]
mod notices_tests;
