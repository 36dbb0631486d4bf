//! Create a Settings Catalog policy with one setting and assign it to a group (Graph beta:
//! `configurationPolicies`, then its `assign` action), then read the assignments back.
//!
//! ```text
//! cargo run -p graphwire-intune-beta --features configuration-policies --example settings_catalog_policy -- [GROUP_ID]
//! ```
//!
//! Against the emulator unless real credentials are in the environment
//! (`graphwire_testkit::connect_or_emulate`).

use graphwire_core::{GraphClient, Nullable};
use graphwire_intune_beta::{
    DeviceAndAppManagementAssignmentTarget, DeviceManagementConfigurationChoiceSettingInstance,
    DeviceManagementConfigurationChoiceSettingValue, DeviceManagementConfigurationPlatforms,
    DeviceManagementConfigurationPolicy, DeviceManagementConfigurationPolicyAssignParameters,
    DeviceManagementConfigurationPolicyAssignment, DeviceManagementConfigurationSetting,
    DeviceManagementConfigurationSettingInstance, DeviceManagementConfigurationTechnologies,
    GroupAssignmentTargetBase, IntuneBetaExt,
};

/// Windows: "Allow Telemetry" set to "Basic" (a choice setting of the Settings Catalog).
const SETTING: &str = "device_vendor_msft_policy_config_system_allowtelemetry";
const CHOICE: &str = "device_vendor_msft_policy_config_system_allowtelemetry_1";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let connection = graphwire_testkit::connect_or_emulate(GraphClient::builder(), None).await?;
    println!("{}", connection.describe());
    let group = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "b4b3a4c5-0000-4000-8000-000000000001".to_owned());

    let mut instance = DeviceManagementConfigurationChoiceSettingInstance {
        choice_setting_value: Nullable::Value(DeviceManagementConfigurationChoiceSettingValue {
            value: CHOICE.to_owned().into(),
            children: Nullable::Value(Vec::new()),
            ..Default::default()
        }),
        ..Default::default()
    };
    // The inherited `settingDefinitionId` sits in the base struct.
    instance.base.setting_definition_id = SETTING.to_owned().into();
    let policy = DeviceManagementConfigurationPolicy {
        name: "Telemetry: basic".to_owned().into(),
        description: "Created by graphwire's settings_catalog_policy example"
            .to_owned()
            .into(),
        platforms: DeviceManagementConfigurationPlatforms::Windows10.into(),
        technologies: DeviceManagementConfigurationTechnologies::Mdm.into(),
        settings: Some(vec![DeviceManagementConfigurationSetting {
            setting_instance: Nullable::Value(
                DeviceManagementConfigurationSettingInstance::DeviceManagementConfigurationChoice(
                    instance,
                ),
            ),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let policies = connection.client.intune_beta().configuration_policies();
    let created = policies.create(&policy).await?;
    let id = created
        .id
        .clone()
        .ok_or("the service returned the policy without an id")?;
    println!("created policy {id}: {:?}", created.name.value());

    let target = GroupAssignmentTargetBase {
        group_id: group.clone().into(),
        ..Default::default()
    };
    let assignment = DeviceManagementConfigurationPolicyAssignment {
        target: Nullable::Value(DeviceAndAppManagementAssignmentTarget::Group(target)),
        ..Default::default()
    };
    let assigned = policies
        .assign(
            &id,
            &DeviceManagementConfigurationPolicyAssignParameters::new([assignment]),
        )
        .await?;
    println!(
        "assigned to group {group}: {} assignment(s) answered",
        assigned.len()
    );
    let listed = policies.assignments_list(&id).await?.collect_all().await?;
    println!("the policy now has {} assignment(s)", listed.len());
    Ok(())
}
