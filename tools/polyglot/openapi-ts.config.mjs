// @hey-api/openapi-ts as nox -s polyglot runs it: the fetch client, the SDK, and zod schemas that the SDK uses to
// validate every reply it gets. Not requests: 0.95's fetch client hands the validator a Headers object, so the
// required `Platform` header always fails it. The session passes the spec and the output folder.
export default {
  input: process.env.POLYGLOT_SPEC,
  output: { path: process.env.POLYGLOT_OUT },
  logs: { file: false },
  plugins: [
    "@hey-api/client-fetch",
    "@hey-api/typescript",
    "zod",
    { name: "@hey-api/sdk", validator: { request: false, response: "zod" } },
  ],
};
