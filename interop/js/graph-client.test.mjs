// Microsoft's JavaScript Graph client, @microsoft/microsoft-graph-client 3.0.7 with its default
// middleware chain (auth, retry, redirect, telemetry), against the intune-emulator binary in
// HTTPS mode, unchanged. Run by scripts/interop-js.sh, which starts the emulators and trusts
// their CA through NODE_EXTRA_CA_CERTS (the client attaches tokens only to https URLs).

import { test } from "node:test";
import assert from "node:assert/strict";

import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  GraphError,
  PageIterator,
} from "@microsoft/microsoft-graph-client";

import { journal, plain, throttled, token } from "./emulators.mjs";

const SEED = "2d4f5bf4-5bf4-2d4f-f45b-4f2df45b4f2d";
const POLICIES = "/deviceManagement/deviceCompliancePolicies";


/**
 * The client with its default middleware chain and an auth provider handing out `bearer`.
 * graph-client attaches the token only to https URLs of Graph's hosts or of `customHosts`
 * (host names, without the port).
 */
function client(target, bearer) {
  return Client.initWithMiddleware({
    baseUrl: target.graph.replace(/\/v1\.0$/, ""),
    defaultVersion: "v1.0",
    customHosts: new Set([new URL(target.graph).hostname]),
    authProvider: { getAccessToken: async () => bearer },
  });
}


function windowsPolicy(name) {
  return {
    "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
    displayName: name,
    scheduledActionsForRule: [
      {
        ruleName: "PasswordRequired",
        scheduledActionConfigurations: [{ actionType: "block", gracePeriodHours: 0 }],
      },
    ],
  };
}

test("a token, then a list followed by PageIterator with a small page size", async () => {
  const graph = client(plain, await token(plain));
  for (const name of ["js-page-a", "js-page-b", "js-page-c"]) {
    await graph.api(POLICIES).post(windowsPolicy(name));
  }
  const first = await graph.api(POLICIES).top(2).orderby("displayName").get();
  assert.equal(first.value.length, 2);
  assert.match(first["@odata.nextLink"], /^https:\/\/127\.0\.0\.1:\d+\/v1\.0\//);
  const names = [];
  const iterator = new PageIterator(graph, first, (policy) => {
    names.push(policy.displayName);
    return true;
  });
  await iterator.iterate();
  const ours = names.filter((n) => n.startsWith("js-page-"));
  assert.deepEqual(ours, ["js-page-a", "js-page-b", "js-page-c"]);
  assert.ok(names.length >= 4, "the seed's policies are listed too");
});

test("the seed PATCH is read back with all 7 fractional digits", async () => {
  const graph = client(plain, await token(plain));
  const path = `${POLICIES}/${SEED}/userStatusOverview`;
  const stamp = "2026-11-30T09:15:42.1234567+01:00";
  await graph.api(path).patch({ pendingCount: 4, lastUpdateDateTime: stamp });
  const read = await graph.api(path).get();
  assert.equal(read.pendingCount, 4);
  assert.equal(read.lastUpdateDateTime, stamp);
});

test("404 and 403 arrive as GraphError with Graph's code", async () => {
  const graph = client(plain, await token(plain));
  await assert.rejects(graph.api(`${POLICIES}/no-such-policy`).get(), (error) => {
    assert.ok(error instanceof GraphError);
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, "ResourceNotFound");
    return true;
  });
  const reader = client(plain, await token(plain, "emulator-reader", "reader-secret"));
  await assert.rejects(reader.api(POLICIES).post(windowsPolicy("js-forbidden")), (error) => {
    assert.ok(error instanceof GraphError);
    assert.equal(error.statusCode, 403);
    assert.equal(error.code, "Forbidden");
    return true;
  });
});

test("$select, $filter and $count", async () => {
  const graph = client(plain, await token(plain));
  await graph.api(POLICIES).post(windowsPolicy("js-filtered"));
  const selected = await graph
    .api(POLICIES)
    .filter("displayName eq 'js-filtered'")
    .select(["displayName"])
    .count(true)
    .get();
  assert.equal(selected["@odata.count"], 1);
  assert.equal(selected.value.length, 1);
  assert.equal(selected.value[0].displayName, "js-filtered");
  assert.equal(selected.value[0].version, undefined, "$select leaves other properties out");
  const count = await graph.api(`${POLICIES}/$count`).get();
  assert.ok(Number(count) >= 1, `${count}`);
});

test("$batch with dependsOn through BatchRequestContent", async () => {
  const graph = client(plain, await token(plain));
  const base = plain.graph;
  // Relative item URLs: graph-client 3.0.7 keeps the version in an item URL built from an
  // absolute Request (microsoft/msgraph-sdk-javascript#1178); see the next test.
  const steps = [
    {
      id: "1",
      request: new Request(`${base}${POLICIES}/${SEED}/userStatusOverview`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ failedCount: 2 }),
      }),
    },
    {
      id: "2",
      request: new Request(`${base}${POLICIES}/${SEED}/userStatusOverview`, { method: "GET" }),
      dependsOn: ["1"],
    },
  ];
  const content = new BatchRequestContent(steps);
  const body = await content.getContent();
  for (const item of body.requests) {
    item.url = item.url.replace(/^\/v1\.0/, "");
  }
  const answer = new BatchResponseContent(await graph.api("/$batch").post(body));
  assert.equal(answer.getResponseById("1").status, 200);
  const read = answer.getResponseById("2");
  assert.equal(read.status, 200);
  assert.equal((await read.json()).failedCount, 2);
});

test("the client's version-in-item-URL bug gets Graph's answer", async () => {
  const graph = client(plain, await token(plain));
  const content = new BatchRequestContent([
    { id: "1", request: new Request(`${plain.graph}${POLICIES}/${SEED}`, { method: "GET" }) },
  ]);
  const body = await content.getContent();
  assert.match(body.requests[0].url, /^\/v1\.0\//, "the bug: the version stays in the item URL");
  const answer = new BatchResponseContent(await graph.api("/$batch").post(body));
  const item = answer.getResponseById("1");
  assert.equal(item.status, 400);
  assert.equal(
    (await item.json()).error.message,
    "Resource not found for the segment 'v1.0'.",
  );
});

test("throttled writes are retried by RetryHandler", async () => {
  const graph = client(throttled, await token(throttled));
  const names = Array.from({ length: 8 }, (_, i) => `js-burst-${i}`);
  const created = await Promise.all(names.map((name) => graph.api(POLICIES).post(windowsPolicy(name))));
  assert.deepEqual(created.map((p) => p.displayName), names);
  const entries = (await journal(throttled)).filter(
    (e) => e.method === "POST" && e.path === `/v1.0${POLICIES}`,
  );
  const statuses = entries.map((e) => e.status);
  assert.equal(statuses.filter((s) => s === 201).length, 8);
  const throttledCount = statuses.filter((s) => s === 429).length;
  assert.ok(throttledCount > 0, `the burst was throttled: ${statuses}`);
  const retries = entries.filter((e) => e.headers["retry-attempt"] !== undefined).length;
  assert.equal(retries, throttledCount, "one retry per 429, each with Retry-Attempt");
});

test("create, get and delete; an action", async () => {
  const graph = client(plain, await token(plain));
  const created = await graph.api(POLICIES).post(windowsPolicy("js-crud"));
  assert.equal(created["@odata.type"], "#microsoft.graph.windows10CompliancePolicy");
  const item = `${POLICIES}/${created.id}`;
  assert.equal((await graph.api(item).get()).displayName, "js-crud");
  const assigned = await graph.api(`${item}/assign`).post({
    assignments: [
      {
        target: {
          "@odata.type": "#microsoft.graph.groupAssignmentTarget",
          groupId: "00000000-0000-0000-0000-0000000000aa",
        },
      },
    ],
  });
  assert.equal(assigned.value.length, 1);
  assert.equal(assigned.value[0].target.groupId, "00000000-0000-0000-0000-0000000000aa");
  await graph.api(item).delete();
  await assert.rejects(graph.api(item).get(), (error) => error.statusCode === 404);
});
