// The replies of replies.json that the docs promise, read field by field as another team would write it: typed
// calls through openapi-fetch and the hey-api SDK (served by the fixture's fetch), and typescript-fetch's
// FromJSON. tsc proves the fields exist with these types; the run proves the values.
// A success and a failure are one type in every client: `data` is the payload or null, and `code` says which.
import createClient from "openapi-fetch";

import { BASE, type Fixture, fakeFetch } from "./fixture";
import { createClient as createHeyClient, createConfig } from "./gen/hey-api/client";
import * as heySdk from "./gen/hey-api/sdk.gen";
import type { paths } from "./gen/openapi-typescript/api";
import * as tsFetch from "./gen/typescript-fetch/models/index";

const SEED_FILE_ID = "rehu6baz03t0l000d7freterfbyq51l4izkneDIYPAIDOBIY0DcxvDwFO";
const PLATFORM = { Platform: "open_platform" } as const;

type Body<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { "application/json": infer B } } } }
  ? B
  : never;

/** The clients, each calling through the fetch that serves this fixture. */
function clients(f: Fixture) {
  return {
    openapiFetch: createClient<paths>({ baseUrl: BASE, fetch: fakeFetch(f, "openapi-fetch") }),
    hey: createHeyClient(createConfig({ baseUrl: BASE, fetch: fakeFetch(f, "hey-api") })),
  };
}

/** Each client's reading of the reply: true when it reads back as documented. */
type Reads = (f: Fixture) => Promise<Record<string, boolean>>;

const seed: Reads = async (f) => {
  const { openapiFetch, hey } = clients(f);
  const body = f.request.body as Body<"/upload/v1/oss/file/upload_async_result">;
  const a = (await openapiFetch.POST("/upload/v1/oss/file/upload_async_result", { params: { header: PLATFORM }, body }))
    .data;
  const b = (await heySdk.uploadAsyncResult({ client: hey, headers: PLATFORM, body })).data;
  const c = tsFetch.UploadAsyncResultReplyFromJSON(f.reply);
  return {
    "openapi-fetch": a !== undefined && a.data !== null && a.data.completed && a.data.fileID === SEED_FILE_ID,
    "hey-api": b !== undefined && b.data !== null && b.data.completed && b.data.fileID === SEED_FILE_ID,
    "typescript-fetch": c.data !== null && c.data.completed && c.data.fileID === SEED_FILE_ID,
  };
};

const DOCUMENTED: Record<string, Reads> = {
  "the seed reply (official example)": seed,
  "the seed reply from a newer service, with fields nobody knows yet": seed,
  "a failure: invalid token, data null": async (f) => {
    const { openapiFetch, hey } = clients(f);
    const body = f.request.body as Body<"/upload/v1/oss/file/upload_async_result">;
    const a = (
      await openapiFetch.POST("/upload/v1/oss/file/upload_async_result", { params: { header: PLATFORM }, body })
    ).data;
    const b = (await heySdk.uploadAsyncResult({ client: hey, headers: PLATFORM, body })).data;
    const c = tsFetch.UploadAsyncResultReplyFromJSON(f.reply);
    const failed = (r: { code: number; message: string; data: unknown }) =>
      r.data === null && r.code === 401 && r.message === "access Token Invalid";
    return {
      "openapi-fetch": a !== undefined && failed(a),
      "hey-api": b !== undefined && failed(b),
      "typescript-fetch": failed(c),
    };
  },
  "create, instant upload: reuse and fileID only (no preuploadID, no sliceSize)": async (f) => {
    const { openapiFetch, hey } = clients(f);
    const body = f.request.body as Body<"/upload/v1/oss/file/create">;
    const a = (await openapiFetch.POST("/upload/v1/oss/file/create", { params: { header: PLATFORM }, body })).data;
    const b = (await heySdk.createUpload({ client: hey, headers: PLATFORM, body })).data;
    const c = tsFetch.CreateUploadReplyFromJSON(f.reply);
    const instant = (d: { reuse: boolean; fileID?: string; preuploadID?: string; sliceSize?: number } | null) =>
      d !== null && d.reuse && d.fileID === SEED_FILE_ID && d.preuploadID === undefined && d.sliceSize === undefined;
    return {
      "openapi-fetch": a !== undefined && instant(a.data),
      "hey-api": b !== undefined && instant(b.data),
      "typescript-fetch": instant(c.data),
    };
  },
  "upload_complete, merging in the background: no fileID": async (f) => {
    const { openapiFetch, hey } = clients(f);
    const body = f.request.body as Body<"/upload/v1/oss/file/upload_complete">;
    const a = (await openapiFetch.POST("/upload/v1/oss/file/upload_complete", { params: { header: PLATFORM }, body }))
      .data;
    const b = (await heySdk.completeUpload({ client: hey, headers: PLATFORM, body })).data;
    const c = tsFetch.UploadCompleteReplyFromJSON(f.reply);
    const pending = (d: { async: boolean; completed: boolean; fileID?: string } | null) =>
      d !== null && d.async && !d.completed && d.fileID === undefined;
    return {
      "openapi-fetch": a !== undefined && pending(a.data),
      "hey-api": b !== undefined && pending(b.data),
      "typescript-fetch": pending(c.data),
    };
  },
  "get_upload_url without isMultipart": async (f) => {
    const { openapiFetch, hey } = clients(f);
    const body = f.request.body as Body<"/upload/v1/oss/file/get_upload_url">;
    const a = (await openapiFetch.POST("/upload/v1/oss/file/get_upload_url", { params: { header: PLATFORM }, body }))
      .data;
    const b = (await heySdk.getUploadUrl({ client: hey, headers: PLATFORM, body })).data;
    const c = tsFetch.UploadUrlReplyFromJSON(f.reply);
    const url = (d: { presignedURL: string; isMultipart?: boolean } | null) =>
      d !== null && d.presignedURL.startsWith("https://") && d.isMultipart === undefined;
    return {
      "openapi-fetch": a !== undefined && url(a.data),
      "hey-api": b !== undefined && url(b.data),
      "typescript-fetch": url(c.data),
    };
  },
  "list_upload_parts with partNumber as a string and as a number": async (f) => {
    const { openapiFetch, hey } = clients(f);
    const body = f.request.body as Body<"/upload/v1/oss/file/list_upload_parts">;
    const a = (await openapiFetch.POST("/upload/v1/oss/file/list_upload_parts", { params: { header: PLATFORM }, body }))
      .data;
    const b = (await heySdk.listUploadParts({ client: hey, headers: PLATFORM, body })).data;
    const c = tsFetch.UploadPartsReplyFromJSON(f.reply);
    // anyOf [integer, string]: `number | string`, except typescript-fetch's empty interface (the raw value).
    const parts = (d: { parts: { partNumber: unknown }[] } | null) =>
      d !== null && d.parts.map((p) => Number(p.partNumber)).join() === "1,2";
    return {
      "openapi-fetch": a !== undefined && parts(a.data),
      "hey-api": b !== undefined && parts(b.data),
      "typescript-fetch": parts(c.data),
    };
  },
};

/** Throws unless every client reads a documented reply back as documented; other fixtures pass. */
export async function documented(f: Fixture): Promise<string> {
  const reads = DOCUMENTED[f.name];
  if (reads === undefined) return "";
  const wrong = Object.entries(await reads(f))
    .filter(([, ok]) => !ok)
    .map(([client]) => client);
  if (wrong.length > 0) throw new Error(`documented values not read back by ${wrong.join(", ")}`);
  return "";
}

/** The documented replies missing from the fixtures: replies.json was changed without this file. */
export function documentedMissing(fixtures: Fixture[]): string[] {
  return Object.keys(DOCUMENTED).filter((name) => !fixtures.some((f) => f.name === name));
}
