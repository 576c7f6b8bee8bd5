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
  // A reply is a success (data is the payload) or a failure (data is null): the compiler insists on the check.
  if (reply.data === null) {
    throw new Error(`${reply.code} ${reply.message} (trace ${reply["x-traceID"]})`);
  }
  const data: components["schemas"]["UploadAsyncResultPayload"] = reply.data;
  return data.completed ? data.fileID : undefined;
}

// A payload schema is nullable (a failure's `data` is null): a value known to be one drops the null.
type TokenPayload = NonNullable<components["schemas"]["AccessTokenPayload"]>;
export function expiry(token: TokenPayload): Date {
  return new Date(token.expiredAt);
}

export const example = { headers, request };

// The upload flow: an instant upload ends at create (preuploadID and sliceSize may be absent then).
type CreateReply = paths["/upload/v1/oss/file/create"]["post"]["responses"][200]["content"]["application/json"];
type CompletePayload = NonNullable<components["schemas"]["UploadCompletePayload"]>;
export function nextStep(reply: CreateReply): "done" | { preuploadID: string; sliceSize: number } {
  if (reply.data === null) {
    throw new Error(`${reply.code} ${reply.message} (trace ${reply["x-traceID"]})`);
  }
  const { reuse, preuploadID, sliceSize } = reply.data;
  if (reuse) return "done";
  if (preuploadID === undefined || sliceSize === undefined) throw new Error("create gave no preuploadID");
  return { preuploadID, sliceSize };
}
export function mustPoll(done: CompletePayload): boolean {
  return done.async || !done.completed;
}

// Links come from detail, never from an upload reply.
type DetailReply = paths["/api/v1/oss/file/detail"]["get"]["responses"][200]["content"]["application/json"];
export function linkOf(reply: DetailReply): string | null {
  if (reply.data === null) return null;
  return reply.data.downloadURL || null;
}
