//! Win32 LOB apps end to end against the emulator: a `.intunewin` packed on this OS, read back
//! and checked, and uploaded (app, content version, content file, SAS URL, blocks, block list,
//! commit with the encryption info, `committedContentVersion`) — with a retried block, a SAS URL
//! that expires mid-upload, a failed commit and wrong encryption info; and every kind of bad
//! package refused with its typed error before anything is sent.

use crate::common;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use common::emulator_client;
use graphwire_intune::win32::{
    self, AppTarget, IntuneWinPackage, PackageError, UploadError, UploadOptions, UploadPhase,
    UploadProgress,
};
use graphwire_intune::{IntuneExt, MobileAppId};
use graphwire_testkit::{Emulator, UploadFaults};

/// A fresh folder under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "graphwire-win32-{name}-{}-{}",
        std::process::id(),
        uuid_like()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn uuid_like() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

/// An app folder: a setup file and enough incompressible data for several blocks.
fn app_folder(bytes: usize) -> PathBuf {
    let dir = scratch("src");
    std::fs::write(
        dir.join("setup.cmd"),
        b"@echo off\r\nmsiexec /i agent.msi /qn\r\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("payload")).unwrap();
    // A xorshift stream: deterministic, and deflate leaves it as large as it is.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let data: Vec<u8> = (0..bytes)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(dir.join("payload").join("agent.msi"), data).unwrap();
    dir
}

fn packed(bytes: usize) -> IntuneWinPackage {
    let source = app_folder(bytes);
    let out = scratch("out").join("setup.intunewin");
    IntuneWinPackage::pack(&source, "setup.cmd", &out).unwrap()
}

fn app_for(package: &IntuneWinPackage) -> AppTarget {
    let mut app = win32::new_app(package, "Contoso Agent", "Contoso");
    app.uninstall_command_line = String::from("uninstall.cmd").into();
    AppTarget::Create(Box::new(app))
}

/// Small blocks so a small package makes many.
fn small_blocks() -> UploadOptions {
    UploadOptions::default()
        .block_size(64 * 1024)
        .parallel_blocks(3)
}

#[test]
fn a_packed_folder_reads_back_and_its_content_decrypts_to_its_digest() {
    let package = packed(200_000);
    let detection = package.detection();
    assert_eq!(detection.name, "setup.cmd");
    assert_eq!(detection.setup_file, "setup.cmd");
    assert_eq!(detection.file_name, "IntunePackage.intunewin");
    // HMAC, IV, then the padded ciphertext of the zip of the folder.
    assert_eq!(
        package.encrypted_size(),
        48 + (detection.unencrypted_content_size / 16 + 1) * 16
    );
    assert!(detection.unencrypted_content_size > 200_000);
    package.verify().unwrap();
    // The keys are secrets: Debug shows neither.
    let shown = format!("{:?}", detection.encryption);
    assert!(shown.contains("encryption_key: \"<redacted>\""), "{shown}");
    assert!(shown.contains("mac_key: \"<redacted>\""), "{shown}");
    let graph = detection.encryption.to_graph();
    assert!(!format!("{graph:?}").contains(graph.encryption_key.value().unwrap().as_str()));
    // Detection.xml written and read back is the same description.
    let again = win32::Detection::parse(&detection.to_xml()).unwrap();
    assert_eq!(&again, detection);
}

async fn emulator(faults: UploadFaults) -> Emulator {
    Emulator::builder()
        .upload_faults(faults)
        .start()
        .await
        .unwrap()
}

/// The upload's progress reports, kept for the test to read.
fn recorder() -> (
    Arc<Mutex<Vec<UploadProgress>>>,
    impl Fn(UploadProgress) + Send + Sync,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |p| sink.lock().unwrap().push(p))
}

#[tokio::test(start_paused = true)]
async fn a_multi_block_package_uploads_commits_and_sets_the_committed_version() {
    let package = packed(300_000);
    let total = package.encrypted_size();
    let blocks = total.div_ceil(64 * 1024);
    let emulator = emulator(UploadFaults::none()).await;
    let client = emulator_client(&emulator).build().unwrap();
    let (seen, record) = recorder();
    let app = client
        .intune()
        .mobile_apps()
        .upload_win32(package, app_for(&packed(10)))
        .options(small_blocks())
        .on_progress(record)
        .run()
        .await
        .unwrap();
    let app_id = app.base.base.id.clone().unwrap();
    let version = app.base.committed_content_version.value().unwrap().clone();
    assert_eq!(
        app.base.base.display_name.value().map(String::as_str),
        Some("Contoso Agent")
    );
    // The stored content file is committed.
    let files = format!(
        "/deviceAppManagement/mobileApps/{app_id}/microsoft.graph.win32LobApp/contentVersions/{version}/files"
    );
    let journal = emulator.journal();
    let file_post = journal
        .iter()
        .find(|e| e.method == "POST" && e.path == format!("/v1.0{files}"))
        .unwrap();
    let file_body: serde_json::Value = serde_json::from_str(&file_post.body).unwrap();
    assert_eq!(file_body["name"], "IntunePackage.intunewin");
    assert_eq!(file_body["sizeEncrypted"], total as i64);
    // Every block, then the block list, to the blob endpoint; never with a Graph token.
    let blob: Vec<_> = journal
        .iter()
        .filter(|e| e.path.starts_with("/_blob/"))
        .collect();
    assert_eq!(blob.len() as u64, blocks + 1);
    assert!(blob.iter().all(|e| e.method == "PUT" && e.status == 201));
    assert!(
        blob.iter()
            .all(|e| !e.headers.iter().any(|(k, _)| k == "authorization"))
    );
    assert!(blob.iter().all(|e| {
        e.query
            .as_deref()
            .unwrap_or_default()
            .contains("sig=<redacted>")
    }));
    assert_eq!(
        blob.iter()
            .filter(|e| e
                .query
                .as_deref()
                .unwrap_or_default()
                .contains("comp=block&"))
            .count() as u64,
        blocks
    );
    assert!(
        blob.last()
            .unwrap()
            .query
            .as_deref()
            .unwrap()
            .contains("comp=blocklist")
    );
    // The commit carried the package's encryption info, then the app was patched.
    let commit = journal
        .iter()
        .find(|e| e.path.ends_with("/commit"))
        .unwrap();
    let commit_body: serde_json::Value = serde_json::from_str(&commit.body).unwrap();
    assert_eq!(
        commit_body["fileEncryptionInfo"]["profileIdentifier"],
        "ProfileVersion1"
    );
    assert_eq!(
        commit_body["fileEncryptionInfo"]["fileDigestAlgorithm"],
        "SHA256"
    );
    let patch = journal
        .iter()
        .find(|e| {
            e.method == "PATCH"
                && e.path == format!("/v1.0/deviceAppManagement/mobileApps/{app_id}")
        })
        .unwrap();
    let patch_body: serde_json::Value = serde_json::from_str(&patch.body).unwrap();
    assert_eq!(
        patch_body,
        serde_json::json!({"@odata.type": "#microsoft.graph.win32LobApp", "committedContentVersion": version})
    );
    // Progress: the phases in order, bytes up to the total.
    let seen = seen.lock().unwrap();
    let mut phases: Vec<UploadPhase> = seen.iter().map(|p| p.phase).collect();
    phases.dedup();
    assert_eq!(
        phases,
        [
            UploadPhase::CreatingApp,
            UploadPhase::CreatingContent,
            UploadPhase::WaitingForStorage,
            UploadPhase::Uploading,
            UploadPhase::Committing,
            UploadPhase::Finishing,
            UploadPhase::Done
        ]
    );
    let uploading: Vec<u64> = seen
        .iter()
        .filter(|p| p.phase == UploadPhase::Uploading)
        .map(|p| p.bytes_sent)
        .collect();
    assert_eq!(
        uploading.len() as u64,
        blocks + 1,
        "one report to start, one per block"
    );
    assert_eq!(uploading.last(), Some(&total));
    assert!(seen.iter().all(|p| p.bytes_total == total));
}

#[tokio::test(start_paused = true)]
async fn a_failing_block_is_retried() {
    let package = packed(150_000);
    let emulator = emulator(UploadFaults::none().failing_blocks(2)).await;
    let client = emulator_client(&emulator).build().unwrap();
    let app = client
        .intune()
        .mobile_apps()
        .upload_win32(package, app_for(&packed(10)))
        .options(small_blocks().parallel_blocks(1))
        .run()
        .await
        .unwrap();
    assert!(app.base.committed_content_version.value().is_some());
    let statuses: Vec<u16> = emulator
        .journal()
        .iter()
        .filter(|e| e.path.starts_with("/_blob/"))
        .map(|e| e.status)
        .take(4)
        .collect();
    // The first block twice refused (500), then accepted; the next one at once.
    assert_eq!(statuses, [500, 500, 201, 201]);
}

#[tokio::test(start_paused = true)]
async fn a_block_is_sent_at_most_block_attempts_times() {
    let package = packed(150_000);
    let emulator = emulator(UploadFaults::none().failing_blocks(5)).await;
    let client = emulator_client(&emulator).build().unwrap();
    let error = client
        .intune()
        .mobile_apps()
        .upload_win32(package, app_for(&packed(10)))
        .options(small_blocks().parallel_blocks(1).block_attempts(2))
        .run()
        .await
        .unwrap_err();
    // The client's one retry engine sends it again once (blob storage's 500 is retryable
    // there), then the storage's answer is the error: no second loop on top.
    assert_eq!(
        error.to_string(),
        "Azure Storage answered 500 (InternalError)"
    );
    let blocks: Vec<u16> = emulator
        .journal()
        .iter()
        .filter(|e| e.path.starts_with("/_blob/"))
        .map(|e| e.status)
        .collect();
    assert_eq!(blocks, [500, 500]);
}

#[tokio::test(start_paused = true)]
async fn an_expired_sas_url_is_renewed_and_the_upload_goes_on() {
    let package = packed(300_000);
    let emulator = emulator(UploadFaults::none().expire_after_blocks(2)).await;
    let client = emulator_client(&emulator).build().unwrap();
    let (seen, record) = recorder();
    let app = client
        .intune()
        .mobile_apps()
        .upload_win32(package, app_for(&packed(10)))
        .options(small_blocks().parallel_blocks(1))
        .on_progress(record)
        .run()
        .await
        .unwrap();
    assert!(app.base.committed_content_version.value().is_some());
    let journal = emulator.journal();
    let renewals = journal
        .iter()
        .filter(|e| e.path.ends_with("/renewUpload"))
        .count();
    assert_eq!(renewals, 1);
    let blob: Vec<u16> = journal
        .iter()
        .filter(|e| e.path.starts_with("/_blob/"))
        .map(|e| e.status)
        .take(4)
        .collect();
    // Two blocks, the third refused with the expired signature, then sent again on the new one.
    assert_eq!(blob, [201, 201, 403, 201]);
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|p| p.phase == UploadPhase::RenewingStorage)
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_commit_is_a_typed_error() {
    let package = packed(20_000);
    let emulator = emulator(UploadFaults::none().fail_commits()).await;
    let client = emulator_client(&emulator).build().unwrap();
    let error = client
        .intune()
        .mobile_apps()
        .upload_win32(package, app_for(&packed(10)))
        .run()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, UploadError::Failed { phase: UploadPhase::Committing, state } if state == "commitFileFailed"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the service failed the upload while Committing: uploadState `commitFileFailed`"
    );
}

/// A package whose Detection.xml is another package's (same sizes, other keys): its content
/// does not decrypt with the encryption info it commits.
fn with_foreign_detection() -> IntuneWinPackage {
    let content = win32::pack_in_memory(&[("setup.cmd", b"one")], "setup.cmd").unwrap();
    let other = win32::pack_in_memory(&[("setup.cmd", b"two")], "setup.cmd").unwrap();
    rezip(&[
        (CONTENT, zip_entry(&content, CONTENT)),
        (DETECTION, zip_entry(&other, DETECTION)),
    ])
}

const CONTENT: &str = "IntuneWinPackage/Contents/IntunePackage.intunewin";
const DETECTION: &str = "IntuneWinPackage/Metadata/Detection.xml";

/// One entry of a zip, read out.
fn zip_entry(zip: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    bytes
}

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn rezip(entries: &[(&str, Vec<u8>)]) -> IntuneWinPackage {
    IntuneWinPackage::from_bytes(zip_of(entries)).unwrap()
}

#[tokio::test(start_paused = true)]
async fn wrong_encryption_info_fails_the_commit() {
    let package = with_foreign_detection();
    assert!(matches!(
        package.verify(),
        Err(PackageError::Integrity { .. })
    ));
    let emulator = emulator(UploadFaults::none()).await;
    let client = emulator_client(&emulator).build().unwrap();
    let error = client
        .intune()
        .mobile_apps()
        .upload_win32(package, app_for(&packed(10)))
        .run()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, UploadError::Failed { phase: UploadPhase::Committing, state } if state == "commitFileFailed"),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_existing_app_gets_a_new_content_version() {
    let emulator = emulator(UploadFaults::none()).await;
    let client = emulator_client(&emulator).build().unwrap();
    let first = client
        .intune()
        .mobile_apps()
        .upload_win32(packed(10), app_for(&packed(10)))
        .run()
        .await
        .unwrap();
    let id: MobileAppId = first.base.base.id.clone().unwrap();
    let second = client
        .intune()
        .mobile_apps()
        .upload_win32(packed(1000), AppTarget::Existing(id.clone()))
        .run()
        .await
        .unwrap();
    assert_eq!(second.base.base.id, Some(id));
    assert_ne!(
        second.base.committed_content_version,
        first.base.committed_content_version
    );
    let creates = emulator
        .journal()
        .iter()
        .filter(|e| e.method == "POST" && e.path == "/v1.0/deviceAppManagement/mobileApps")
        .count();
    assert_eq!(creates, 1, "the existing app is not created again");
}

#[test]
fn bad_packages_are_refused_with_what_is_wrong() {
    let not_zip = IntuneWinPackage::from_bytes(b"MZ\x90\x00 not a zip".to_vec()).unwrap_err();
    assert!(
        matches!(not_zip, PackageError::NotAPackage { .. }),
        "{not_zip:?}"
    );
    assert!(
        not_zip
            .to_string()
            .starts_with("not a .intunewin package (expected a zip made by IntuneWinAppUtil)")
    );

    let missing =
        IntuneWinPackage::from_bytes(zip_of(&[("readme.txt", b"hi".to_vec())])).unwrap_err();
    assert!(matches!(missing, PackageError::MissingDetection));
    assert_eq!(
        missing.to_string(),
        "the package has no IntuneWinPackage/Metadata/Detection.xml"
    );

    let garbled = IntuneWinPackage::from_bytes(zip_of(&[(
        DETECTION,
        b"<ApplicationInfo><Name>x</Name>".to_vec(),
    )]))
    .unwrap_err();
    assert!(
        matches!(garbled, PackageError::BadDetection { .. }),
        "{garbled:?}"
    );
    assert!(garbled.to_string().contains("not XML"), "{garbled}");

    let good = win32::pack_in_memory(&[("setup.cmd", b"echo")], "setup.cmd").unwrap();
    let detection = String::from_utf8(zip_entry(&good, DETECTION)).unwrap();
    let content = zip_entry(&good, CONTENT);
    let without_key = detection
        .replace("<MacKey>", "<!--")
        .replace("</MacKey>", "-->");
    let error = IntuneWinPackage::from_bytes(zip_of(&[
        (DETECTION, without_key.into_bytes()),
        (CONTENT, content.clone()),
    ]))
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "IntuneWinPackage/Metadata/Detection.xml is not usable: <MacKey> is missing or empty"
    );

    let no_content =
        IntuneWinPackage::from_bytes(zip_of(&[(DETECTION, detection.clone().into_bytes())]))
            .unwrap_err();
    assert_eq!(
        no_content.to_string(),
        "the package has no IntuneWinPackage/Contents/IntunePackage.intunewin, the content file its Detection.xml names"
    );

    let mut cut = content.clone();
    cut.truncate(content.len() - 16);
    let short = IntuneWinPackage::from_bytes(zip_of(&[
        (DETECTION, detection.into_bytes()),
        (CONTENT, cut),
    ]))
    .unwrap_err();
    assert!(
        matches!(short, PackageError::SizeMismatch { encrypted, expected } if encrypted + 16 == expected),
        "{short:?}"
    );

    let folder = scratch("nosetup");
    let no_setup =
        IntuneWinPackage::pack(&folder, "setup.exe", folder.join("x.intunewin")).unwrap_err();
    assert!(
        no_setup
            .to_string()
            .starts_with("cannot pack: the setup file `setup.exe` is not a file in"),
        "{no_setup}"
    );
}

#[tokio::test]
async fn the_upload_link_is_never_plain_http_off_loopback() {
    let client = graphwire_core::GraphClient::builder()
        .credential(graphwire_core::StaticToken::new("t"))
        .build()
        .unwrap();
    let error = client
        .put_to_link(
            "http://storage.example/blob?sig=secret-signature",
            Default::default(),
            b"x".to_vec(),
        )
        .await
        .unwrap_err();
    let shown = error.to_string();
    assert!(!shown.contains("secret-signature"), "{shown}");
    assert!(shown.contains("https"), "{shown}");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_upload_cancels_it_between_requests() {
    let package = packed(300_000);
    let emulator = emulator(UploadFaults::none()).await;
    let client = emulator_client(&emulator).build().unwrap();
    let first_block = Arc::new(tokio::sync::Notify::new());
    let signal = Arc::clone(&first_block);
    let upload = client
        .intune()
        .mobile_apps()
        .upload_win32(package, app_for(&packed(10)))
        .options(small_blocks().parallel_blocks(1))
        .on_progress(move |p| {
            if p.phase == UploadPhase::Uploading && p.bytes_sent > 0 {
                signal.notify_one();
            }
        })
        .run();
    tokio::select! {
        done = upload => panic!("the upload finished before it was dropped: {done:?}"),
        () = first_block.notified() => {}
    }
    // A request already on the wire when the future is dropped may still be answered;
    // nothing is sent after it: the journal stops growing, and no block list or commit comes.
    let mut settled = emulator.journal().len();
    let mut unchanged = 0;
    while unchanged < 20 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let now = emulator.journal().len();
        unchanged = if now == settled { unchanged + 1 } else { 0 };
        settled = now;
    }
    tokio::time::sleep(std::time::Duration::from_secs(600)).await;
    let journal = emulator.journal();
    assert_eq!(
        journal.len(),
        settled,
        "nothing is sent once the upload is dropped"
    );
    assert!(!journal.iter().any(|e| e.path.ends_with("/commit")));
    assert!(!journal.iter().any(|e| {
        e.query
            .as_deref()
            .unwrap_or_default()
            .contains("comp=blocklist")
    }));
    let blocks = journal
        .iter()
        .filter(|e| e.path.starts_with("/_blob/"))
        .count();
    assert!(
        blocks <= 2,
        "it stopped after its first block (one more may have been on the wire), not after all of them: {blocks}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_sas_url_near_its_expiry_is_renewed_before_the_block_is_sent() {
    // The emulator's SAS URLs last an hour; renewing within two hours of expiry makes every
    // block renew first, as a long upload does once its URL nears the end.
    let package = packed(150_000);
    let blocks = package.encrypted_size().div_ceil(64 * 1024) as usize;
    let emulator = emulator(UploadFaults::none()).await;
    let client = emulator_client(&emulator).build().unwrap();
    client
        .intune()
        .mobile_apps()
        .upload_win32(package, app_for(&packed(10)))
        .options(
            small_blocks()
                .parallel_blocks(1)
                .renew_before(std::time::Duration::from_secs(7200)),
        )
        .run()
        .await
        .unwrap();
    let journal = emulator.journal();
    let renewals = journal
        .iter()
        .filter(|e| e.path.ends_with("/renewUpload"))
        .count();
    // One before each block and one before the block list; no PUT was ever refused.
    assert_eq!(renewals, blocks + 1);
    assert!(
        journal
            .iter()
            .filter(|e| e.path.starts_with("/_blob/"))
            .all(|e| e.status == 201)
    );
}
