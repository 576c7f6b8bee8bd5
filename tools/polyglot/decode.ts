// Decodes every reply fixture with the three TypeScript clients made from openapi.yaml (nox -s polyglot).
//
// The session copies this directory's .ts files next to the generated clients (gen/typescript-fetch,
// gen/openapi-typescript, gen/hey-api), type-checks everything with tsc, then runs this with the fixtures file.
// For each fixture:
// - typescript-fetch: the reply schema's `FromJSON` must decode it as the oneOf member the spec says it is
//   (success or failure), and `ToJSON` must give the same values back;
// - openapi-fetch and the @hey-api SDK: the operation is called for real, through a fetch that checks the
//   request (method, path, query, headers, body) and answers the fixture with its HTTP status; the client
//   must hand back the reply's values (hey-api validates 2xx replies with its generated zod schemas);
// - documented.ts: the replies the docs promise, read field by field through each client's own types.
// Only failures and notes are printed, then "typescript: N passed, N failed"; POLYGLOT_VERBOSE=1 prints all.
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";

import createClient from "openapi-fetch";

import { documented, documentedMissing } from "./documented";
import { BASE, type Fixture, fakeFetch } from "./fixture";
import type { paths } from "./gen/openapi-typescript/api";
import { createClient as createHeyClient, createConfig } from "./gen/hey-api/client";
import * as heySdk from "./gen/hey-api/sdk.gen";
import * as tsFetchModels from "./gen/typescript-fetch/models/index";

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

const present = (o: Record<string, unknown>): string[] =>
  Object.keys(o).filter((k) => o[k] !== undefined && o[k] !== null);

/** Whether a decoded value holds every member of `expect` with the same value, and any other member only as the
 * server `sent` it (a decoder may keep unknown fields or drop them). A member that is null or undefined counts as
 * absent; two date-time strings agree if they name the same instant (typescript-fetch turns `date-time` fields
 * into `Date` and back into UTC). */
function agrees(got: unknown, expect: unknown, sent: unknown): boolean {
  if (typeof got === "string" && typeof expect === "string" && DATE_TIME.test(got) && DATE_TIME.test(expect)) {
    return Date.parse(got) === Date.parse(expect);
  }
  if (Array.isArray(got) && Array.isArray(expect)) {
    const s = Array.isArray(sent) ? sent : [];
    return got.length === expect.length && got.every((x, i) => agrees(x, expect[i], s[i]));
  }
  if (isObject(got) && isObject(expect)) {
    const s = isObject(sent) ? sent : {};
    const known = present(expect);
    return (
      known.every((k) => agrees(got[k], expect[k], s[k])) &&
      present(got).every((k) => known.includes(k) || agrees(got[k], s[k], s[k]))
    );
  }
  return isDeepStrictEqual(got, expect);
}

function expectBack(client: string, got: unknown, f: Fixture): void {
  if (!agrees(got, f.expect, f.reply)) {
    throw new Error(`${client} decoded ${JSON.stringify(got)}, expected ${JSON.stringify(f.expect)}`);
  }
}

type Converter = (json: unknown) => unknown;

function typescriptFetch(f: Fixture): string {
  const models = tsFetchModels as unknown as Record<string, Converter | undefined>;
  const fromJSON = models[`${f.schema}FromJSON`];
  const toJSON = models[`${f.schema}ToJSON`];
  if (fromJSON === undefined || toJSON === undefined) throw new Error(`typescript-fetch has no model ${f.schema}`);
  if (f.reject) return "typescript-fetch does not check types";
  const decoded = fromJSON(f.reply);
  expectBack("typescript-fetch", toJSON(decoded), f);
  if (f.member !== "") {
    // Its oneOf decoder takes the first member whose required keys are present: it must be the right one.
    const asMember = (name: string): unknown => (models[`${name}FromJSON`] as Converter)(f.reply);
    if (!isDeepStrictEqual(decoded, asMember(f.member))) {
      const taken = f.members.filter((m) => isDeepStrictEqual(decoded, asMember(m)));
      throw new Error(`typescript-fetch decoded it as ${taken.join(" or ") || "none of its members"}, not ${f.member}`);
    }
  }
  return "";
}

/** openapi-fetch is typed per path; the loop calls every path, so it goes through the untyped `request`. */
type AnyRequest = (
  method: string,
  path: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

async function openapiFetch(f: Fixture): Promise<string> {
  const client = createClient<paths>({ baseUrl: BASE, fetch: fakeFetch(f, "openapi-fetch") });
  const request = client.request as unknown as AnyRequest;
  const { header, path, query, body } = f.request;
  const { data, error, response } = await request(f.method, f.path, { params: { header, path, query }, body });
  if (response.status !== f.status) throw new Error(`openapi-fetch saw HTTP ${response.status}`);
  expectBack("openapi-fetch", response.ok ? data : error, f);
  return f.reject ? "openapi-fetch does not check types" : "";
}

type SdkCall = (options: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

async function heyApi(f: Fixture): Promise<string> {
  const call = (heySdk as unknown as Record<string, SdkCall | undefined>)[f.operationId];
  if (call === undefined) throw new Error(`the hey-api SDK has no function ${f.operationId}`);
  const client = createHeyClient(createConfig({ baseUrl: BASE, fetch: fakeFetch(f, "hey-api") }));
  const { header, path, query, body } = f.request;
  // Only the parts the operation has: its request validator refuses a `path` or `query` it does not declare.
  const options: Record<string, unknown> = { client, headers: header, body };
  if (Object.keys(path).length > 0) options.path = path;
  if (Object.keys(query).length > 0) options.query = query;
  let result;
  try {
    result = await call(options);
  } catch (e) {
    if (f.reject) return "";
    throw new Error(`hey-api refused it: ${String(e).slice(0, 400)}`);
  }
  if (f.reject) throw new Error("hey-api's zod schemas accepted a reply the spec refuses");
  if (result.response.status !== f.status) throw new Error(`hey-api saw HTTP ${result.response.status}`);
  expectBack("hey-api", result.response.ok ? result.data : result.error, f);
  return "";
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error("usage: decode.ts FIXTURES.json");
  const fixtures = JSON.parse(readFileSync(file, "utf-8")) as Fixture[];
  const checks = [typescriptFetch, openapiFetch, heyApi, documented];
  let passed = 0;
  let failed = 0;
  for (const f of fixtures) {
    // Every check runs, so a failure in one client does not hide another's.
    const outcomes = await Promise.allSettled(checks.map(async (check) => check(f)));
    const errors = outcomes.flatMap((o) => (o.status === "rejected" ? [String(o.reason?.message ?? o.reason)] : []));
    const notes = outcomes.flatMap((o) => (o.status === "fulfilled" && o.value !== "" ? [o.value] : []));
    if (errors.length > 0) {
      failed += 1;
      console.log(`FAIL ${f.name}: ${errors.join("; ")}`);
    } else {
      passed += 1;
      if (notes.length > 0) console.log(`note ${f.name}: ${notes.join("; ")}`);
      else if (process.env.POLYGLOT_VERBOSE) console.log(`ok   ${f.name}`);
    }
  }
  for (const name of documentedMissing(fixtures)) {
    failed += 1;
    console.log(`FAIL ${name}: no such fixture in replies.json`);
  }
  console.log(`typescript: ${passed} passed, ${failed} failed`);
  if (failed > 0 || passed === 0) process.exitCode = 1;
}

void main();
