"""Microsoft's official Python Graph SDK (msgraph-sdk), unchanged, against the emulator.

A client nobody here wrote is the honest test of the emulator's wire: every check asserts
the exact values the SDK decoded. Run by `scripts/interop.sh`, which creates the virtual
environment and builds the emulator binary; `INTUNE_EMULATOR` is the binary's path.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import re
import subprocess
import time
import unittest
import uuid

import logging

import httpx
from azure.core.credentials import AccessToken
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_abstractions.headers_collection import HeadersCollection
from kiota_abstractions.method import Method
from kiota_abstractions.request_information import RequestInformation
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.device_management.device_compliance_policies.device_compliance_policies_request_builder import (
    DeviceCompliancePoliciesRequestBuilder,
)
from msgraph.generated.device_management.device_compliance_policies.item.assign.assign_post_request_body import (
    AssignPostRequestBody,
)
from msgraph.generated.models.android_compliance_policy import AndroidCompliancePolicy
from msgraph.generated.models.device_compliance_action_item import DeviceComplianceActionItem
from msgraph.generated.models.device_compliance_action_type import DeviceComplianceActionType
from msgraph.generated.models.device_compliance_policy import DeviceCompliancePolicy
from msgraph.generated.models.device_compliance_policy_assignment import (
    DeviceCompliancePolicyAssignment,
)
from msgraph.generated.models.device_compliance_policy_collection_response import (
    DeviceCompliancePolicyCollectionResponse,
)
from msgraph.generated.models.device_compliance_scheduled_action_for_rule import (
    DeviceComplianceScheduledActionForRule,
)
from msgraph.generated.models.group_assignment_target import GroupAssignmentTarget
from msgraph.generated.models.ios_compliance_policy import IosCompliancePolicy
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.mobile_app_content import MobileAppContent
from msgraph.generated.models.mobile_app_content_file import MobileAppContentFile
from msgraph.generated.models.mobile_app_content_file_upload_state import (
    MobileAppContentFileUploadState,
)
from msgraph.generated.models.win32_lob_app import Win32LobApp
from msgraph.generated.models.windows10_compliance_policy import Windows10CompliancePolicy
from msgraph_core import PageIterator
from msgraph_core.requests.batch_request_content import BatchRequestContent
from msgraph_core.requests.batch_request_item import BatchRequestItem

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Emulator:
    """The `intune-emulator` binary on a free port, read from what it prints at start."""

    def __init__(self, *args: str) -> None:
        binary = os.environ["INTUNE_EMULATOR"]
        self.process = subprocess.Popen(
            [binary, "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        printed: dict[str, str] = {}
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("Press Ctrl-C"):
                break
            if ":" in line:
                name, _, value = line.strip().partition(":")
                printed[name.strip()] = value.strip()
        else:
            raise RuntimeError(f"the emulator stopped before it served: {printed}")
        self.graph_url = printed["Graph"]
        self.token_url = printed["Token URL"]
        self.client_id = printed["Client id"]
        self.client_secret = printed["Client secret"].split()[0]
        reader = re.match(r"client id (\S+), secret (\S+)", printed["Read-only app"])
        assert reader is not None, printed
        self.reader_id, self.reader_secret = reader.group(1), reader.group(2)
        self.seed_policy_id = printed["Seed policy"]
        self.journal_url = printed["Journal"].split()[0]

    def journal(self) -> list[dict]:
        """Every request the emulator received, as it recorded them."""
        return httpx.get(self.journal_url).json()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class EmulatorCredential:
    """An azure-core async token credential that asks the emulator's token endpoint.

    azure-identity's credentials only accept an https authority, and the emulator serves
    plain HTTP on loopback; the form it posts is the same client-credentials grant.
    """

    def __init__(self, token_url: str, client_id: str, client_secret: str) -> None:
        self.token_url, self.client_id, self.client_secret = token_url, client_id, client_secret

    async def get_token(self, *scopes: str, **_: object) -> AccessToken:
        async with httpx.AsyncClient() as http:
            answer = await http.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "scope": " ".join(scopes),
                },
            )
        answer.raise_for_status()
        body = answer.json()
        assert body["token_type"] == "Bearer", body
        return AccessToken(body["access_token"], int(time.time()) + int(body["expires_in"]))

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> "EmulatorCredential":
        return self

    async def __aexit__(self, *_: object) -> None:
        pass


def sdk_client(emulator: Emulator, client_id: str, secret: str) -> GraphServiceClient:
    """The SDK as its docs set it up, pointed at the emulator: base URL and allowed host."""
    credential = EmulatorCredential(emulator.token_url, client_id, secret)
    auth = AzureIdentityAuthenticationProvider(
        credential, scopes=[GRAPH_SCOPE], allowed_hosts=["127.0.0.1"]
    )
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = emulator.graph_url
    return GraphServiceClient(request_adapter=adapter)


def block_rule() -> list[DeviceComplianceScheduledActionForRule]:
    """The one scheduled `block` action every new policy needs (reference §1.2)."""
    return [
        DeviceComplianceScheduledActionForRule(
            rule_name="PasswordRequired",
            scheduled_action_configurations=[
                DeviceComplianceActionItem(
                    action_type=DeviceComplianceActionType.Block, grace_period_hours=0
                )
            ],
        )
    ]


class EmulatorTestCase(unittest.IsolatedAsyncioTestCase):
    emulator_args: tuple[str, ...] = ("--empty",)

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator(*cls.emulator_args)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def setUp(self) -> None:
        self.client = sdk_client(self.emulator, self.emulator.client_id, self.emulator.client_secret)
        self.policies = self.client.device_management.device_compliance_policies

    async def create(self, policy: DeviceCompliancePolicy) -> DeviceCompliancePolicy:
        policy.scheduled_actions_for_rule = block_rule()
        created = await self.policies.post(policy)
        assert created is not None and created.id
        return created

    async def assert_odata_error(self, call, status: int, code: str, message: str) -> ODataError:
        with self.assertRaises(ODataError) as raised:
            await call
        error = raised.exception
        self.assertEqual(error.response_status_code, status)
        self.assertIsNotNone(error.error, "the SDK decoded no error resource")
        self.assertEqual(error.error.code, code)
        self.assertEqual(error.error.message, message)
        inner = error.error.inner_error
        self.assertIsNotNone(inner, "the SDK decoded no innerError")
        self.assertRegex(inner.request_id, GUID)
        self.assertIsInstance(inner.date, datetime.datetime)
        age = abs(datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - inner.date.replace(tzinfo=None))
        self.assertLess(age, datetime.timedelta(minutes=5), inner.date)
        # The header and the body name the same request.
        self.assertEqual(error.response_headers.get("request-id"), inner.request_id)
        return error


class Crud(EmulatorTestCase):
    async def test_create_read_update_delete_on_three_platforms(self) -> None:
        made = [
            Windows10CompliancePolicy(display_name="Win", password_required=True, os_minimum_version="10.0.19045"),
            IosCompliancePolicy(display_name="iOS", passcode_required=True, passcode_minimum_length=6),
            AndroidCompliancePolicy(display_name="Android", security_block_jailbroken_devices=True),
        ]
        for policy in made:
            created = await self.create(policy)
            self.assertIs(type(created), type(policy))
            self.assertEqual(created.display_name, policy.display_name)
            self.assertIsInstance(created.created_date_time, datetime.datetime)

            item = self.policies.by_device_compliance_policy_id(created.id)
            read = await item.get()
            self.assertIs(type(read), type(policy))
            self.assertEqual(read.id, created.id)
            if isinstance(read, Windows10CompliancePolicy):
                self.assertEqual((read.password_required, read.os_minimum_version), (True, "10.0.19045"))
            if isinstance(read, IosCompliancePolicy):
                self.assertEqual((read.passcode_required, read.passcode_minimum_length), (True, 6))
            if isinstance(read, AndroidCompliancePolicy):
                self.assertIs(read.security_block_jailbroken_devices, True)

            patch = type(policy)(description="patched by msgraph-sdk")
            updated = await item.patch(patch)  # Intune answers 200 with the updated policy
            self.assertIs(type(updated), type(policy))
            self.assertEqual(updated.description, "patched by msgraph-sdk")
            read = await item.get()
            self.assertEqual((read.display_name, read.description), (policy.display_name, "patched by msgraph-sdk"))

            self.assertIsNone(await item.delete())
            await self.assert_odata_error(
                item.get(),
                404,
                "ResourceNotFound",
                "Resource not found",
            )

    async def test_assign(self) -> None:
        created = await self.create(Windows10CompliancePolicy(display_name="Assigned"))
        group = str(uuid.uuid4())
        body = AssignPostRequestBody(
            assignments=[DeviceCompliancePolicyAssignment(target=GroupAssignmentTarget(group_id=group))]
        )
        answer = await self.policies.by_device_compliance_policy_id(created.id).assign.post(body)
        self.assertEqual(len(answer.value), 1)
        self.assertIsInstance(answer.value[0].target, GroupAssignmentTarget)
        self.assertEqual(answer.value[0].target.group_id, group)
        stored = await self.policies.by_device_compliance_policy_id(created.id).assignments.get()
        self.assertEqual([a.target.group_id for a in stored.value], [group])


class Apps(EmulatorTestCase):
    async def test_a_win32_app_through_the_type_cast_paths(self) -> None:
        """Kiota writes a cast with the namespace's alias (`…/graph.win32LobApp/…`)."""
        apps = self.client.device_app_management.mobile_apps
        app = await apps.post(Win32LobApp(display_name="Contoso Agent", setup_file_path="install.cmd"))
        assert app is not None and app.id
        self.assertIsInstance(app, Win32LobApp)
        listed = await apps.graph_win32_lob_app.get()
        assert listed is not None and listed.value is not None
        self.assertEqual([a.id for a in listed.value], [app.id])
        one = await apps.by_mobile_app_id(app.id).graph_win32_lob_app.get()
        assert one is not None
        self.assertEqual((one.id, one.display_name), (app.id, "Contoso Agent"))
        versions = apps.by_mobile_app_id(app.id).graph_win32_lob_app.content_versions
        version = await versions.post(MobileAppContent())
        assert version is not None and version.id
        files = versions.by_mobile_app_content_id(version.id).files
        created = await files.post(
            MobileAppContentFile(name="IntunePackage.intunewin", size=10, size_encrypted=64)
        )
        assert created is not None and created.id
        self.assertEqual(created.upload_state, MobileAppContentFileUploadState.AzureStorageUriRequestPending)
        ready = await files.by_mobile_app_content_file_id(created.id).get()
        assert ready is not None
        self.assertEqual(ready.upload_state, MobileAppContentFileUploadState.AzureStorageUriRequestSuccess)
        self.assertTrue(ready.azure_storage_uri.startswith(self.emulator.graph_url.split("/v1.0")[0] + "/_blob/"), ready.azure_storage_uri)
        paths = [e["path"] for e in self.emulator.journal() if e["method"] == "POST"]
        self.assertIn(f"/v1.0/deviceAppManagement/mobileApps/{app.id}/graph.win32LobApp/contentVersions", paths)


class Queries(EmulatorTestCase):
    async def asyncSetUp(self) -> None:
        # Five policies, named out of order; created once per test on a fresh list.
        existing = await self.policies.get()
        for policy in existing.value:
            await self.policies.by_device_compliance_policy_id(policy.id).delete()
        for name in ["Echo", "Alpha", "Delta", "Charlie", "Bravo"]:
            await self.create(Windows10CompliancePolicy(display_name=name, password_required=name < "C"))

    def query(self, **options) -> RequestConfiguration:
        parameters = DeviceCompliancePoliciesRequestBuilder.DeviceCompliancePoliciesRequestBuilderGetQueryParameters(**options)
        return RequestConfiguration(query_parameters=parameters)

    async def test_paging_with_next_link(self) -> None:
        first = await self.policies.get(self.query(top=2, orderby=["displayName"]))
        self.assertEqual([p.display_name for p in first.value], ["Alpha", "Bravo"])
        self.assertIn("$skiptoken=", first.odata_next_link)
        seen: list[str] = []
        pages = PageIterator(first, self.client.request_adapter)

        def keep(policy) -> bool:
            seen.append(policy.display_name)
            return True

        await pages.iterate(keep)
        self.assertEqual(seen, ["Alpha", "Bravo", "Charlie", "Delta", "Echo"])

    async def test_select_filter_orderby_count(self) -> None:
        page = await self.policies.get(
            self.query(select=["displayName"], filter="passwordRequired eq true", orderby=["displayName desc"], count=True)
        )
        self.assertEqual(page.odata_count, 2)
        self.assertEqual([p.display_name for p in page.value], ["Bravo", "Alpha"])
        self.assertTrue(all(isinstance(p, Windows10CompliancePolicy) for p in page.value))
        # $select left the other properties out of the answer.
        self.assertEqual({p.password_required for p in page.value}, {None})
        self.assertEqual({p.version for p in page.value}, {None})

    async def test_count_segment(self) -> None:
        self.assertEqual(await self.policies.count.get(), 5)

    async def test_expand(self) -> None:
        created = await self.create(Windows10CompliancePolicy(display_name="Foxtrot"))
        group = str(uuid.uuid4())
        body = AssignPostRequestBody(
            assignments=[DeviceCompliancePolicyAssignment(target=GroupAssignmentTarget(group_id=group))]
        )
        await self.policies.by_device_compliance_policy_id(created.id).assign.post(body)
        item = self.policies.by_device_compliance_policy_id(created.id)
        config = RequestConfiguration(
            query_parameters=item.DeviceCompliancePolicyItemRequestBuilderGetQueryParameters(expand=["assignments"])
        )
        read = await item.get(config)
        self.assertEqual([a.target.group_id for a in read.assignments], [group])


class Errors(EmulatorTestCase):
    async def test_400_bad_request(self) -> None:
        # Microsoft's documented service rule: a policy needs exactly one block action.
        await self.assert_odata_error(
            self.policies.post(Windows10CompliancePolicy(display_name="No action")),
            400,
            "BadRequest",
            "Compliance policy must have one and only one block scheduled action",
        )

    async def test_401_bad_token(self) -> None:
        adapter = self.client.request_adapter
        request = RequestInformation(Method.GET, f"{self.emulator.graph_url}/deviceManagement/deviceCompliancePolicies")
        # The SDK's own request path, with a token the emulator did not sign.
        request.headers.try_add("Authorization", "Bearer not.a.token")
        error = await self.assert_odata_error(
            adapter.send_async(request, DeviceCompliancePolicyCollectionResponse, {"XXX": ODataError}),
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid signature.",
        )
        challenge = error.response_headers.get("www-authenticate")
        self.assertTrue(challenge.startswith('Bearer realm="", authorization_uri="'), challenge)
        self.assertIn('error="invalid_token"', challenge)

    async def test_403_without_the_permission(self) -> None:
        reader = sdk_client(self.emulator, self.emulator.reader_id, self.emulator.reader_secret)
        policies = reader.device_management.device_compliance_policies
        self.assertIsNotNone(await policies.get())  # reading is allowed
        await self.assert_odata_error(
            policies.post(Windows10CompliancePolicy(display_name="Refused", scheduled_actions_for_rule=block_rule())),
            403,
            "Forbidden",
            "Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementConfiguration.ReadWrite.All",
        )

    async def test_404_unknown_id(self) -> None:
        await self.assert_odata_error(
            self.policies.by_device_compliance_policy_id("00000000-0000-0000-0000-000000000404").get(),
            404,
            "ResourceNotFound",
            "Resource not found",
        )


class Throttled(EmulatorTestCase):
    # Five writes per app per second: a burst of twelve is throttled on the way.
    emulator_args = ("--empty", "--throttle-scale", "0.05")

    async def test_burst_of_writes_completes_through_the_retry_handler(self) -> None:
        names = [f"Burst {i:02}" for i in range(12)]
        created = await asyncio.gather(
            *(self.create(Windows10CompliancePolicy(display_name=name)) for name in names)
        )
        self.assertEqual(sorted(p.display_name for p in created), names)
        listed = await self.policies.get()
        self.assertEqual(sorted(p.display_name for p in listed.value), names)
        # The emulator did throttle, and the SDK's retry handler sent the refused writes again
        # after Retry-After, marking them as retries.
        posts = [e for e in self.emulator.journal() if e["method"] == "POST" and e["path"].endswith("/deviceCompliancePolicies")]
        throttled = [e for e in posts if e["status"] == 429]
        self.assertGreater(len(throttled), 0)
        self.assertEqual(len([e for e in posts if e["status"] == 201]), len(names))
        self.assertEqual(len(posts), len(names) + len(throttled))
        retries = [e for e in posts if "retry-attempt" in e["headers"]]
        self.assertEqual(len(retries), len(throttled))


class Batch(EmulatorTestCase):
    def relative(self, item: BatchRequestItem) -> BatchRequestItem:
        """The documented workaround for msgraph-sdk-python#1015 (msgraph-sdk-python-core#1116):
        once the adapter has set the base URL, the SDK writes absolute URLs into a batch."""
        item.url = item.url.removeprefix(self.emulator.graph_url)
        return item

    async def test_batch_through_the_sdk(self) -> None:
        created = await self.create(Windows10CompliancePolicy(display_name="In a batch"))
        item = self.policies.by_device_compliance_policy_id(created.id)
        rename = BatchRequestItem(
            request_information=item.to_patch_request_information(Windows10CompliancePolicy(display_name="Renamed in a batch")),
            id="rename",
        )
        read = BatchRequestItem(request_information=item.to_get_request_information(), id="read")
        missing = BatchRequestItem(
            request_information=self.policies.by_device_compliance_policy_id("gone").to_get_request_information(),
            id="missing",
        )
        items = {"rename": rename, "read": read, "missing": missing}
        answer = await self.client.batch.post(BatchRequestContent({k: self.relative(v) for k, v in items.items()}))
        self.assertEqual(answer.get_response_status_codes(), {"rename": 200, "read": 200, "missing": 404})
        self.assertEqual(answer.get_response_by_id("read").content_type, "application/json")
        # The SDK drops JSON object bodies of batch answers (kiota-python#737), so the PATCH
        # is checked by reading the policy back.
        self.assertEqual((await item.get()).display_name, "Renamed in a batch")

    async def test_absolute_item_urls_are_refused_as_graph_refuses_them(self) -> None:
        await self.policies.get()  # from here on, the SDK builds absolute URLs
        read = BatchRequestItem(request_information=self.policies.to_get_request_information(), id="read")
        self.assertTrue(read.url.startswith(self.emulator.graph_url), read.url)
        answer = await self.client.batch.post(BatchRequestContent({"read": read}))
        self.assertEqual(answer.get_response_status_codes(), {"read": 400})


# unittest runs coroutines in asyncio's debug mode, which logs every slow step.
logging.getLogger("asyncio").setLevel(logging.ERROR)

if __name__ == "__main__":
    unittest.main(verbosity=2)
