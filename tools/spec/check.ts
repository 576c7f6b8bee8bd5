// Proves openapi.yaml is usable outside Python: `nox -s spec` generates api.d.ts from the spec with
// openapi-typescript, then type-checks this file against it. A spec change that breaks the request
// or reply shapes other teams rely on fails here.
import type { components, paths } from "./api";

type Op = paths["/upload/v1/oss/file/upload_async_result"]["post"];
type Request = Op["requestBody"]["content"]["application/json"];
type Reply = Op["responses"][200]["content"]["application/json"];
type Headers = Op["parameters"]["header"];

const headers: Headers = { Platform: "open_platform" };
const request: Request = { preuploadID: "h1Kiaaaaaaac/0IDD87IFbIf8T0UWrTNwNNGbGoeklBYFtnlDwBIhd9OfdMjm4abJfDPccrScqQIPdjFasHxGxV" };

export function fileIdOf(reply: Reply): string | undefined {
  // data is null on failure, so the compiler insists on this check.
  if (reply.code !== 0 || reply.data === null) {
    throw new Error(`${reply.code} ${reply.message} (trace ${reply["x-traceID"]})`);
  }
  const data: components["schemas"]["UploadAsyncResultData"] = reply.data;
  return data.completed ? data.fileID : undefined;
}

type TokenData = components["schemas"]["AccessTokenData"];
export function expiry(token: TokenData): Date {
  return new Date(token.expiredAt);
}

export const example = { headers, request };

// The upload flow: an instant upload ends at create; otherwise slices go to presigned URLs.
type CreateReply = paths["/upload/v1/oss/file/create"]["post"]["responses"][200]["content"]["application/json"];
type CompleteData = components["schemas"]["UploadCompleteData"];
export function nextStep(reply: CreateReply): "done" | { preuploadID: string; sliceSize: number } {
  if (reply.data === null) {
    throw new Error(`${reply.code} ${reply.message} (trace ${reply["x-traceID"]})`);
  }
  return reply.data.reuse ? "done" : { preuploadID: reply.data.preuploadID, sliceSize: reply.data.sliceSize };
}
export function mustPoll(done: CompleteData): boolean {
  return done.async || !done.completed;
}
