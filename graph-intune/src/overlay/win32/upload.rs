//! Uploading a Win32 LOB app's content, in the order Intune wants it: the app (created, or
//! one that exists), a content version, a content file with its sizes, the Azure Storage SAS
//! URL once the service has one, the encrypted content in blocks (Put Block, then Put Block
//! List; bounded parallelism; the SAS URL renewed through `renewUpload` when it nears expiry or
//! the storage says it expired), the commit with the encryption info, and the app's
//! `committedContentVersion`.
//!
//! The SAS URL is not a Graph host: [`GraphClient::put_to_link`] sends no token there, and
//! only https (or http to loopback).

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use graphwire_core::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use graphwire_core::{GraphApi, GraphClient, Secret};

use super::package::{IntuneWinPackage, PackageError};
use crate::mobile_apps::MobileAppsHandler;
use crate::{
    CommitParameters, MobileApp, MobileAppContent, MobileAppContentFile, MobileAppContentFileId,
    MobileAppContentFileUploadState as State, MobileAppContentId, MobileAppId, Win32LobApp,
};

/// Where an upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadPhase {
    /// Creating the `win32LobApp` (skipped for an existing app).
    CreatingApp,
    /// Creating the content version and the content file.
    CreatingContent,
    /// Waiting for the service's Azure Storage SAS URL.
    WaitingForStorage,
    /// Putting the encrypted content's blocks.
    Uploading,
    /// Renewing the SAS URL (`renewUpload`).
    RenewingStorage,
    /// Committing the file with its encryption info, and waiting for the service to check it.
    Committing,
    /// Setting the app's `committedContentVersion`.
    Finishing,
    /// Done.
    Done,
}

/// One progress report: the phase, and the encrypted bytes the storage has accepted of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadProgress {
    /// Where the upload is.
    pub phase: UploadPhase,
    /// Encrypted bytes accepted by the storage so far.
    pub bytes_sent: u64,
    /// The encrypted content's size.
    pub bytes_total: u64,
}

/// Why an upload stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadError {
    /// The package is not usable (nothing was created).
    Package(PackageError),
    /// A Graph call failed.
    Graph(graphwire_core::Error),
    /// Azure Storage refused a block or the block list.
    Storage {
        /// Its HTTP status.
        status: u16,
        /// Its error code (`x-ms-error-code`), if it gave one.
        code: Option<String>,
    },
    /// The service failed a step: its `uploadState` (`commitFileFailed`,
    /// `azureStorageUriRequestFailed`, …).
    Failed {
        /// The phase.
        phase: UploadPhase,
        /// The state, as Graph writes it.
        state: String,
    },
    /// The service did not finish a step in time.
    TimedOut {
        /// The phase.
        phase: UploadPhase,
        /// How long the upload waited.
        waited: Duration,
    },
    /// An answer lacked what the next step needs (an id, a SAS URL).
    Unexpected {
        /// What was missing.
        what: &'static str,
    },
}

impl std::fmt::Display for UploadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Package(e) => write!(f, "{e}"),
            Self::Graph(e) => write!(f, "{e}"),
            Self::Storage { status, code } => write!(
                f,
                "Azure Storage answered {status}{}",
                code.as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            ),
            Self::Failed { phase, state } => {
                write!(
                    f,
                    "the service failed the upload while {phase:?}: uploadState `{state}`"
                )
            }
            Self::TimedOut { phase, waited } => write!(
                f,
                "the service did not finish {phase:?} within {} s",
                waited.as_secs()
            ),
            Self::Unexpected { what } => write!(f, "the service's answer has no {what}"),
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Package(e) => Some(e),
            Self::Graph(e) => Some(e),
            _ => None,
        }
    }
}

impl From<graphwire_core::Error> for UploadError {
    fn from(e: graphwire_core::Error) -> Self {
        Self::Graph(e)
    }
}

impl From<PackageError> for UploadError {
    fn from(e: PackageError) -> Self {
        Self::Package(e)
    }
}

/// Which app the content is for.
#[derive(Debug, Clone)]
pub enum AppTarget {
    /// Create this `win32LobApp` first.
    Create(Box<Win32LobApp>),
    /// Upload a new content version of an app that exists.
    Existing(MobileAppId),
}

/// How an upload runs. The defaults suit Intune: 6 MiB blocks, 4 in flight, the service's
/// states polled every 2 s for up to 10 minutes, the SAS URL renewed 2 minutes before it
/// expires.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UploadOptions {
    /// Bytes per block.
    pub block_size: usize,
    /// Blocks in flight at once.
    pub parallel_blocks: usize,
    /// Between two reads of the content file's state.
    pub poll_interval: Duration,
    /// The longest the upload waits for one of the service's steps.
    pub step_timeout: Duration,
    /// Renew the SAS URL once it expires within this.
    pub renew_before: Duration,
    /// How many times one block (or the block list) is sent before the storage's answer is
    /// the error: the client's one retry engine sends it again after a 408, 429, 500, 502,
    /// 503 or 504 (the statuses blob storage recovers from) or a dropped connection, with the
    /// client's backoff, within its deadline.
    pub block_attempts: u32,
}

impl Default for UploadOptions {
    fn default() -> Self {
        Self {
            block_size: 6 * 1024 * 1024,
            parallel_blocks: 4,
            poll_interval: Duration::from_secs(2),
            step_timeout: Duration::from_secs(600),
            renew_before: Duration::from_secs(120),
            block_attempts: 4,
        }
    }
}

impl UploadOptions {
    /// Bytes per block (at least 1).
    pub fn block_size(mut self, bytes: usize) -> Self {
        self.block_size = bytes.max(1);
        self
    }

    /// Blocks in flight at once (at least 1).
    pub fn parallel_blocks(mut self, n: usize) -> Self {
        self.parallel_blocks = n.max(1);
        self
    }

    /// Between two reads of the content file's state.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// The longest the upload waits for one of the service's steps.
    pub fn step_timeout(mut self, timeout: Duration) -> Self {
        self.step_timeout = timeout;
        self
    }

    /// Renew the SAS URL once the service says it expires within this.
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }

    /// How many times one block is sent before the storage's error is the error (at least 1;
    /// at most 11, the retry policy's cap of 10 retries).
    pub fn block_attempts(mut self, attempts: u32) -> Self {
        self.block_attempts = attempts.max(1);
        self
    }
}

type ProgressFn = Arc<dyn Fn(UploadProgress) + Send + Sync>;

/// A Win32 app upload, configured: `.await` it (through [`Win32Upload::run`]). Dropping the
/// future cancels the upload between requests (what the service already holds stays: an app,
/// an uncommitted content version).
pub struct Win32Upload {
    apps: MobileAppsHandler,
    package: IntuneWinPackage,
    target: AppTarget,
    options: UploadOptions,
    progress: Option<ProgressFn>,
}

impl std::fmt::Debug for Win32Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Win32Upload")
            .field("package", &self.package.detection().name)
            .field("target", &self.target)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl MobileAppsHandler {
    /// Uploads a `.intunewin` package as a Win32 LOB app's content, end to end (create the
    /// app or take `target`'s, content version, content file, blocks to Azure Storage,
    /// commit, `committedContentVersion`); see [`Win32Upload`]. Needs the crate feature
    /// `win32-apps`.
    ///
    /// ```no_run
    /// # async fn run(client: graphwire_core::GraphClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use graphwire_intune::IntuneExt;
    /// use graphwire_intune::win32::{AppTarget, IntuneWinPackage};
    ///
    /// let package = IntuneWinPackage::open("setup.intunewin")?;
    /// let app = graphwire_intune::win32::new_app(&package, "Contoso Agent", "Contoso");
    /// let uploaded = client
    ///     .intune()
    ///     .mobile_apps()
    ///     .upload_win32(package, AppTarget::Create(Box::new(app)))
    ///     .on_progress(|p| println!("{:?}: {}/{}", p.phase, p.bytes_sent, p.bytes_total))
    ///     .run()
    ///     .await?;
    /// println!("committed content version {:?}", uploaded.committed_content_version);
    /// # Ok(()) }
    /// ```
    pub fn upload_win32(&self, package: IntuneWinPackage, target: AppTarget) -> Win32Upload {
        Win32Upload {
            apps: self.clone(),
            package,
            target,
            options: UploadOptions::default(),
            progress: None,
        }
    }
}

/// The SAS URL in use, and how many times it was renewed (so parallel blocks renew once).
struct Storage {
    uri: Secret,
    /// When the service says the SAS URL expires.
    expires: Option<std::time::SystemTime>,
    generation: u64,
}

/// What the blocks share while they upload.
struct Blocks<'a> {
    upload: &'a Win32Upload,
    file: FileRef<'a>,
    storage: tokio::sync::Mutex<Storage>,
    sent: std::sync::atomic::AtomicU64,
}

/// The content file's path ids.
#[derive(Clone, Copy)]
struct FileRef<'a> {
    app: &'a MobileAppId,
    version: &'a MobileAppContentId,
    file: &'a MobileAppContentFileId,
}

impl Win32Upload {
    /// Replaces the options.
    pub fn options(mut self, options: UploadOptions) -> Self {
        self.options = options;
        self
    }

    /// Calls `report` at each phase and after each block the storage accepted.
    pub fn on_progress(mut self, report: impl Fn(UploadProgress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }

    fn report(&self, phase: UploadPhase, bytes_sent: u64) {
        if let Some(report) = &self.progress {
            report(UploadProgress {
                phase,
                bytes_sent,
                bytes_total: self.package.encrypted_size(),
            });
        }
    }

    fn client(&self) -> &GraphClient {
        self.apps.graph_client()
    }

    /// Runs the upload; answers with the app as the service then has it.
    pub async fn run(self) -> Result<Win32LobApp, UploadError> {
        let detection = self.package.detection().clone();
        let app_id = match &self.target {
            AppTarget::Create(app) => {
                self.report(UploadPhase::CreatingApp, 0);
                let created = self.apps.create(&MobileApp::from((**app).clone())).await?;
                created.id.clone().ok_or(UploadError::Unexpected {
                    what: "id for the created app",
                })?
            }
            AppTarget::Existing(id) => id.clone(),
        };
        let win32 = self.apps.as_win32_lob_app();
        self.report(UploadPhase::CreatingContent, 0);
        let version = win32
            .content_versions_create(&app_id, &MobileAppContent::default())
            .await?;
        let version_id = version.id.ok_or(UploadError::Unexpected {
            what: "id for the content version",
        })?;
        let file = win32
            .content_version_files_create(
                &app_id,
                &version_id,
                &MobileAppContentFile {
                    name: detection.file_name.clone().into(),
                    size: Some(to_int64(detection.unencrypted_content_size)),
                    size_encrypted: Some(to_int64(self.package.encrypted_size())),
                    is_dependency: Some(false),
                    ..MobileAppContentFile::default()
                },
            )
            .await?;
        let file_id = file.id.ok_or(UploadError::Unexpected {
            what: "id for the content file",
        })?;
        let at = FileRef {
            app: &app_id,
            version: &version_id,
            file: &file_id,
        };
        self.report(UploadPhase::WaitingForStorage, 0);
        let ready = self
            .wait_for(
                at,
                UploadPhase::WaitingForStorage,
                State::AzureStorageUriRequestSuccess,
            )
            .await?;
        let uri = storage_uri(&ready)?;
        let blocks = Blocks {
            upload: &self,
            file: at,
            storage: tokio::sync::Mutex::new(Storage {
                uri,
                expires: expiry(&ready),
                generation: 0,
            }),
            sent: std::sync::atomic::AtomicU64::new(0),
        };
        self.report(UploadPhase::Uploading, 0);
        let ids = blocks.put_all().await?;
        blocks.put_block_list(&ids).await?;
        self.report(UploadPhase::Committing, self.package.encrypted_size());
        win32
            .content_version_file_commit(
                &app_id,
                &version_id,
                &file_id,
                &CommitParameters::new(detection.encryption.to_graph()),
            )
            .await?;
        self.wait_for(at, UploadPhase::Committing, State::CommitFileSuccess)
            .await?;
        self.report(UploadPhase::Finishing, self.package.encrypted_size());
        let mut committed = Win32LobApp::default();
        committed.base.committed_content_version = version_id.to_string().into();
        self.apps
            .update(&app_id, &MobileApp::from(committed))
            .await?;
        let app = win32.get(&app_id).await?;
        self.report(UploadPhase::Done, self.package.encrypted_size());
        Ok(app)
    }

    /// Reads the content file until its `uploadState` is `wanted`; a `…Failed` or `…TimedOut`
    /// state, or waiting longer than the step timeout, is the typed error.
    async fn wait_for(
        &self,
        at: FileRef<'_>,
        phase: UploadPhase,
        wanted: State,
    ) -> Result<MobileAppContentFile, UploadError> {
        let started = tokio::time::Instant::now();
        loop {
            let file = self
                .apps
                .as_win32_lob_app()
                .content_version_file_get(at.app, at.version, at.file)
                .await?;
            match &file.upload_state {
                Some(state) if *state == wanted => return Ok(file),
                Some(
                    state @ (State::AzureStorageUriRequestFailed
                    | State::AzureStorageUriRequestTimedOut
                    | State::AzureStorageUriRenewalFailed
                    | State::AzureStorageUriRenewalTimedOut
                    | State::CommitFileFailed
                    | State::CommitFileTimedOut
                    | State::Error),
                ) => {
                    return Err(UploadError::Failed {
                        phase,
                        state: state.to_string(),
                    });
                }
                _ => {}
            }
            let waited = started.elapsed();
            if waited >= self.options.step_timeout {
                return Err(UploadError::TimedOut { phase, waited });
            }
            tokio::time::sleep(self.options.poll_interval).await;
        }
    }
}

fn to_int64(n: u64) -> graphwire_core::Int64 {
    graphwire_core::Int64::from(i64::try_from(n).unwrap_or(i64::MAX))
}

/// When the content file's SAS URL expires, as the service says.
fn expiry(file: &MobileAppContentFile) -> Option<std::time::SystemTime> {
    let at = file.azure_storage_uri_expiration_date_time.value()?;
    Some(std::time::SystemTime::from(at.as_offset_date_time()))
}

fn storage_uri(file: &MobileAppContentFile) -> Result<Secret, UploadError> {
    file.azure_storage_uri
        .value()
        .map(|uri| Secret::new(uri.clone()))
        .ok_or(UploadError::Unexpected {
            what: "azureStorageUri",
        })
}

/// The SAS URL with more query parameters (`comp=block&blockid=…`).
fn with_query(uri: &str, extra: &str) -> String {
    if uri.contains('?') {
        format!("{uri}&{extra}")
    } else {
        format!("{uri}?{extra}")
    }
}

/// A block's id: the same length for every block, as Azure requires.
fn block_id(index: usize) -> String {
    BASE64.encode(format!("block-{index:08}"))
}

/// Azure Storage's answer that the SAS signature is no longer good.
fn is_expired(response: &graphwire_core::RawResponse) -> bool {
    response.status().as_u16() == 403
}

fn storage_error(response: &graphwire_core::RawResponse) -> UploadError {
    UploadError::Storage {
        status: response.status().as_u16(),
        code: response
            .headers()
            .get("x-ms-error-code")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

impl Blocks<'_> {
    /// Every block, at most `parallel_blocks` in flight; their ids in order.
    async fn put_all(&self) -> Result<Vec<String>, UploadError> {
        let size = self.upload.package.encrypted_size();
        let block = self.upload.options.block_size as u64;
        let count = usize::try_from(size.div_ceil(block)).unwrap_or(usize::MAX);
        futures_util::stream::iter(0..count)
            .map(|index| self.put_block(index))
            .buffered(self.upload.options.parallel_blocks)
            .try_collect()
            .await
    }

    async fn put_block(&self, index: usize) -> Result<String, UploadError> {
        let size = self.upload.package.encrypted_size();
        let offset = index as u64 * self.upload.options.block_size as u64;
        let len = usize::try_from((size - offset).min(self.upload.options.block_size as u64))
            .unwrap_or(self.upload.options.block_size);
        let package = self.upload.package.clone();
        let bytes: Bytes = tokio::task::spawn_blocking(move || package.read_encrypted(offset, len))
            .await
            .map_err(|_| UploadError::Unexpected {
                what: "content block (the reading task stopped)",
            })?
            .map_err(|e| {
                UploadError::Package(PackageError::Integrity {
                    reason: format!("cannot read the content: {e}"),
                })
            })?;
        let id = block_id(index);
        let query = format!("comp=block&blockid={}", url_encode(&id));
        let response = self.put(&query, HeaderMap::new(), bytes).await?;
        if !response.status().is_success() {
            return Err(storage_error(&response));
        }
        let sent = self
            .sent
            .fetch_add(len as u64, std::sync::atomic::Ordering::Relaxed)
            + len as u64;
        self.upload.report(UploadPhase::Uploading, sent);
        Ok(id)
    }

    /// Put Block List: the blocks, in order, committed as the blob.
    async fn put_block_list(&self, ids: &[String]) -> Result<(), UploadError> {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        for id in ids {
            xml.push_str(&format!("<Latest>{id}</Latest>"));
        }
        xml.push_str("</BlockList>");
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/xml"));
        let response = self
            .put("comp=blocklist", headers, Bytes::from(xml))
            .await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(storage_error(&response))
        }
    }

    /// One PUT to the SAS URL, renewing it first when it nears expiry and once more when the
    /// storage says it expired; the client's retry engine sends it again (`block_attempts`
    /// in all) after the storage's retryable answers.
    async fn put(
        &self,
        query: &str,
        headers: HeaderMap,
        body: Bytes,
    ) -> Result<graphwire_core::RawResponse, UploadError> {
        let mut renewed = false;
        let client = self.upload.client();
        let policy = client
            .retry_policy()
            .with_max_retries(self.upload.options.block_attempts.saturating_sub(1));
        loop {
            let (uri, expires, generation) = {
                let storage = self.storage.lock().await;
                (storage.uri.clone(), storage.expires, storage.generation)
            };
            let nearly_expired = expires.is_some_and(|at| {
                at.duration_since(std::time::SystemTime::now())
                    .is_ok_and(|left| left < self.upload.options.renew_before)
                    || at <= std::time::SystemTime::now()
            });
            if nearly_expired && !renewed {
                self.renew(generation).await?;
                renewed = true;
                continue;
            }
            let response = graphwire_core::with_retry_policy(
                policy.clone(),
                client.put_to_link(
                    &with_query(uri.expose(), query),
                    headers.clone(),
                    body.clone(),
                ),
            )
            .await?;
            if is_expired(&response) && !renewed {
                self.renew(generation).await?;
                renewed = true;
                continue;
            }
            return Ok(response);
        }
    }

    /// `renewUpload`, then the new SAS URL once the service has it; done once for all the
    /// blocks that saw generation `seen` expire.
    async fn renew(&self, seen: u64) -> Result<(), UploadError> {
        let mut storage = self.storage.lock().await;
        if storage.generation != seen {
            return Ok(());
        }
        self.upload.report(
            UploadPhase::RenewingStorage,
            self.sent.load(std::sync::atomic::Ordering::Relaxed),
        );
        let at = self.file;
        self.upload
            .apps
            .as_win32_lob_app()
            .content_version_file_renew_upload(at.app, at.version, at.file)
            .await?;
        let file = self
            .upload
            .wait_for(
                at,
                UploadPhase::RenewingStorage,
                State::AzureStorageUriRenewalSuccess,
            )
            .await?;
        storage.uri = storage_uri(&file)?;
        storage.expires = expiry(&file);
        storage.generation += 1;
        Ok(())
    }
}

/// Percent-encodes a query value (a block id is base64: `+`, `/` and `=` need it).
fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_ids_have_one_length_and_are_escaped_in_the_query() {
        assert_eq!(block_id(0), "YmxvY2stMDAwMDAwMDA=");
        assert_eq!(block_id(0).len(), block_id(99_999_999).len());
        assert_eq!(url_encode("YmxvY2st+/=="), "YmxvY2st%2B%2F%3D%3D");
        assert_eq!(
            with_query("https://a.blob/x?sv=1&sig=s", "comp=blocklist"),
            "https://a.blob/x?sv=1&sig=s&comp=blocklist"
        );
    }
}
