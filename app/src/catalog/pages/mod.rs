//! Catalog pages.
