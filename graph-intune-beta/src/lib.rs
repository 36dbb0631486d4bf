//! Microsoft Intune on Microsoft Graph beta (`/deviceManagement`, `/deviceAppManagement`),
//! generated from Microsoft's beta SDK by graph-codegen: one handler per area, each area a
//! Cargo feature. See the README.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[rustfmt::skip]
mod generated;

pub use generated::*;

use graphwire_core::{GraphClient, graph_handler};

graph_handler! {
    /// Intune's beta endpoints, reached from a client with [`IntuneBetaExt::intune_beta`]: the
    /// singleton's own endpoints are its methods, and each area's are on the handler its
    /// accessor returns (`client.intune_beta().configuration_policies()`).
    pub struct IntuneBeta;
}

/// Adds `.intune_beta()` to [`GraphClient`].
pub trait IntuneBetaExt {
    /// Intune's beta endpoints, sharing this client.
    fn intune_beta(&self) -> IntuneBeta;
}

impl IntuneBetaExt for GraphClient {
    fn intune_beta(&self) -> IntuneBeta {
        IntuneBeta::new(self.clone())
    }
}

/// The crate README's example, compiled and run as a doctest.
#[cfg(all(doctest, feature = "configuration-policies"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
