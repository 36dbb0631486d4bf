//! Win32 app content: the packer against `openssl enc` on the same file, and the whole upload
//! (`mobile_apps().upload_win32`) against raw block PUTs of the same bytes to the same
//! emulator blob endpoint, each as a ratio measured in the same run.
//!
//! `cargo bench -p graph-benches --bench win32_upload` (WIN32_MB for another size, default 200;
//! WIN32_ROUNDS for more rounds, default 3)

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use graphwire_core::GraphClient;
use graphwire_intune::win32::{self, AppTarget, IntuneWinPackage, UploadOptions, UploadPhase};
use graphwire_intune::{IntuneExt, MobileApp, MobileAppContent, MobileAppContentFile};
use graphwire_testkit::Emulator;

const BLOCK: usize = 6 * 1024 * 1024;
const IN_FLIGHT: usize = 4;

fn mb_per_s(bytes: u64, took: Duration) -> f64 {
    bytes as f64 / 1_048_576.0 / took.as_secs_f64()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A folder with one incompressible file of `bytes` (an installer is already compressed).
fn source(dir: &Path, bytes: usize) {
    std::fs::create_dir_all(dir).expect("folder");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let data: Vec<u8> = (0..bytes)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(dir.join("setup.exe"), data).expect("payload");
}

fn main() {
    let mb: usize = std::env::var("WIN32_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let rounds: usize = std::env::var("WIN32_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let work = std::env::temp_dir().join(format!("graphwire-bench-win32-{}", std::process::id()));
    let folder = work.join("app");
    source(&folder, mb * 1024 * 1024);
    let file = folder.join("setup.exe");
    let package_path = work.join("setup.intunewin");
    let bytes = (mb * 1024 * 1024) as u64;

    // The packer (zip, AES-256-CBC, HMAC-SHA256, SHA-256) against openssl's AES-256-CBC alone.
    let (mut pack, mut openssl) = (Vec::new(), Vec::new());
    let has_openssl = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    for _ in 0..rounds {
        let start = Instant::now();
        IntuneWinPackage::pack(&folder, "setup.exe", &package_path).expect("pack");
        pack.push(start.elapsed());
        if has_openssl {
            let start = Instant::now();
            let status = Command::new("openssl")
                .args(["enc", "-aes-256-cbc", "-K"])
                .arg("00".repeat(32))
                .arg("-iv")
                .arg("00".repeat(16))
                .arg("-in")
                .arg(&file)
                .arg("-out")
                .arg(work.join("openssl.bin"))
                .status()
                .expect("openssl");
            assert!(status.success());
            openssl.push(start.elapsed());
        }
    }
    let (pack, openssl_time) = (median(pack), (!openssl.is_empty()).then(|| median(openssl)));
    println!(
        "pack {mb} MB: {:.0} MB/s ({:.2} s, median of {rounds})",
        mb_per_s(bytes, pack),
        pack.as_secs_f64()
    );
    match openssl_time {
        Some(t) => println!(
            "openssl enc -aes-256-cbc {mb} MB: {:.0} MB/s ({:.2} s); pack / openssl time: {:.2}x",
            mb_per_s(bytes, t),
            t.as_secs_f64(),
            pack.as_secs_f64() / t.as_secs_f64()
        ),
        None => println!("openssl not found: no packer baseline"),
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let emulator = Emulator::start().await.expect("emulator");
        let client = GraphClient::builder()
            .cloud(emulator.cloud())
            .credential(graphwire_testkit::default_app().credential())
            .build()
            .expect("client");
        let package = IntuneWinPackage::open(&package_path).expect("package");
        // One HTTP client for every raw round, as the upload's client is reused.
        let http = graphwire_core::reqwest::Client::new();
        let encrypted = package.encrypted_size();
        let (mut whole, mut blocks_phase, mut raw) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let mut app = win32::new_app(&package, "bench", "bench");
            app.uninstall_command_line = String::from("uninstall.cmd").into();
            let committing = std::sync::Arc::new(std::sync::Mutex::new(None));
            let seen = std::sync::Arc::clone(&committing);
            let start = Instant::now();
            let uploading = std::sync::Arc::new(std::sync::Mutex::new(None));
            let seen_upload = std::sync::Arc::clone(&uploading);
            client
                .intune()
                .mobile_apps()
                .upload_win32(package.clone(), AppTarget::Create(Box::new(app)))
                .options(UploadOptions::default().block_size(BLOCK).parallel_blocks(IN_FLIGHT).poll_interval(Duration::from_millis(50)))
                .on_progress(move |p| {
                    if p.phase == UploadPhase::Uploading {
                        seen_upload.lock().expect("lock").get_or_insert_with(Instant::now);
                    }
                    if p.phase == UploadPhase::Committing {
                        seen.lock().expect("lock").get_or_insert_with(Instant::now);
                    }
                })
                .run()
                .await
                .expect("upload");
            whole.push(start.elapsed());
            let (began, ended) = (uploading.lock().expect("lock").expect("uploaded"), committing.lock().expect("lock").expect("committed"));
            blocks_phase.push(ended - began);
            raw.push(raw_puts(&client, &http, &package).await);
        }
        let (whole, blocks_phase, raw) = (median(whole), median(blocks_phase), median(raw));
        println!(
            "upload_win32 {:.0} MB encrypted: {:.0} MB/s whole flow ({:.2} s: app, content, blocks, commit check, patch); blocks and block list {:.0} MB/s ({:.2} s)",
            encrypted as f64 / 1_048_576.0,
            mb_per_s(encrypted, whole),
            whole.as_secs_f64(),
            mb_per_s(encrypted, blocks_phase),
            blocks_phase.as_secs_f64()
        );
        println!(
            "raw block PUTs (reqwest, {IN_FLIGHT} in flight, same blocks): {:.0} MB/s ({:.2} s); upload_win32 blocks / raw: {:.2}x time, whole flow / raw: {:.2}x",
            mb_per_s(encrypted, raw),
            raw.as_secs_f64(),
            blocks_phase.as_secs_f64() / raw.as_secs_f64(),
            whole.as_secs_f64() / raw.as_secs_f64()
        );
    });
    std::fs::remove_dir_all(&work).ok();
}

/// The same blocks PUT straight to a fresh content file's SAS URL with reqwest (no retries, no
/// renewal, no progress), then the block list: the floor the upload is measured against.
async fn raw_puts(
    client: &GraphClient,
    http: &graphwire_core::reqwest::Client,
    package: &IntuneWinPackage,
) -> Duration {
    let apps = client.intune().mobile_apps();
    let mut app = win32::new_app(package, "raw", "raw");
    app.uninstall_command_line = String::from("x").into();
    let created = apps.create(&MobileApp::from(app)).await.expect("app");
    let id = created.id.clone().expect("id");
    let win32 = apps.as_win32_lob_app();
    let version = win32
        .content_versions_create(&id, &MobileAppContent::default())
        .await
        .expect("version");
    let version = version.id.expect("version id");
    let file = MobileAppContentFile {
        name: String::from("IntunePackage.intunewin").into(),
        size_encrypted: Some(graphwire_core::Int64::from(package.encrypted_size() as i64)),
        ..MobileAppContentFile::default()
    };
    let file = win32
        .content_version_files_create(&id, &version, &file)
        .await
        .expect("file");
    let file_id = file.id.expect("file id");
    let ready = win32
        .content_version_file_get(&id, &version, &file_id)
        .await
        .expect("ready");
    let uri = ready.azure_storage_uri.value().expect("sas").clone();
    let bytes = read_all(package);
    let count = bytes.len().div_ceil(BLOCK);
    let start = Instant::now();
    let ids: Vec<String> = futures::stream::iter(0..count)
        .map(|i| {
            let http = http.clone();
            let uri = uri.clone();
            let block = bytes.slice(i * BLOCK..((i + 1) * BLOCK).min(bytes.len()));
            async move {
                let id = format!("{i:08}");
                let answer = http
                    .put(format!("{uri}&comp=block&blockid={id}"))
                    .body(block)
                    .send()
                    .await?;
                assert_eq!(answer.status().as_u16(), 201);
                Ok::<_, graphwire_core::reqwest::Error>(id)
            }
        })
        .buffered(IN_FLIGHT)
        .try_collect()
        .await
        .expect("blocks");
    let list: String = ids
        .iter()
        .map(|i| format!("<Latest>{i}</Latest>"))
        .collect();
    let answer = http
        .put(format!("{uri}&comp=blocklist"))
        .body(format!("<BlockList>{list}</BlockList>"))
        .send()
        .await
        .expect("block list");
    assert_eq!(answer.status().as_u16(), 201);
    start.elapsed()
}

/// The encrypted content, read out of the package (what the raw baseline sends).
fn read_all(package: &IntuneWinPackage) -> bytes::Bytes {
    let len = package.encrypted_size() as usize;
    package.read_encrypted(0, len).expect("content")
}
