//! Server functions for the catalog.
