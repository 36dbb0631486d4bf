//! The upload sessions an emulator holds (what `staged` serves): each content file's blob
//! blocks, committed content and commit body.

use std::collections::BTreeMap;

use bytes::Bytes;
use graphwire_core::meta::StagedUpload;
use serde_json::Value;

/// One upload session: the Graph resource it belongs to and what was put to its blob.
#[derive(Debug)]
pub(crate) struct Session {
    pub upload: &'static StagedUpload,
    pub tenant: String,
    /// The store key of the Graph resource (`…/files/{id}`).
    pub resource: Vec<String>,
    /// The signature the current SAS URL carries.
    pub signature: String,
    /// False once the SAS URL has expired (a fault), until renewed.
    pub valid: bool,
    pub blocks: BTreeMap<String, Bytes>,
    pub committed: Option<Bytes>,
    pub accepted_blocks: usize,
    /// The commit's body, once a commit was asked for.
    pub commit: Option<Value>,
}

/// All sessions of an emulator, and how many blocks the fault plan has failed so far.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    pub by_id: BTreeMap<String, Session>,
    pub failed_blocks: usize,
}
