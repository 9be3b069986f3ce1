//! The Jangteo server: configuration, router, HTTP middleware, REST API and background jobs.
//! `main.rs` is only the command line around this library, so tests can build the same router.

pub mod bench_baseline;
pub mod config;
pub mod http;
pub mod jobs;
pub mod kos_sim;
pub mod pg_sim;
pub mod rest;
pub mod rush;
pub mod rush_tickets;
pub mod scale;
pub mod seed;
pub mod seed_catalog;
pub mod seed_concerts;
pub mod seed_history;
pub mod seed_images;
pub mod seed_orders;
pub mod startup;
