//! The main example: update a compliance policy's user-status overview
//! (`PATCH /deviceManagement/deviceCompliancePolicies/{id}/userStatusOverview`).
//!
//! With `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` set, it calls the real
//! Microsoft Graph (cloud from `--cloud` or `AZURE_CLOUD`). Without them it starts the
//! graphwire-testkit emulator in-process, signs in against the emulator's token endpoint and
//! sends the same request there.
//!
//! ```text
//! cargo run -p graphwire-intune --example update_user_overview -- --help
//! ```

use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use graphwire_core::{DateTimeOffset, GraphClient, NationalCloud, RequestPolicy};
use graphwire_intune::{DeviceCompliancePolicyId, DeviceComplianceUserOverview, IntuneExt};

const HELP: &str = "\
Update a compliance policy's user-status overview.

USAGE:
    cargo run -p graphwire-intune --example update_user_overview -- [OPTIONS]

OPTIONS:
    --policy-id ID              the deviceCompliancePolicy id (default with the emulator: its seed policy)
    --pending N                 pendingCount          (default 12)
    --not-applicable N          notApplicableCount    (default 2)
    --success N                 successCount          (default 12)
    --error N                   errorCount            (default 10)
    --failed N                  failedCount           (default 11)
    --configuration-version N   configurationVersion  (default 4)
    --last-update TIMESTAMP     lastUpdateDateTime    (default 2016-12-31T23:58:21.6459442-08:00)
    --cloud NAME                global, usgov, usgovdod or china (real service only; default global)
    -h, --help                  this text

ENVIRONMENT:
    AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET   call the real Microsoft Graph
    AZURE_CLOUD                                             the cloud, as --cloud
Without credentials the example runs against the local emulator (graphwire-testkit).";

struct Options {
    policy_id: Option<String>,
    patch: DeviceComplianceUserOverview,
    cloud: Option<NationalCloud>,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        policy_id: None,
        patch: DeviceComplianceUserOverview {
            pending_count: Some(12),
            not_applicable_count: Some(2),
            success_count: Some(12),
            error_count: Some(10),
            failed_count: Some(11),
            configuration_version: Some(4),
            last_update_date_time: Some(
                "2016-12-31T23:58:21.6459442-08:00"
                    .parse()
                    .map_err(|e| format!("{e}"))?,
            ),
            ..Default::default()
        },
        cloud: None,
    };
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let mut value = || args.next().ok_or_else(|| format!("`{flag}` needs a value"));
        let count = |text: String, flag: &str| {
            text.parse::<i32>()
                .map_err(|_| format!("`{flag}` takes a whole number (Int32), got `{text}`"))
        };
        match flag.as_str() {
            "--policy-id" => options.policy_id = Some(value()?),
            "--pending" => options.patch.pending_count = Some(count(value()?, &flag)?),
            "--not-applicable" => {
                options.patch.not_applicable_count = Some(count(value()?, &flag)?)
            }
            "--success" => options.patch.success_count = Some(count(value()?, &flag)?),
            "--error" => options.patch.error_count = Some(count(value()?, &flag)?),
            "--failed" => options.patch.failed_count = Some(count(value()?, &flag)?),
            "--configuration-version" => {
                options.patch.configuration_version = Some(count(value()?, &flag)?)
            }
            "--last-update" => {
                let text = value()?;
                options.patch.last_update_date_time =
                    Some(text.parse::<DateTimeOffset>().map_err(|e| e.to_string())?);
            }
            "--cloud" => {
                let name = value()?;
                options.cloud = Some(NationalCloud::from_name(&name).ok_or_else(|| {
                    format!("unknown cloud `{name}`; expected global, usgov, usgovdod or china")
                })?);
            }
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    Ok(Some(options))
}

/// Records what went on the wire, to show it.
#[derive(Debug, Default)]
struct ShowRequest {
    sent: Arc<Mutex<Vec<String>>>,
}

impl RequestPolicy for ShowRequest {
    fn on_request(&self, request: &mut graphwire_core::reqwest::Request) {
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        if let Ok(mut sent) = self.sent.lock() {
            sent.push(format!("{} {}\n{}", request.method(), request.url(), body));
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("error: {problem}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match run(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let shown = ShowRequest::default();
    let sent = shown.sent.clone();
    let connection =
        graphwire_testkit::connect_or_emulate(GraphClient::builder().policy(shown), options.cloud)
            .await?;
    println!("{}", connection.describe());
    let policy_id = match (options.policy_id, &connection.emulator) {
        (Some(id), _) => id,
        (None, Some(_)) => graphwire_intune::emulator_seed::SEED_POLICY_ID.to_owned(),
        (None, None) => return Err("--policy-id is required against the real service".into()),
    };
    let client = &connection.client;

    let updated = client
        .intune()
        .device_compliance_policies()
        .user_status_overview_update(&DeviceCompliancePolicyId::from(policy_id), &options.patch)
        .await?;

    if let Ok(sent) = sent.lock() {
        for request in sent.iter().filter(|r| r.starts_with("PATCH")) {
            println!("\nRequest sent:\n{request}");
        }
    }
    let Some(updated) = updated else {
        println!("\nResult: 204 No Content (the update was applied; the service returned no body)");
        return Ok(());
    };
    println!("\nResult (DeviceComplianceUserOverview):");
    println!(
        "  id                    {}",
        updated.id.as_deref().unwrap_or("-")
    );
    let show = |n: Option<i32>| n.map_or("-".to_owned(), |n| n.to_string());
    println!("  pendingCount          {}", show(updated.pending_count));
    println!(
        "  notApplicableCount    {}",
        show(updated.not_applicable_count)
    );
    println!("  successCount          {}", show(updated.success_count));
    println!("  errorCount            {}", show(updated.error_count));
    println!("  failedCount           {}", show(updated.failed_count));
    println!(
        "  lastUpdateDateTime    {}",
        updated
            .last_update_date_time
            .map_or("-".to_owned(), |t| t.to_string())
    );
    println!(
        "  configurationVersion  {}",
        show(updated.configuration_version)
    );
    if let Some(emulator) = connection.emulator {
        println!(
            "\n(served by the local emulator; set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET to call Microsoft Graph)"
        );
        emulator.shutdown().await;
    }
    Ok(())
}
