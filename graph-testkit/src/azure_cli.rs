//! A stand-in for the Azure CLI: a script that answers `az account get-access-token` as a
//! signed-in (or signed-out) CLI does, and writes down the arguments it was given.

use std::path::{Path, PathBuf};

/// An `az` program in a directory of its own (Unix: a `/bin/sh` script).
#[derive(Debug)]
pub struct FakeAzureCli {
    program: PathBuf,
    arguments: PathBuf,
}

impl FakeAzureCli {
    /// A CLI signed in: `get-access-token` prints `access_token` expiring at `expires_on`
    /// (seconds since 1970), in the JSON shape Azure CLI 2.54+ writes.
    pub fn signed_in(dir: &Path, access_token: &str, expires_on: u64) -> std::io::Result<Self> {
        let json = serde_json::json!({
            "accessToken": access_token,
            "expiresOn": "2030-01-01 00:00:00.000000",
            "expires_on": expires_on,
            "subscription": "00000000-0000-0000-0000-000000000000",
            "tenant": "contoso",
            "tokenType": "Bearer",
        });
        // Shell builtins only: the script works with `PATH` set to its own folder.
        Self::write(dir, &format!("printf '%s\\n' '{json}'\n"))
    }

    /// A CLI nobody signed in to: it fails as `az` does then.
    pub fn signed_out(dir: &Path) -> std::io::Result<Self> {
        Self::write(
            dir,
            "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n",
        )
    }

    /// A CLI that runs `body` (`/bin/sh`) whatever it is asked: for a hostile or broken `az`
    /// (endless output, a token on its error output, a hang with children of its own).
    pub fn scripted(dir: &Path, body: &str) -> std::io::Result<Self> {
        Self::write(dir, body)
    }

    fn write(dir: &Path, body: &str) -> std::io::Result<Self> {
        let program = dir.join("az");
        let arguments = dir.join("az-arguments");
        let script = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n{body}",
            arguments.display()
        );
        std::fs::write(&program, script)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755))?;
        }
        Ok(Self { program, arguments })
    }

    /// The program to run (`AzureCliCredential::with_program`).
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Its folder, to search for `az` on (`AzureCliCredential::with_search_path`).
    pub fn folder(&self) -> &Path {
        self.program.parent().unwrap_or(&self.program)
    }

    /// The arguments of the last run, one per entry; empty before any.
    pub fn last_arguments(&self) -> Vec<String> {
        std::fs::read_to_string(&self.arguments)
            .map(|text| text.lines().map(str::to_owned).collect())
            .unwrap_or_default()
    }
}
