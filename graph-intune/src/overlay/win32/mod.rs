//! Win32 LOB apps (feature `win32-apps`): `.intunewin` packages read and packed
//! ([`IntuneWinPackage`]), and uploaded end to end with one call
//! ([`mobile_apps().upload_win32`](crate::mobile_apps::MobileAppsHandler::upload_win32)),
//! reporting progress. Hand-written overlay over the generated `mobileApps` endpoints.
//!
//! The whole pipeline runs on Linux and macOS build agents: [`IntuneWinPackage::pack`] does
//! what Microsoft's Windows-only IntuneWinAppUtil does.

mod encryption;
mod package;
mod upload;

pub use package::{
    CONTENT_FILE, CONTENTS_DIR, DETECTION_PATH, Detection, EncryptionInfo, IntuneWinPackage,
    PackageError, pack_in_memory,
};
pub use upload::{AppTarget, UploadError, UploadOptions, UploadPhase, UploadProgress, Win32Upload};

use crate::{
    RunAsAccountType, Win32LobApp, Win32LobAppInstallExperience, Win32LobAppRestartBehavior,
    Win32LobAppReturnCode, Win32LobAppReturnCodeType, WindowsArchitecture,
};

/// A `win32LobApp` for `package`, as the Intune admin center fills one in: its setup file
/// as the install command, run as system, 64-bit Windows, Intune's default return codes.
/// Add the detection rules (`rules`) and the uninstall command before creating it: the service
/// wants both.
pub fn new_app(package: &IntuneWinPackage, display_name: &str, publisher: &str) -> Win32LobApp {
    let detection = package.detection();
    let mut app = Win32LobApp {
        setup_file_path: detection.setup_file.clone().into(),
        install_command_line: detection.setup_file.clone().into(),
        applicable_architectures: Some(WindowsArchitecture::X64),
        minimum_supported_windows_release: String::from("1607").into(),
        install_experience: Win32LobAppInstallExperience {
            run_as_account: Some(RunAsAccountType::System),
            device_restart_behavior: Some(Win32LobAppRestartBehavior::BasedOnReturnCode),
            ..Win32LobAppInstallExperience::default()
        }
        .into(),
        return_codes: default_return_codes().into(),
        ..Win32LobApp::default()
    };
    app.base.file_name = detection.file_name.clone().into();
    app.base.base.display_name = display_name.to_owned().into();
    app.base.base.publisher = publisher.to_owned().into();
    app
}

/// Intune's default return codes for a Win32 app.
fn default_return_codes() -> Vec<Win32LobAppReturnCode> {
    [
        (0, Win32LobAppReturnCodeType::Success),
        (1707, Win32LobAppReturnCodeType::Success),
        (3010, Win32LobAppReturnCodeType::SoftReboot),
        (1641, Win32LobAppReturnCodeType::HardReboot),
        (1618, Win32LobAppReturnCodeType::Retry),
    ]
    .into_iter()
    .map(|(code, kind)| Win32LobAppReturnCode {
        return_code: Some(code),
        type_: Some(kind),
        ..Win32LobAppReturnCode::default()
    })
    .collect()
}

/// An app content file's upload as the service stages it (Azure Storage, then a commit that
/// checks the encryption info), for any emulator in the program.
static CONTENT_FILE_UPLOAD: graphwire_core::meta::StagedUpload =
    graphwire_core::meta::StagedUpload::new(
        "mobile app content file",
        "/contentVersions/{mobileAppContentId}/files",
        graphwire_core::meta::UploadWire {
            state: "uploadState",
            uri: "azureStorageUri",
            uri_expiry: "azureStorageUriExpirationDateTime",
            size: "sizeEncrypted",
            committed: "isCommitted",
            commit_action: "commit",
            renew_action: "renewUpload",
            uri_pending: "azureStorageUriRequestPending",
            uri_ready: "azureStorageUriRequestSuccess",
            renew_pending: "azureStorageUriRenewalPending",
            renew_ready: "azureStorageUriRenewalSuccess",
            commit_pending: "commitFilePending",
            commit_success: "commitFileSuccess",
            commit_failed: "commitFileFailed",
        },
        package::verify_commit,
    );

graphwire_core::register_staged_upload!(CONTENT_FILE_UPLOAD);
