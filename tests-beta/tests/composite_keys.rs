//! Items addressed by a key of several properties
//! (`…/deviceHealthScriptStates/id='…',policyId='…',deviceId='…'`), through the client and
//! the emulator: a created state is stored under its key's values and read, updated and
//! deleted by that key; a value holding a quote is doubled (and percent-encoded) on the wire
//! and read back whole.

mod common;

use common::harness::Harness;
use graphwire_core::Nullable;
use graphwire_intune_beta::*;

const DEVICE: &str = "/deviceManagement/managedDevices/device-1";

async fn started() -> Harness {
    Harness::start(&[(DEVICE, "#microsoft.graph.managedDevice")]).await
}

#[tokio::test(start_paused = true)]
async fn a_created_state_is_read_updated_and_deleted_by_its_three_key_properties() {
    let h = started().await;
    let states = h
        .client()
        .intune_beta()
        .managed_devices()
        .device_health_script_states();
    let device = ManagedDeviceId::from("device-1");
    let state = DeviceHealthScriptPolicyState {
        policy_id: Nullable::Value("policy-1".into()),
        device_id: Nullable::Value("device-1".into()),
        device_name: Nullable::Value("Kiosk 7".into()),
        ..Default::default()
    };
    let created = states.create(&device, &state).await.unwrap();
    // The service sets `id`; the other two come from the body.
    let id = created.id.value().cloned().unwrap();
    assert_eq!(created.policy_id, Nullable::Value("policy-1".into()));
    assert_eq!(created.device_id, Nullable::Value("device-1".into()));
    let stored = format!("{DEVICE}/deviceHealthScriptStates/{id},policy-1,device-1");
    assert_eq!(
        h.emulator.resource(&stored).unwrap()["deviceName"],
        "Kiosk 7"
    );

    h.emulator.clear_journal();
    let read = states
        .get(&device, &id, "policy-1", "device-1")
        .await
        .unwrap();
    assert_eq!(read, created);
    h.expect(
        "GET",
        &format!(
            "/beta/deviceManagement/managedDevices/device-1/deviceHealthScriptStates/id='{id}',policyId='policy-1',deviceId='device-1'"
        ),
        None,
        "read by its key",
    );

    h.emulator.clear_journal();
    let rename = DeviceHealthScriptPolicyState {
        device_name: Nullable::Value("Kiosk 8".into()),
        ..Default::default()
    };
    states
        .update(&device, &id, "policy-1", "device-1", &rename)
        .await
        .unwrap();
    h.expect(
        "PATCH",
        &format!(
            "/beta/deviceManagement/managedDevices/device-1/deviceHealthScriptStates/id='{id}',policyId='policy-1',deviceId='device-1'"
        ),
        Some(serde_json::json!({
            "@odata.type": "#microsoft.graph.deviceHealthScriptPolicyState",
            "deviceName": "Kiosk 8",
        })),
        "updated by its key",
    );
    assert_eq!(
        h.emulator.resource(&stored).unwrap()["deviceName"],
        "Kiosk 8"
    );

    states
        .delete(&device, &id, "policy-1", "device-1")
        .await
        .unwrap();
    assert_eq!(h.emulator.resource(&stored), None);
    let gone = states
        .get(&device, &id, "policy-1", "device-1")
        .await
        .unwrap_err();
    assert_eq!(
        gone.service().map(|e| (e.status, e.code.as_str())),
        Some((404, "ResourceNotFound"))
    );
}

#[tokio::test(start_paused = true)]
async fn a_quote_in_a_key_value_is_doubled_and_read_back_whole() {
    let h = started().await;
    h.emulator.put_resource(
        &format!("{DEVICE}/deviceHealthScriptStates/s-1,o'brien,device-1"),
        serde_json::json!({
            "@odata.type": "#microsoft.graph.deviceHealthScriptPolicyState",
            "id": "s-1",
            "policyId": "o'brien",
            "deviceId": "device-1",
        }),
    );
    let read = h
        .client()
        .intune_beta()
        .managed_devices()
        .device_health_script_states()
        .get(
            &ManagedDeviceId::from("device-1"),
            "s-1",
            "o'brien",
            "device-1",
        )
        .await
        .unwrap();
    assert_eq!(read.policy_id, Nullable::Value("o'brien".into()));
    h.expect(
        "GET",
        "/beta/deviceManagement/managedDevices/device-1/deviceHealthScriptStates/id='s-1',policyId='o%27%27brien',deviceId='device-1'",
        None,
        "the quote doubled (and percent-encoded, as every quoted value is)",
    );
}
