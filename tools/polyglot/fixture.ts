// A reply fixture as tools/polyglot/polyglot.py writes it, and the fetch that serves it to a client.
import { isDeepStrictEqual } from "node:util";

export const BASE = "https://open-api.invalid";

export interface Fixture {
  name: string;
  operationId: string;
  method: string;
  path: string;
  request: {
    path: Record<string, unknown>;
    query: Record<string, unknown>;
    header: Record<string, unknown>;
    body?: unknown;
  };
  status: number;
  schema: string;
  /** The oneOf member of `schema` the reply is (success or failure); "" when the schema is no oneOf. */
  member: string;
  /** Every member of `schema` when it is a oneOf. */
  members: string[];
  reply: unknown;
  expect: unknown;
  reject: boolean;
}

/** A fetch that checks the request a client built from the fixture, then answers with the fixture's reply. */
export function fakeFetch(f: Fixture, client: string): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const path = f.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(f.request.path[name])));
    const problems: string[] = [];
    if (request.method !== f.method.toUpperCase()) problems.push(`method ${request.method}`);
    if (url.pathname !== path) problems.push(`path ${url.pathname}, expected ${path}`);
    for (const [name, value] of Object.entries(f.request.query)) {
      if (url.searchParams.get(name) !== String(value)) problems.push(`query ${name}=${url.searchParams.get(name)}`);
    }
    for (const [name, value] of Object.entries(f.request.header)) {
      if (request.headers.get(name) !== String(value)) problems.push(`header ${name}: ${request.headers.get(name)}`);
    }
    const text = await request.text();
    if (f.request.body !== undefined && (text === "" || !isDeepStrictEqual(JSON.parse(text), f.request.body))) {
      problems.push(`body ${text}`);
    }
    if (problems.length > 0) throw new Error(`${client} sent a wrong request: ${problems.join("; ")}`);
    return new Response(JSON.stringify(f.reply), {
      status: f.status,
      headers: { "Content-Type": "application/json" },
    });
  };
}

