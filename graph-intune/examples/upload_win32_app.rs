//! Pack a folder as a `.intunewin` and upload it as a Win32 LOB app, with a progress bar:
//! the whole pipeline IntuneWinAppUtil and the admin center run, on any OS.
//!
//! With `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` set, it uploads to the
//! real Microsoft Graph; without them, to the graphwire-testkit emulator in-process (which
//! stages the blocks on loopback and checks the commit's encryption info).
//!
//! ```text
//! cargo run -p graphwire-intune --features win32-apps --example upload_win32_app -- [FOLDER SETUP_FILE]
//! ```
//! Without arguments it packs a small demo folder it writes to the temporary directory.

use std::path::PathBuf;
use std::process::ExitCode;

use graphwire_core::GraphClient;
use graphwire_intune::IntuneExt;
use graphwire_intune::win32::{self, AppTarget, IntuneWinPackage, UploadPhase};
use graphwire_intune::{
    Win32LobAppFileSystemOperationType, Win32LobAppFileSystemRule, Win32LobAppRule,
    Win32LobAppRuleBase, Win32LobAppRuleType,
};
use indicatif::{ProgressBar, ProgressStyle};

/// A demo app folder: a setup script and a payload.
fn demo_folder() -> std::io::Result<(PathBuf, String)> {
    let dir = std::env::temp_dir().join(format!("graphwire-demo-app-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("bin"))?;
    std::fs::write(
        dir.join("install.cmd"),
        "@echo off\r\ncopy bin\\agent.exe \"%ProgramFiles%\\Contoso\\\"\r\n",
    )?;
    let payload: Vec<u8> = (0..8 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(dir.join("bin").join("agent.exe"), payload)?;
    Ok((dir, "install.cmd".into()))
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut args = std::env::args().skip(1);
    let (folder, setup) = match (args.next(), args.next()) {
        (Some(folder), Some(setup)) => (PathBuf::from(folder), setup),
        _ => demo_folder()?,
    };
    let output =
        std::env::temp_dir().join(format!("graphwire-demo-{}.intunewin", std::process::id()));
    let package = IntuneWinPackage::pack(&folder, &setup, &output)?;
    println!(
        "packed {} ({} bytes encrypted) into {}",
        package.detection().setup_file,
        package.encrypted_size(),
        output.display()
    );

    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    if connection.emulator.is_some() {
        println!("no AZURE_* credentials: uploading to the local emulator");
    }
    let mut app = win32::new_app(&package, "Contoso Agent", "Contoso");
    app.uninstall_command_line = String::from("uninstall.cmd").into();
    // The service wants a detection rule: here, the installed file exists.
    app.rules = vec![Win32LobAppRule::from(Win32LobAppFileSystemRule {
        path: String::from("%ProgramFiles%\\Contoso").into(),
        file_or_folder_name: String::from("agent.exe").into(),
        operation_type: Some(Win32LobAppFileSystemOperationType::Exists),
        check32_bit_on64_system: Some(false),
        base: Win32LobAppRuleBase {
            rule_type: Some(Win32LobAppRuleType::Detection),
            ..Win32LobAppRuleBase::default()
        },
        ..Win32LobAppFileSystemRule::default()
    })]
    .into();

    let bar = ProgressBar::new(package.encrypted_size());
    bar.set_style(
        ProgressStyle::with_template("{msg:>22} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec}")?
            .progress_chars("=> "),
    );
    let shown = bar.clone();
    let uploaded = connection
        .client
        .intune()
        .mobile_apps()
        .upload_win32(package, AppTarget::Create(Box::new(app)))
        .on_progress(move |p| {
            shown.set_message(match p.phase {
                UploadPhase::CreatingApp => "creating the app",
                UploadPhase::CreatingContent => "creating the content",
                UploadPhase::WaitingForStorage => "waiting for storage",
                UploadPhase::Uploading => "uploading",
                UploadPhase::RenewingStorage => "renewing the SAS URL",
                UploadPhase::Committing => "committing",
                UploadPhase::Finishing => "finishing",
                _ => "done",
            });
            shown.set_position(p.bytes_sent);
        })
        .run()
        .await?;
    bar.finish();
    println!(
        "app {} ({}) committed content version {}",
        uploaded.base.base.id.as_deref().unwrap_or("?"),
        uploaded
            .base
            .base
            .display_name
            .value()
            .map_or("?", String::as_str),
        uploaded
            .base
            .committed_content_version
            .value()
            .map_or("?", String::as_str),
    );
    std::fs::remove_file(&output).ok();
    Ok(())
}
