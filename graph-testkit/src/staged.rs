//! Uploads a service stages in Azure Blob Storage before it commits them (an Intune app's
//! content file), as the declaring crate registered them ([`StagedUpload`]): the session's
//! states on the Graph resource, a blob endpoint on loopback for its SAS URL (Put Block, Put
//! Block List), and the commit's check of what was uploaded.
//!
//! The session's states move on when the client reads the resource, as the service's do while
//! a client polls: `POST …/files` leaves it asking for a SAS URL, the next GET gives one; a
//! `renewUpload` and a `commit` are likewise answered by the next GET.

use std::collections::BTreeMap;

use bytes::Bytes;
use graphwire_core::meta::StagedUpload;
use serde_json::{Value, json};

use crate::message::{Body, EmuResponse};
use crate::state::{State, lock};
use crate::upload_sessions::{Session, Sessions};

/// Where the blob endpoint is served: `{base}/_blob/{session}?…&sig=…`.
pub const BLOB_PATH: &str = "/_blob/{session}";

/// How long a SAS URL the emulator hands out stays valid (wall clock, as the service's
/// `azureStorageUriExpirationDateTime` is).
const SAS_LIFETIME: std::time::Duration = std::time::Duration::from_secs(3600);

/// The most a single Put Block may carry (Azure's limit is far larger; the client's blocks are
/// a few MiB).
pub const MAX_BLOCK_BYTES: usize = 64 * 1024 * 1024;

/// The staged upload a collection's template is registered for.
fn upload_for_collection(template: &str) -> Option<&'static StagedUpload> {
    StagedUpload::all().find(|u| template.ends_with(u.collection_suffix))
}

/// The staged upload an item's template (`…/files/{id}`) or an action on it
/// (`…/files/{id}/commit`) belongs to, and which action, if any.
fn upload_for_item(template: &str) -> Option<(&'static StagedUpload, Option<&str>)> {
    StagedUpload::all().find_map(|u| {
        let (_, rest) = template.rsplit_once(u.collection_suffix)?;
        let mut segments = rest.trim_start_matches('/').split('/');
        let item = segments.next()?;
        if !item.starts_with('{') {
            return None;
        }
        match (segments.next(), segments.next()) {
            (None, _) => Some((u, None)),
            (Some(action), None) => Some((u, Some(action))),
            _ => None,
        }
    })
}

fn now_plus(lifetime: std::time::Duration) -> String {
    graphwire_core::DateTimeOffset::from_offset_date_time(
        time::OffsetDateTime::now_utc() + lifetime,
    )
    .to_string()
}

/// After `POST` created `members` at `key` in a collection at `template`: an upload session,
/// asking for its SAS URL.
pub(crate) fn created(
    state: &State,
    tenant: &str,
    template: &str,
    key: &[String],
    members: &mut serde_json::Map<String, Value>,
) {
    let Some(upload) = upload_for_collection(template) else {
        return;
    };
    let wire = upload.wire;
    members.insert(wire.state.into(), json!(wire.uri_pending));
    members.insert(wire.committed.into(), json!(false));
    let id = uuid::Uuid::new_v4().simple().to_string();
    lock(&state.uploads).by_id.insert(
        id,
        Session {
            upload,
            tenant: tenant.to_owned(),
            resource: key.to_vec(),
            signature: String::new(),
            valid: false,
            blocks: BTreeMap::new(),
            committed: None,
            accepted_blocks: 0,
            commit: None,
        },
    );
}

/// Before a GET of the resource at `key` (item template `template`) answers: moves a pending
/// session to its next state, as the service does while the client polls.
pub(crate) fn advance(state: &State, tenant: &str, template: &str, key: &[String]) {
    let Some((upload, None)) = upload_for_item(template) else {
        return;
    };
    let wire = upload.wire;
    let mut store = state.store(tenant);
    let Some(Value::Object(mut members)) = store.get(key).cloned() else {
        return;
    };
    let mut sessions = lock(&state.uploads);
    let Some((id, session)) = sessions
        .by_id
        .iter_mut()
        .find(|(_, s)| s.tenant == tenant && s.resource == key)
    else {
        return;
    };
    let current = members
        .get(wire.state)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let sign = |session: &mut Session, members: &mut serde_json::Map<String, Value>| {
        session.signature = uuid::Uuid::new_v4().simple().to_string();
        session.valid = true;
        let expiry = now_plus(SAS_LIFETIME);
        members.insert(
            wire.uri.into(),
            json!(format!(
                "{}_blob/{id}?sv=2019-02-02&sr=b&sp=rcw&se={}&sig={}",
                state.base_url,
                expiry.replace(':', "%3A"),
                session.signature
            )),
        );
        members.insert(wire.uri_expiry.into(), json!(expiry));
    };
    if current == wire.uri_pending {
        sign(session, &mut members);
        members.insert(wire.state.into(), json!(wire.uri_ready));
    } else if current == wire.renew_pending {
        sign(session, &mut members);
        members.insert(wire.state.into(), json!(wire.renew_ready));
    } else if current == wire.commit_pending {
        let verdict = commit_verdict(state, session, &members);
        match verdict {
            Ok(()) => {
                members.insert(wire.state.into(), json!(wire.commit_success));
                members.insert(wire.committed.into(), json!(true));
            }
            Err(_) => {
                members.insert(wire.state.into(), json!(wire.commit_failed));
            }
        }
    } else {
        return;
    }
    store.put(key.to_vec(), Value::Object(members));
}

/// Whether what was put to the blob commits: a block list was committed, its size is the
/// resource's encrypted size, and the declaring crate's check of it against the commit's
/// body passes.
fn commit_verdict(
    state: &State,
    session: &Session,
    members: &serde_json::Map<String, Value>,
) -> Result<(), String> {
    if state.config.upload_faults.fail_commits {
        return Err("the fault plan fails every commit".into());
    }
    let wire = session.upload.wire;
    let content = session
        .committed
        .as_ref()
        .ok_or("no block list was committed")?;
    let size = members.get(wire.size).and_then(Value::as_i64);
    if size != i64::try_from(content.len()).ok() {
        return Err(format!(
            "the committed blob has {} bytes, the resource's `{}` says {size:?}",
            content.len(),
            wire.size
        ));
    }
    let commit = session.commit.as_ref().ok_or("no commit was asked for")?;
    (session.upload.verify)(content, commit)
}

/// A `POST …/files/{id}/{action}`: `commit` and `renewUpload` move the session to their
/// pending state; `None` when the path is no staged upload's action.
pub(crate) fn action(
    state: &State,
    tenant: &str,
    template: &str,
    key: &[String],
    body: Option<&Value>,
) -> Option<EmuResponse> {
    let (upload, Some(action)) = upload_for_item(template)? else {
        return None;
    };
    let wire = upload.wire;
    let resource = &key[..key.len().saturating_sub(1)];
    let mut store = state.store(tenant);
    let Some(Value::Object(mut members)) = store.get(resource).cloned() else {
        return Some(crate::message::error(
            404,
            "ResourceNotFound",
            "Resource not found",
        ));
    };
    let mut sessions = lock(&state.uploads);
    let session = sessions
        .by_id
        .values_mut()
        .find(|s| s.tenant == tenant && s.resource == resource)?;
    let next = if action == wire.commit_action {
        session.commit = body.cloned();
        wire.commit_pending
    } else if action == wire.renew_action {
        wire.renew_pending
    } else {
        return None;
    };
    members.insert(wire.state.into(), json!(next));
    store.put(resource.to_vec(), Value::Object(members));
    Some(EmuResponse::empty(204))
}

/// An Azure Storage error answer: XML with its code, as the storage service writes it.
pub(crate) fn storage_error(status: u16, code: &str, message: &str) -> EmuResponse {
    EmuResponse {
        status,
        headers: vec![("x-ms-error-code".into(), code.into())],
        body: Body::Text(
            format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>"
            ),
            "application/xml",
        ),
    }
}

/// Put Block and Put Block List on session `session_id`, checked against its SAS signature.
pub(crate) fn put(
    state: &State,
    session_id: &str,
    query: Option<&str>,
    body: Bytes,
) -> EmuResponse {
    let query: BTreeMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let mut sessions = lock(&state.uploads);
    let failing = state.config.upload_faults.failing_blocks;
    let Sessions {
        by_id,
        failed_blocks,
    } = &mut *sessions;
    let Some(session) = by_id.get_mut(session_id) else {
        return storage_error(404, "BlobNotFound", "The specified blob does not exist.");
    };
    let signed = query.get("sig").is_some_and(|s| *s == session.signature);
    if !signed || !session.valid {
        return storage_error(
            403,
            "AuthenticationFailed",
            "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
        );
    }
    match query.get("comp").map(String::as_str) {
        Some("block") => {
            let Some(block_id) = query.get("blockid") else {
                return storage_error(400, "MissingRequiredQueryParameter", "blockid is required.");
            };
            if *failed_blocks < failing {
                *failed_blocks += 1;
                return storage_error(
                    500,
                    "InternalError",
                    "The server encountered an internal error.",
                );
            }
            session.blocks.insert(block_id.clone(), body);
            session.accepted_blocks += 1;
            if state
                .config
                .upload_faults
                .expire_after_blocks
                .is_some_and(|n| session.accepted_blocks == n)
            {
                session.valid = false;
            }
            EmuResponse::empty(201)
        }
        Some("blocklist") => match block_list(&body) {
            Ok(ids) => {
                let mut content = Vec::new();
                for id in &ids {
                    let Some(block) = session.blocks.get(id) else {
                        return storage_error(
                            400,
                            "InvalidBlockList",
                            "The specified block list is invalid.",
                        );
                    };
                    content.extend_from_slice(block);
                }
                session.committed = Some(Bytes::from(content));
                EmuResponse::empty(201)
            }
            Err(message) => storage_error(400, "InvalidXmlDocument", &message),
        },
        _ => storage_error(
            400,
            "InvalidQueryParameterValue",
            "comp must be block or blocklist.",
        ),
    }
}

/// The block ids of a Put Block List body, in order
/// (`<BlockList><Latest>…</Latest>…</BlockList>`); Azure wants them all of one length.
fn block_list(body: &[u8]) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the block list is not UTF-8".to_owned())?;
    let document =
        roxmltree::Document::parse(text).map_err(|e| format!("the block list is not XML: {e}"))?;
    let root = document.root_element();
    if root.tag_name().name() != "BlockList" {
        return Err("the block list's root element must be BlockList".into());
    }
    let ids: Vec<String> = root
        .children()
        .filter(|n| n.is_element())
        .filter(|n| matches!(n.tag_name().name(), "Latest" | "Uncommitted" | "Committed"))
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
        .collect();
    if ids.windows(2).any(|w| w[0].len() != w[1].len()) {
        return Err("the block ids must all have the same length".into());
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_lists_are_read_in_order_and_checked() {
        assert_eq!(
            block_list(b"<?xml version=\"1.0\"?><BlockList><Latest>AA==</Latest><Latest>AQ==</Latest></BlockList>"),
            Ok(vec!["AA==".to_owned(), "AQ==".to_owned()])
        );
        assert_eq!(
            block_list(b"<BlockList><Latest>AA==</Latest><Latest>AAAAAA==</Latest></BlockList>"),
            Err("the block ids must all have the same length".to_owned())
        );
        assert_eq!(
            block_list(b"<Blocks/>"),
            Err("the block list's root element must be BlockList".to_owned())
        );
    }
}
