// @hey-api/openapi-ts as nox -s polyglot runs it: the fetch client, the SDK, and zod schemas that the SDK uses to
// validate every reply it gets. Not requests: 0.95's fetch client hands the validator a Headers object, so the
// required `Platform` header always fails it. zod's date-time check refuses a UTC offset unless told
// (`dates.offset`), and 123pan's `expiredAt` carries one (`+08:00`). The session passes the spec and the
// output folder.
export default {
  input: process.env.POLYGLOT_SPEC,
  output: { path: process.env.POLYGLOT_OUT },
  logs: { file: false },
  plugins: [
    "@hey-api/client-fetch",
    "@hey-api/typescript",
    { name: "zod", dates: { offset: true } },
    { name: "@hey-api/sdk", validator: { request: false, response: "zod" } },
  ],
};
