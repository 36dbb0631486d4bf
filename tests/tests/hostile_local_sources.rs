//! Credentials against hostile local sources: an `az` that writes without end, hangs with
//! children of its own or prints a token where an error goes, and federated token files that
//! never end or never open. Each source is made in the test, bounded in bytes and time.

use std::path::{Path, PathBuf};
use std::time::Duration;

use graphwire_core::auth::{AzureCliCredential, WorkloadIdentityCredential};
use graphwire_core::{AuthError, TokenCredential, TokenRequest};
use graphwire_testkit::FakeAzureCli;

const JWT: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJl";

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("graphwire-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn token_error(credential: &dyn TokenCredential) -> AuthError {
    let scopes = ["https://graph.microsoft.com/.default".to_owned()];
    let http = crate::common::reqwest_client();
    match credential
        .get_token(TokenRequest {
            scopes: &scopes,
            authority: "https://login.microsoftonline.com/",
            http: &http,
        })
        .await
    {
        Ok(_) => panic!("expected an error, got a token"),
        Err(error) => error,
    }
}

fn az(dir: &Path, script: &str) -> AzureCliCredential {
    let fake = FakeAzureCli::scripted(dir, script).unwrap();
    AzureCliCredential::new().with_program(fake.program())
}

/// True once `pid` has exited (gone, or a zombie nobody reaped yet); polled for up to 10 s of
/// real time, since a killed process ends a moment after the signal.
#[cfg(unix)]
fn ended(pid: u32) -> bool {
    for _ in 0..1000 {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => return true,
            Ok(stat)
                if stat
                    .rsplit(')')
                    .next()
                    .is_some_and(|s| s.trim_start().starts_with('Z')) =>
            {
                return true;
            }
            Ok(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    false
}

#[cfg(unix)]
#[tokio::test]
async fn an_az_that_writes_without_end_is_stopped_at_the_bound() {
    let dir = scratch_dir("az-endless");
    // Endless output: read whole, it grew the client to 1.5 GiB in 4.6 s.
    let error = token_error(&az(&dir, "exec cat /dev/zero\n")).await;
    assert_eq!(
        error.message,
        format!(
            "the Azure CLI (`{}`) wrote more than 65536 bytes to its output: stopped",
            dir.join("az").display()
        )
    );
    // 100 MB, then a clean exit: the same, without reading past the bound.
    let error = token_error(&az(
        &dir,
        "head -c 100000000 /dev/zero | tr '\\0' 'x'\nexit 0\n",
    ))
    .await;
    assert!(
        error
            .message
            .ends_with("wrote more than 65536 bytes to its output: stopped"),
        "{}",
        error.message
    );
    // And on the error output.
    let error = token_error(&az(&dir, "exec cat /dev/zero >&2\n")).await;
    assert!(
        error
            .message
            .ends_with("wrote more than 65536 bytes to its error output: stopped"),
        "{}",
        error.message
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[tokio::test(start_paused = true)]
async fn a_hung_az_is_stopped_with_the_processes_it_started() {
    let dir = scratch_dir("az-hung");
    let child_pid = dir.join("child.pid");
    let credential = az(
        &dir,
        &format!(
            "sleep 600 &\necho $! > '{}'\nsleep 600\n",
            child_pid.display()
        ),
    );
    let call = tokio::spawn(async move { token_error(&credential).await });
    // Keep the runtime busy (so the paused clock does not jump to the 30 s limit) until the
    // fake `az` has started its own child.
    let child = loop {
        if let Some(pid) = std::fs::read_to_string(&child_pid)
            .ok()
            .and_then(|text| text.trim().parse::<u32>().ok())
        {
            break pid;
        }
        std::thread::sleep(Duration::from_millis(5));
        tokio::task::yield_now().await;
    };
    let error = call.await.unwrap();
    assert_eq!(
        error.message,
        format!(
            "the Azure CLI (`{}`) did not answer within 30 s: stopped, with what it started",
            dir.join("az").display()
        )
    );
    // Before, `az` alone was killed and its `sleep 600` ran on.
    assert!(ended(child), "the child {child} of the hung az still runs");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[tokio::test]
async fn the_cli_error_output_is_quoted_without_its_token() {
    let dir = scratch_dir("az-stderr");
    let error = token_error(&az(
        &dir,
        &format!(
            "echo 'ERROR: cached {{\"accessToken\": \"opaque-secret\", \"token\": \"{JWT}\"}}' >&2\nexit 1\n"
        ),
    ))
    .await;
    assert_eq!(
        error.message,
        "the Azure CLI failed (exit status: 1): ERROR: cached {\"accessToken\": \"<redacted>\", \"token\": \"<redacted>\"}"
    );
    // 300 NUL characters: folded into one replacement character, not quoted.
    let error = token_error(&az(
        &dir,
        "head -c 300 /dev/zero >&2\necho ' then text' >&2\nexit 2\n",
    ))
    .await;
    assert_eq!(
        error.message,
        "the Azure CLI failed (exit status: 2): \u{FFFD} then text"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[tokio::test]
async fn a_federated_token_file_that_never_ends_or_never_opens_is_refused() {
    let credential = WorkloadIdentityCredential::new("contoso", "app", "/dev/zero");
    // Its size says 0: before, it was read until the process was killed at 1.5 GiB.
    assert_eq!(
        token_error(&credential).await.message,
        "the federated token file /dev/zero is not a regular file (it is a device): refused"
    );
    let dir = scratch_dir("fifo-token");
    let fifo = dir.join("token");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // A FIFO nobody writes to: before, it held a blocking thread until the deadline.
    let credential = WorkloadIdentityCredential::new("contoso", "app", &fifo);
    let error = tokio::time::timeout(Duration::from_secs(10), token_error(&credential))
        .await
        .expect("the FIFO blocked the credential");
    assert_eq!(
        error.message,
        format!(
            "the federated token file {} is not a regular file (it is a FIFO): refused",
            fifo.display()
        )
    );
    // A regular file past the bound: at most 64 KiB + 1 read.
    let big = dir.join("big");
    std::fs::write(&big, vec![b'a'; 70_000]).unwrap();
    let credential = WorkloadIdentityCredential::new("contoso", "app", &big);
    assert_eq!(
        token_error(&credential).await.message,
        format!(
            "the federated token file {} holds more than 65536 bytes, the most it can take: refused",
            big.display()
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}
