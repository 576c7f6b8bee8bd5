// Uploads one file end to end with openapi-fetch and the types openapi-typescript made from openapi.yaml,
// against `pan123-oss fake` (nox -s polyglot runs it with the fake's URL and test credentials). Token, create,
// one slice URL and PUT per slice, complete, then upload_async_result polled at most once a second, with a
// deadline, until it names the file; getFileDetail must then report its size.
import { createHash } from "node:crypto";

import createClient from "openapi-fetch";

import type { paths } from "./gen/openapi-typescript/api";

const PLATFORM = { Platform: "open_platform" } as const;

/** A reply's data when its code is 0; any other code throws with the reply's message and trace ID. */
function payload<T>(reply: { code: number; message: string; data: T | null; "x-traceID": string } | undefined): T {
  if (reply === undefined) throw new Error("no JSON reply");
  if (reply.code !== 0 || reply.data === null) {
    throw new Error(`code ${reply.code}: ${reply.message} (trace ${reply["x-traceID"]})`);
  }
  return reply.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const [baseUrl, clientID, clientSecret] = process.argv.slice(2);
  if (baseUrl === undefined || clientID === undefined || clientSecret === undefined) {
    throw new Error("usage: e2e.ts BASE_URL CLIENT_ID CLIENT_SECRET");
  }
  const file = Buffer.from("polyglot ts ".repeat(450000)); // 5.4 MB: two slices of the fake's 4 MiB
  const etag = createHash("md5").update(file).digest("hex");

  // README: TypeScript
  const api = createClient<paths>({ baseUrl });
  const token = payload(
    (await api.POST("/api/v1/access_token", { params: { header: PLATFORM }, body: { clientID, clientSecret } })).data,
  );
  api.use({ onRequest: ({ request }) => (request.headers.set("Authorization", `Bearer ${token.accessToken}`), request) });
  // README: end

  const body = { parentFileID: "", filename: "polyglot-ts.bin", etag, size: file.length, type: 1 as const };
  const created = payload((await api.POST("/upload/v1/oss/file/create", { params: { header: PLATFORM }, body })).data);
  let fileID = created.fileID ?? "";
  if (!created.reuse) {
    const { preuploadID, sliceSize } = created;
    if (preuploadID === undefined || sliceSize === undefined) throw new Error("create gave no preuploadID");
    for (let n = 1, start = 0; start < file.length; n += 1, start += sliceSize) {
      const url = payload(
        (
          await api.POST("/upload/v1/oss/file/get_upload_url", {
            params: { header: PLATFORM },
            body: { preuploadID, sliceNo: n },
          })
        ).data,
      );
      const put = await fetch(url.presignedURL, { method: "PUT", body: file.subarray(start, start + sliceSize) });
      if (put.status !== 200) throw new Error(`slice PUT: HTTP ${put.status}`);
    }
    const done = payload(
      (await api.POST("/upload/v1/oss/file/upload_complete", { params: { header: PLATFORM }, body: { preuploadID } }))
        .data,
    );
    fileID = done.completed && done.fileID ? done.fileID : await waitForFile(api, preuploadID);
  }
  const detail = payload(
    (await api.GET("/api/v1/oss/file/detail", { params: { header: PLATFORM, query: { fileID } } })).data,
  );
  if (detail.size !== file.length) throw new Error(`getFileDetail says ${detail.size} bytes, sent ${file.length}`);
  console.log(`typescript e2e: uploaded ${file.length} bytes as ${fileID}`);
}

async function waitForFile(api: ReturnType<typeof createClient<paths>>, preuploadID: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await sleep(1000); // the docs allow one poll a second per upload
    const { data: reply } = await api.POST("/upload/v1/oss/file/upload_async_result", {
      params: { header: PLATFORM },
      body: { preuploadID },
    });
    if (reply?.code === 20103) continue; // being verified: ask again
    const result = payload(reply);
    if (result.completed) return result.fileID;
  }
  throw new Error("the upload did not complete within 60 s");
}

main().catch((e: unknown) => {
  console.error(`typescript e2e: FAIL: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
