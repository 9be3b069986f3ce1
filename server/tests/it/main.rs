//! The server's HTTP and integration tests, one binary: each module starts app instances
//! through `startup::serve` (see `common::TestApp`) on a fresh database.

mod common;

mod admin_http;
mod assets;
mod authz;
mod cache_invalidation;
mod cart_http;
mod forms;
mod integrity;
mod me_http;
mod notices_http;
mod orders_http;
mod payments_http;
mod pg_sim;
mod plan_change;
mod plan_change_http;
mod rest_catalog;
mod rest_contract;
mod security;
mod sessions;
mod tickets_http;
mod uploads;
