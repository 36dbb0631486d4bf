//! A local Microsoft Graph emulator for tests and examples.

pub mod vectors;
