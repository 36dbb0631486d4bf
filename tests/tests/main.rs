//! graph-tests' integration tests, one module per concern, in one binary: each file here was
//! once a binary of its own, and each linked the client, the emulator and graphwire-intune.
//! `generated_endpoints.rs`, `traces.rs` and `hostile_clients.rs` stay binaries of their own
//! (`Cargo.toml` says why). Run one module with `cargo test -p graph-tests --test integration
//! <module>::`.

mod common;

mod answer_shapes;
mod batch;
mod client;
mod credentials;
mod emulator;
mod emulator_rules;
mod endpoints;
mod entities;
mod hostile_local_sources;
mod hostile_packages;
mod hostile_servers;
mod https;
mod intune_e2e;
mod pacing;
mod production_credentials;
mod properties;
mod reliability;
mod reports;
mod structure;
mod surface;
mod win32_upload;
