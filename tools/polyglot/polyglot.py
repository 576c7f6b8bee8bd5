"""The Python steps of `nox -s polyglot`: reply fixtures from openapi.yaml, and the type-name check.

`fixtures SPEC OUT_DIR GO_REGISTRY` writes OUT_DIR/fixtures.json: every response example in the spec plus the
hand-written replies in replies.json beside this file, each with the operation it answers, a request to send,
the schema its decoder must use and, for a oneOf, the one member the reply is valid against (success or
failure; a reply valid against two members is an error, as no client could tell them apart). The hand-written
ones are first validated against the spec (a reply the docs allow must be valid, one marked `reject` must not).
It also writes GO_REGISTRY, a Go file that maps each reply schema to its generated Go type, so a new operation
needs no hand edit here.

`traffic URL ADMIN_KEY UPLOADS` asks a running `pan123-oss fake` what it saw and fails unless it saw no request
or reply that breaks the spec, UPLOADS uploads end with a file's detail, and no upload was polled twice within
a second.

`names SPEC GENERATOR=DIR...` fails if a generator renamed a type with a numeric suffix (`CreateUploadReply2`)
or dropped a schema's name: other teams must find the spec's names in every generated client.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator

HERE = Path(__file__).resolve().parent
METHODS = ("get", "put", "post", "delete", "patch")


def load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        spec: dict[str, Any] = yaml.safe_load(fh)
    return spec


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s to their target."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def schema_name(node: dict[str, Any], where: str) -> str:
    if "$ref" not in node:
        sys.exit(f"{where}: the reply schema is inline; give it a name under components/schemas")
    return str(node["$ref"].rsplit("/", 1)[1])


def sample(spec: dict[str, Any], param: dict[str, Any]) -> Any:
    """A value to send for a parameter: its example, else the schema's example, default or first enum value."""
    if "example" in param:
        return param["example"]
    if param.get("examples"):
        return resolve(spec, next(iter(param["examples"].values())))["value"]
    schema = resolve(spec, param.get("schema", {}))
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    return {"integer": 1, "number": 1, "boolean": True}.get(schema.get("type", "string"), "x")


def operations(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each operation with what a client needs to call it: method, path, parameters and a request body."""
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            request: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
            for param in [resolve(spec, p) for p in [*shared, *op.get("parameters", [])]]:
                if param["in"] in request and (param.get("required") or param["in"] != "query"):
                    request[param["in"]][param["name"]] = sample(spec, param)
            body = op.get("requestBody")
            if body is not None:
                media = resolve(spec, body)["content"]["application/json"]
                examples = list(media.get("examples", {}).values())
                if "example" in media:
                    request["body"] = media["example"]
                elif examples:
                    request["body"] = resolve(spec, examples[0])["value"]
                else:
                    sys.exit(f"{op['operationId']}: the request body has no example to send")
            yield {"operationId": op["operationId"], "method": method, "path": path, "request": request, "op": op}


def http_status(status: str, reply: Any) -> int:
    """The HTTP status to answer with for a response key such as `200` or `4XX`."""
    if status.isdigit():
        return int(status)
    low = int(status[0]) * 100
    code = reply.get("code") if isinstance(reply, dict) else None
    return code if isinstance(code, int) and low <= code < low + 100 else low


def spec_fixtures(spec: dict[str, Any], op: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One fixture per response example of an operation."""
    for status, response in op["op"]["responses"].items():
        for media_type, media in resolve(spec, response).get("content", {}).items():
            if media_type != "application/json":
                continue
            where = f"{op['operationId']} {status}"
            name = schema_name(media["schema"], where)
            examples = {k: resolve(spec, v)["value"] for k, v in media.get("examples", {}).items()}
            if "example" in media:
                examples["example"] = media["example"]
            for label, value in examples.items():
                yield {"name": f"{where} {label}", "schema": name, "status": http_status(status, value), "reply": value}


def validator(spec: dict[str, Any], name: str) -> OAS30Validator:
    """A validator for one of the spec's schemas, its references resolved against the spec."""
    return OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})


def members(spec: dict[str, Any], case: dict[str, Any]) -> list[str]:
    """The members of a oneOf reply schema, by name ([] when the schema is no oneOf)."""
    return [schema_name(m, case["name"]) for m in spec["components"]["schemas"][case["schema"]].get("oneOf", [])]


def member(spec: dict[str, Any], case: dict[str, Any], problems: list[str]) -> str:
    """The one member of a oneOf reply schema that the reply is valid against ("" when the schema is no oneOf)."""
    names = members(spec, case)
    if not names:
        return ""
    matches = [name for name in names if validator(spec, name).is_valid(case["reply"])]
    if len(matches) != 1:
        problems.append(f"{case['name']}: valid against {len(matches)} members of {case['schema']}, not one")
        return ""
    return matches[0]


def fixtures(spec_path: Path, out_dir: Path, go_registry: Path) -> None:
    spec = load(spec_path)
    ops = {op["operationId"]: op for op in operations(spec)}
    cases = [{**case, "op": op} for op in ops.values() for case in spec_fixtures(spec, op)]
    hand = json.loads((HERE / "replies.json").read_text(encoding="utf-8"))["replies"]
    problems = []
    for case in hand:
        op = ops.get(case["operationId"])
        if op is None:
            problems.append(f"{case['name']}: the spec has no operation {case['operationId']}")
            continue
        ok = resolve(spec, op["op"]["responses"]["200"])["content"]["application/json"]
        name = schema_name(ok["schema"], case["name"])
        errors = [e.message for e in validator(spec, name).iter_errors(case["reply"])]
        if case.get("reject") and not errors:
            problems.append(f"{case['name']}: marked reject, but the spec accepts it")
        if not case.get("reject") and errors:
            problems.append(f"{case['name']}: the spec rejects this reply: {'; '.join(errors)}")
        cases.append({"status": 200, **case, "schema": name, "op": op})
    for case in cases:
        case["members"] = members(spec, case)
        if not case.get("reject"):
            case["member"] = member(spec, case, problems)
    if problems:
        sys.exit("the reply fixtures and the spec disagree:\n  " + "\n  ".join(problems))
    for case in cases:
        op = case.pop("op")
        case.update(operationId=op["operationId"], method=op["method"], path=op["path"], request=op["request"])
        case.setdefault("expect", case["reply"])
        case.setdefault("reject", False)
        case.setdefault("member", "")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "fixtures.json").write_text(json.dumps(cases, indent=1, ensure_ascii=False), encoding="utf-8")
    names = sorted({case["schema"] for case in cases})
    entries = "".join(f'\t"{n}": func() interface{{}} {{ return new(client.{n}) }},\n' for n in names)
    go_registry.write_text(
        "// Code generated by tools/polyglot/polyglot.py from openapi.yaml; DO NOT EDIT.\n\n"
        "package main\n\n"
        f'import client "{go_module(go_registry)}"\n\n'
        "// replyTypes makes an empty value of each reply schema's generated type.\n"
        f"var replyTypes = map[string]func() interface{{}}{{\n{entries}}}\n",
        encoding="utf-8",
    )
    print(f"{len(cases)} reply fixtures ({len(hand)} hand-written) for {len(ops)} operations, {len(names)} schemas")


def go_module(inside: Path) -> str:
    """The module path of the go.mod above a file."""
    for parent in inside.resolve().parents:
        mod = parent / "go.mod"
        if mod.is_file():
            return mod.read_text(encoding="utf-8").split("\n", 1)[0].removeprefix("module ").strip()
    sys.exit(f"no go.mod above {inside}")


# How each generator declares a named type, and where it puts the spec's schemas.
DECLARATIONS = {
    ".ts": re.compile(r"^export (?:declare )?(?:type|interface|const|function|class|enum) (\w+)", re.M),
    ".go": re.compile(r"^(?:type (\w+)|func (\w+))", re.M),
    ".java": re.compile(r"^public (?:final |abstract )?(?:class|enum|interface) (\w+)", re.M),
}
# The endings of the spec's schema names: `FooReply2` is a renamed type even where no schema `FooReply` exists.
SCHEMA_SUFFIX = re.compile(r"(?:Body|Payload|Reply)$")
OPENAPI_TYPESCRIPT_SCHEMA = re.compile(r"^ {8}(\w+): ", re.M)


def declared(directory: Path) -> set[str]:
    names: set[str] = set()
    for path in directory.rglob("*"):
        pattern = DECLARATIONS.get(path.suffix)
        if pattern is None or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        names.update(n for match in pattern.finditer(text) for n in match.groups() if n)
        if path.name.endswith(".d.ts"):  # openapi-typescript: one file, schemas keyed under `schemas: {`
            block = text.split("    schemas: {", 1)[-1].split("\n    };", 1)[0]
            names.update(OPENAPI_TYPESCRIPT_SCHEMA.findall(block))
    return names


def names(spec_path: Path, outputs: list[str]) -> None:
    schemas = load(spec_path)["components"]["schemas"]
    # The schemas that every generator turns into a named type (not bare strings or integers).
    typed = {
        name
        for name, schema in schemas.items()
        if schema.get("type") == "object" or any(k in schema for k in ("oneOf", "anyOf", "allOf", "properties"))
    }
    problems = []
    for output in outputs:
        label, _, directory = output.partition("=")
        found = declared(Path(directory))
        for name in sorted(found):
            stem = re.sub(r"\d+$", "", name)
            if stem != name and (stem in schemas or stem.removeprefix("z") in schemas or SCHEMA_SUFFIX.search(stem)):
                problems.append(f"{label}: {name} (a second `{stem}`: a schema name clashes with a generated name)")
        problems += [f"{label}: no type named {name}" for name in sorted(typed - found)]
    if problems:
        sys.exit("generated type names differ from the spec's:\n  " + "\n  ".join(problems))
    print(f"all {len(typed)} object schemas keep their names in: {', '.join(o.partition('=')[0] for o in outputs)}")


POLL_PATH = "/upload/v1/oss/file/upload_async_result"
DETAIL_PATH = "/api/v1/oss/file/detail"
POLL_FLOOR = 1.0
"""Seconds between two polls of one upload, at least (the docs' limit)."""


def admin_get(url: str, key: str, what: str) -> Any:
    if not url.startswith("http://"):
        sys.exit(f"the fake's URL must be http://..., got {url!r}")
    request = urllib.request.Request(f"{url}/_fake/{what}", headers={"Authorization": f"Bearer {key}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310 - http:// checked above
        return json.load(reply)


def traffic(url: str, key: str, uploads: int) -> None:
    problems = [f"breaks the spec: {line}" for line in admin_get(url, key, "violations")]
    seen = admin_get(url, key, "requests")
    details = sum(1 for r in seen if r["path"] == DETAIL_PATH and r["code"] == 0)
    if details != uploads:
        problems.append(f"{uploads} uploads ran, but {details} ended with a file's detail")
    polls: dict[str, list[float]] = {}
    for r in seen:
        if r["path"] == POLL_PATH:
            polls.setdefault(r["preuploadID"], []).append(r["time"])
    for pid, times in polls.items():
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        if any(gap < POLL_FLOOR for gap in gaps):
            problems.append(f"upload {pid} polled {min(gaps):.3f} s after the poll before")
    if problems:
        sys.exit("the fake saw:\n  " + "\n  ".join(problems))
    print(f"the fake saw {len(seen)} requests, {uploads} uploads, {len(polls)} polled, none faster than 1 s")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "fixtures":
        fixtures(Path(args[0]), Path(args[1]), Path(args[2]))
    elif command == "names":
        names(Path(args[0]), args[1:])
    elif command == "traffic":
        traffic(args[0], args[1], int(args[2]))
    else:
        sys.exit(f"unknown command {command}")
