//! List compliance policies page by page (`$top` sets the page size), with `@odata.count`.
//!
//! ```text
//! cargo run -p graphwire-intune --example list_policies
//! ```

use graphwire_core::{GraphClient, Query};
use graphwire_intune::{DeviceCompliancePolicy, IntuneExt};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    println!("{}", connection.describe());
    let mut pages = connection
        .client
        .intune()
        .device_compliance_policies()
        .list()
        .query(
            &Query::new()
                .select(["id", "displayName", "version"])
                .top(1)
                .count(true),
        )
        .await?;
    println!("@odata.count: {:?}", pages.count());
    while let Some(page) = pages.next_page().await? {
        println!("page {}:", pages.pages_fetched());
        for policy in page {
            let platform = match &policy {
                DeviceCompliancePolicy::Base(_) => "(base type)".to_owned(),
                other => other
                    .odata_type()
                    .trim_start_matches("#microsoft.graph.")
                    .to_owned(),
            };
            println!(
                "  {}  {:<40}  {}",
                policy.id.as_deref().unwrap_or("-"),
                policy.display_name.as_deref().unwrap_or("-"),
                platform
            );
        }
    }
    if let Some(emulator) = connection.emulator {
        emulator.shutdown().await;
    }
    Ok(())
}
