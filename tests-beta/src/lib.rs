//! End-to-end tests of graphwire-intune-beta live in `tests/`.
