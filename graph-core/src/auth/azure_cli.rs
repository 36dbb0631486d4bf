//! The Azure CLI's signed-in account: `az account get-access-token`.

use std::ffi::OsString;
use std::time::{Duration, SystemTime};

use futures_core::future::BoxFuture;
use serde::Deserialize;

use super::identity_endpoint::resource_of;
use super::{AccessToken, TokenCredential, TokenRequest};
use crate::error::AuthError;
use crate::secret::Secret;
use crate::types::Int64;

/// How long `az` may take: it refreshes its own token over the network when it must.
const CLI_TIMEOUT: Duration = Duration::from_secs(30);
/// The most of `az`'s output read (a token answer is a few kilobytes).
const MAX_OUTPUT_BYTES: usize = 64 * 1024;

/// The account `az login` signed in: runs
/// `az account get-access-token --output json --resource <resource> [--tenant <tenant>]` for
/// each new token. For developers' machines and CI jobs already signed in to Azure.
///
/// A machine without the CLI, or where nobody signed in, is [`AuthError::unavailable`]. The
/// first line of the CLI's error output is quoted in the error, with tokens and secrets
/// redacted; its token never is.
///
/// `az` is a local program, so nothing it does is trusted: it runs in a process group of its
/// own (Unix), its output and error output are each read to at most 64 KiB while it runs, and
/// when it runs over, takes more than 30 s, or the call is dropped, the whole group is stopped
/// (SIGKILL), with whatever `az` started.
///
/// `expires_on` (seconds since 1970, Azure CLI 2.54 and later) gives the expiry; an older CLI
/// writes only a local time without its offset, so its token is not kept (asked for again
/// at the next call).
#[derive(Debug, Clone)]
pub struct AzureCliCredential {
    program: OsString,
    tenant_id: Option<String>,
    /// `PATH` for the CLI's process (and where `az` is looked up), if not this process's.
    search_path: Option<OsString>,
}

impl Default for AzureCliCredential {
    fn default() -> Self {
        Self::new()
    }
}

impl AzureCliCredential {
    /// Runs `az` from `PATH` (`az.cmd` on Windows).
    pub fn new() -> Self {
        let program = if cfg!(windows) { "az.cmd" } else { "az" };
        Self {
            program: program.into(),
            tenant_id: None,
            search_path: None,
        }
    }

    /// Looks `az` up on this `PATH` (and runs it with it) instead of this process's: for a
    /// service whose own `PATH` lacks the CLI's folder.
    pub fn with_search_path(mut self, path: impl Into<OsString>) -> Self {
        self.search_path = Some(path.into());
        self
    }

    /// Runs this program instead of `az` from `PATH` (an absolute path, or a wrapper).
    pub fn with_program(mut self, program: impl Into<OsString>) -> Self {
        self.program = program.into();
        self
    }

    /// Asks for a token in this tenant rather than the account's default one.
    pub fn with_tenant(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = Some(tenant_id.into());
        self
    }

    async fn run(&self, resource: &str) -> Result<AccessToken, AuthError> {
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args([
                "account",
                "get-access-token",
                "--output",
                "json",
                "--resource",
                resource,
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true);
        // A group of its own, so that what `az` starts is stopped with it.
        #[cfg(unix)]
        command.process_group(0);
        if let Some(tenant) = &self.tenant_id {
            command.args(["--tenant", tenant]);
        }
        if let Some(path) = &self.search_path {
            command.env("PATH", path);
        }
        let program = self.program.to_string_lossy().into_owned();
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(AuthError::unavailable(format!(
                    "the Azure CLI (`{program}`) is not installed: install it and run `az login`, or use another credential"
                )));
            }
            Err(e) => {
                return Err(AuthError::unavailable(format!(
                    "the Azure CLI (`{program}`) could not be run: {e}"
                )));
            }
        };
        // Declared after the child, so dropped first: on any early return (or a dropped
        // future) the group is stopped while `az` is not yet reaped and its id still its own.
        let mut group = ProcessGroup::of(&child);
        let outcome = tokio::time::timeout(CLI_TIMEOUT, talk(&mut child)).await;
        let (status, mut stdout, stderr) = match outcome {
            Ok(Ok(answer)) => {
                group.release();
                answer
            }
            Ok(Err(too_much)) => {
                group.stop();
                let _ = child.kill().await;
                return Err(AuthError::new(format!(
                    "the Azure CLI (`{program}`) wrote more than {MAX_OUTPUT_BYTES} bytes to its {too_much}: stopped"
                )));
            }
            Err(_) => {
                group.stop();
                let _ = child.kill().await;
                return Err(AuthError::new(format!(
                    "the Azure CLI (`{program}`) did not answer within {} s: stopped, with what it started",
                    CLI_TIMEOUT.as_secs()
                )));
            }
        };
        if !status.success() {
            zeroize::Zeroize::zeroize(&mut stdout);
            let stderr = String::from_utf8_lossy(&stderr);
            let first = stderr
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("no error output");
            // Its output may hold a token (a debug line, a cached answer): quoted redacted.
            let message = format!(
                "the Azure CLI failed ({status}): {}",
                crate::redact::quote(first, 300)
            );
            // Not signed in: a chain goes on to the next credential.
            return Err(if stderr.contains("az login") {
                AuthError::unavailable(message)
            } else {
                AuthError::new(message)
            });
        }
        let token = read_output(&stdout);
        // The output holds the token: wiped, as a `Secret` is.
        zeroize::Zeroize::zeroize(&mut stdout);
        token
    }
}

/// Reads `az`'s output and error output, each bounded while it is read, then waits for it:
/// its exit status, output and error output, or which of the two ran over the bound.
async fn talk(
    child: &mut tokio::process::Child,
) -> Result<(std::process::ExitStatus, Vec<u8>, Vec<u8>), &'static str> {
    let (stdout, stderr) = tokio::try_join!(
        read_bounded(child.stdout.take(), "output"),
        read_bounded(child.stderr.take(), "error output"),
    )?;
    // Reaped only once both pipes closed: until then its process group is still its own.
    let status = child.wait().await.map_err(|_| "exit status")?;
    Ok((status, stdout, stderr))
}

/// At most [`MAX_OUTPUT_BYTES`] of `pipe`; `which` when there is more.
async fn read_bounded(
    pipe: Option<impl tokio::io::AsyncRead + Unpin>,
    which: &'static str,
) -> Result<Vec<u8>, &'static str> {
    use tokio::io::AsyncReadExt;
    let mut bytes = Vec::new();
    if let Some(pipe) = pipe {
        // A read error ends the output where it is: the JSON check then says what is wrong.
        let _ = pipe
            .take(MAX_OUTPUT_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .await;
    }
    if bytes.len() > MAX_OUTPUT_BYTES {
        zeroize::Zeroize::zeroize(&mut bytes);
        return Err(which);
    }
    Ok(bytes)
}

/// The process group `az` leads: stopped whole (SIGKILL) unless released, since killing `az`
/// alone leaves what it started running. Windows has no groups: `kill_on_drop` stops `az`.
struct ProcessGroup {
    #[cfg(unix)]
    leader: Option<nix::unistd::Pid>,
}

impl ProcessGroup {
    fn of(child: &tokio::process::Child) -> Self {
        #[cfg(unix)]
        let group = Self {
            leader: child
                .id()
                .and_then(|id| i32::try_from(id).ok())
                .map(nix::unistd::Pid::from_raw),
        };
        #[cfg(not(unix))]
        let group = {
            let _ = child;
            Self {}
        };
        group
    }

    /// `az` ended by itself: nothing to stop.
    fn release(&mut self) {
        #[cfg(unix)]
        {
            self.leader = None;
        }
    }

    fn stop(&mut self) {
        #[cfg(unix)]
        if let Some(leader) = self.leader.take() {
            // Already gone is fine: there is nothing left to stop.
            let _ = nix::sys::signal::killpg(leader, nix::sys::signal::Signal::SIGKILL);
        }
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        self.stop();
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CliToken {
    access_token: Option<String>,
    #[serde(rename = "expires_on")]
    expires_on: Option<Int64>,
}

/// `az account get-access-token`'s JSON: the token and, from `expires_on`, its expiry.
pub(crate) fn read_output(stdout: &[u8]) -> Result<AccessToken, AuthError> {
    let answer: CliToken = serde_json::from_slice(stdout).map_err(|_| {
        AuthError::new("the Azure CLI's output is not the JSON of `az account get-access-token`")
    })?;
    let Some(token) = answer.access_token.filter(|t| !t.is_empty()) else {
        return Err(AuthError::new("the Azure CLI's output has no accessToken"));
    };
    let expires_at = match answer.expires_on {
        Some(on) => SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(on.0.max(0) as u64)),
        // Without an offset the local time cannot be trusted: kept for no time at all.
        None => Some(SystemTime::now()),
    };
    Ok(AccessToken {
        token: Secret::new(token),
        expires_at,
    })
}

impl TokenCredential for AzureCliCredential {
    fn get_token<'a>(
        &'a self,
        request: TokenRequest<'a>,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            let resource = resource_of(request.scopes)?;
            self.run(&resource).await
        })
    }

    /// The CLI talks to the login authority itself; this client sends it nothing.
    fn authority<'a>(&'a self, _cloud_authority: &'a str) -> Option<&'a str> {
        None
    }

    fn cache_key(&self) -> String {
        format!(
            "azure_cli|{}",
            self.tenant_id.as_deref().unwrap_or("default")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_output_gives_the_token_and_its_expiry() {
        let token = read_output(
            br#"{"accessToken":"t","expiresOn":"2026-12-01 18:00:00.000000","expires_on":1796148000,"subscription":"s","tenant":"x","tokenType":"Bearer"}"#,
        )
        .unwrap();
        assert_eq!(token.token.expose(), "t");
        assert_eq!(
            token.expires_at,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_148_000))
        );
        let error = read_output(b"not json").unwrap_err();
        assert_eq!(
            error.message,
            "the Azure CLI's output is not the JSON of `az account get-access-token`"
        );
    }
}
