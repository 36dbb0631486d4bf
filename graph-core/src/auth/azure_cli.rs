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
/// CLI's error output is quoted (first line) in the error; its token never is.
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
            .kill_on_drop(true);
        if let Some(tenant) = &self.tenant_id {
            command.args(["--tenant", tenant]);
        }
        if let Some(path) = &self.search_path {
            command.env("PATH", path);
        }
        let program = self.program.to_string_lossy().into_owned();
        let mut output = match tokio::time::timeout(CLI_TIMEOUT, command.output()).await {
            Ok(Ok(output)) => output,
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(AuthError::unavailable(format!(
                    "the Azure CLI (`{program}`) is not installed: install it and run `az login`, or use another credential"
                )));
            }
            Ok(Err(e)) => {
                return Err(AuthError::unavailable(format!(
                    "the Azure CLI (`{program}`) could not be run: {e}"
                )));
            }
            Err(_) => {
                return Err(AuthError::new(format!(
                    "the Azure CLI (`{program}`) did not answer within {} s",
                    CLI_TIMEOUT.as_secs()
                )));
            }
        };
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(
                &output.stderr[..output.stderr.len().min(MAX_OUTPUT_BYTES)],
            );
            let first = stderr
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("no error output");
            let first: String = first.chars().take(300).collect();
            let message = format!("the Azure CLI failed ({}): {first}", output.status);
            // Not signed in: a chain goes on to the next credential.
            return Err(if stderr.contains("az login") {
                AuthError::unavailable(message)
            } else {
                AuthError::new(message)
            });
        }
        if output.stdout.len() > MAX_OUTPUT_BYTES {
            return Err(AuthError::new(format!(
                "the Azure CLI wrote more than {MAX_OUTPUT_BYTES} bytes"
            )));
        }
        let token = read_output(&output.stdout);
        // The output holds the token: wiped, as a `Secret` is.
        zeroize::Zeroize::zeroize(&mut output.stdout);
        token
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
fn read_output(stdout: &[u8]) -> Result<AccessToken, AuthError> {
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
