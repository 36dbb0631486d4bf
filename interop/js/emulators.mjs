// The emulators scripts/interop-js.sh started, and a client-credentials token from one: what
// both JavaScript suites share.

import assert from "node:assert/strict";

/** The Graph URL, token URL and journal URL of the emulator the script named `prefix`. */
function emulator(prefix) {
  const value = (name) => {
    const text = process.env[`${prefix}_${name}`];
    assert.ok(text, `${prefix}_${name} is set by scripts/interop-js.sh`);
    return text;
  };
  return { graph: value("GRAPH"), token: value("TOKEN"), journal: value("JOURNAL") };
}

/** The plain emulator, and the one with Intune's limits over a 1 s window. */
export const plain = emulator("EMULATOR");
export const throttled = emulator("THROTTLED");

/** A token from the emulator's token endpoint (client credentials), as an app would get one. */
export async function token(target, clientId = "emulator-app", secret = "emulator-secret") {
  const response = await fetch(target.token, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
      scope: "https://graph.microsoft.com/.default",
    }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).access_token;
}

/** What the emulator journaled, as JSON. */
export async function journal(target) {
  const response = await fetch(target.journal);
  assert.equal(response.status, 200);
  return response.json();
}
