"""Hold openapi.yaml to the record of the official docs, docs/api-tables.yaml.

Usage: ``python tools/docs_check.py [--spec openapi.yaml] [--record docs/api-tables.yaml]``, or ``nox -s docs``.
Prints one line per problem, "docs say X, spec says Y", naming the operation and the field, and exits 1;
prints a one-line summary and exits 0 when the spec agrees with the record; exits 2 on a malformed record.

Rules, for every operation in the record's ``operations`` list:

1. The spec has the operation: the same path with the same method.
2. Every documented field exists in the spec, in the place its section says:
   ``headers``: a header parameter of that name (case-insensitive), except ``Authorization``, which is the
   operation's security (an HTTP bearer scheme, or an API key in the ``Authorization`` header);
   ``query``: a query parameter; ``body``: a property of the JSON request-body schema;
   ``reply``: a property of the payload, the non-null schema of the 200 reply's ``data`` (see "Finding the
   payload"); ``reply: []`` says the doc gives ``data: null``, so the spec's ``data`` must admit nothing but
   null (``EmptyReply``'s). A dotted name ``a.b`` is property ``b`` of ``a``'s object, or of the objects in
   ``a`` when ``a`` is an array. The record's ``common.envelope`` rows (``code``, ``message``, ``data``,
   ``x-traceID``) must be properties of every recorded operation's 200 reply (of every branch, if it has
   ``oneOf``/``anyOf`` branches); ``data``'s row says it may be null, so each payload is ``nullable``.
   A row with ``in_table: false`` (a field the docs show only in an example) may be missing from the spec;
   when the spec has it, rules 3 and 4 apply.
   The other way: every header and query parameter, body field, reply field and envelope field the spec
   gives a recorded operation is in the record (a dotted name's parents count as listed); the bearer
   security needs an ``Authorization`` row; a request body is ``application/json`` only.
3. Its facts agree, both ways. Type: doc ``string`` ~ string, ``number`` ~ integer or number,
   ``int``/``integer`` ~ integer, ``bool``/``boolean`` ~ boolean, ``array`` and ``[]T`` ~ array, ``object``
   ~ object, ``any`` ~ anything, ``a | b`` ~ both; every non-null type the spec allows (through
   ``oneOf``/``anyOf``/``allOf``) is one the doc names, and each doc alternative is allowed. Item type:
   ``[]T`` or the row's ``items``; an array of non-objects needs one. ``format``: the row's, or none.
   Limits (``maximum``, ``maxLength``, ``maxItems``, ``pattern``, ... and ``items.`` ones): exactly the
   row's ``limits`` plus ``spec_adds``. Values: the row's ``value``/``values`` equal the spec's ``enum``
   (JSON-typed: ``1`` is not ``"1"``), and a spec ``enum`` needs them. Nullability: the row's ``nullable``
   (default false; unchecked for ``any``) equals whether the spec admits null (``nullable``, a null type
   or enum, a null branch); an array's items are never null. Every example value of a documented field
   (body, reply, envelope, parameter examples) has a type and value the row allows.
4. A field the docs call optional (``required: false``), sometimes absent (``absent_when``) or show only in an
   example (``in_table: false``) is not required in the spec. "Required in the spec" means: listed in
   ``required`` of the object holding it in every alternative of that object (``oneOf``/``anyOf``
   branches are alternatives, ``allOf`` members merge); a required parameter; for ``Authorization``, a
   security requirement that every alternative includes.
5. A field the docs call required is required in the spec, unless the spec's description of it (the
   property's own description or that of the schema it references; for a parameter, its description or
   its schema's) carries a ``[seen: <id>]`` tag naming an ``observations`` entry whose ``waives`` lists this
   field. With ``unless`` (``{reuse: true}``), the field's schema must still refuse it missing otherwise:
   a ``not`` whose schema requires and pins those keys to other values and, in a nested ``not``, requires
   the field. If the record has a required body field, the request body itself must be ``required: true``.
6. Tags, in every ``description``, ``summary``, ``title`` and every text inside an ``x-`` extension (example
   values are data, skipped). ``[doc: <id>]`` must name an entry of ``statements``; ``[seen: <id>]`` an
   entry of ``observations``; a bare ``[seen]`` is reported (an observation needs a recorded source). A
   bare ``[doc]`` (``[doc]``, ``[doc, ...]``) must belong to a row of the record, by where it sits:

   - ``servers[i]``: its URL is the record's ``base_url``.
   - ``info``, ``tags``, ``externalDocs``, an operation (its description, summary, request-body or
     response descriptions, example summaries), a component response, example or request body: free
     text, which no row holds: reported, to be tagged ``[doc: <id>]``. Under an operation outside the
     record (not in ``operations``, nor in ``undocumented`` with ``doc_mentions``): reported as such.
   - The operation's ``RATE_LIMIT_KEY`` extension: the record publishes a QPS for it.
   - A parameter (inline, or a component parameter): some recorded operation that uses it documents a
     header or query row of that name.
   - A security scheme: some recorded operation uses it and documents an ``Authorization`` header row.
   - A schema property: "the property" is the nearest enclosing ``properties`` entry of the description
     (so a description on ``a/items`` belongs to ``a``). It belongs when some recorded operation reaches
     that property, by following ``$ref``, ``allOf``/``oneOf``/``anyOf``, ``items`` and ``properties``
     from its request body or its replies, under a dotted name the record documents for that operation:
     a ``body`` row; ``data.<name>`` for a ``reply`` row ``<name>``. A top-level reply property named by a
     ``common.envelope`` row belongs to that row whatever the operation (the guide gives every reply the
     envelope). Properties of an ``undocumented`` operation have no rows, so no ``[doc]`` tags.
   - A schema's own description: the schema, reached through ``$ref``, stands for something the record
     documents as a whole: a recorded operation's request body (with body rows), any operation's reply
     envelope, a payload (with reply rows, or ``reply: []``), or a documented field's value.

7. Every operation in the spec is in the record, either in ``operations`` or in ``undocumented`` (calls
   clients use that no doc page covers).
8. The spec's only server is the record's ``base_url``; every recorded operation has a response for each
   of the record's ``codes`` (401, 429), whose JSON body is the envelope: the ``common.envelope`` rows
   hold for it as for the 200 reply (``data`` may be null; ``EmptyReply`` in the spec).
9. Rate limits: once any operation carries the ``RATE_LIMIT_KEY`` extension, its ``perSecond`` equals the
   record's published figure, an operation with a published figure carries it, and one without may not
   tag it ``[doc]``.
10. Examples: a request-body or 200 example whose summary presents it as the docs' own (``DOCS_EXAMPLE``)
    equals the record's ``doc_examples`` entry for that operation and side, value for value; each entry
    there is presented so in the spec.

Finding the payload (``Spec.reply_alternatives``, ``Spec.payload``; the envelope rows in ``_check_envelope``):
take the 200 reply's JSON schema, resolve ``$ref`` and split it into alternatives
(``oneOf``/``anyOf`` branches, ``allOf`` merged); in each alternative that has a ``data`` property, drop
the null-only branches of ``data`` (``Spec.is_null``: ``enum: [null]``, ``type: null``, or a ``not`` refusing
the schema's own type, looking through ``$ref`` and nested ``oneOf``/``anyOf``). What remains are the payload
schemas. The spec's shape is one object per operation, ``<Name>Reply {code, message, data, x-traceID}``,
whose ``data`` is ``$ref <Name>Payload``, a ``nullable: true`` object (so the payload's nullability is the
envelope ``data`` row's); ``EmptyReply``'s ``data`` is null-only. Nothing in the checks depends on that
shape: success and failure branches (``oneOf [<Name>Success, <failure with data: null>]``) or
``data: oneOf [<Name>Payload, <null>]`` are read the same way, and the tests hold the checks to those too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT / "openapi.yaml"
DEFAULT_RECORD = ROOT / "docs" / "api-tables.yaml"

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SECTIONS = ("headers", "query", "body", "reply")
SECTION_LABEL = {"headers": "header", "query": "query", "body": "body", "reply": "reply"}
# `[doc]`, `[doc, note]`, `[doc: statement-id]`, `[doc: statement-id, note]`; `[seen: observation-id]` alike.
DOC_TAG = re.compile(r"\[doc\b(?::\s*(?P<id>[\w.-]+))?[^\]]*\]")
SEEN_TAG = re.compile(r"\[seen\b(?::\s*(?P<id>[\w.-]+))?[^\]]*\]")
# The extension an operation states its request-rate limit in: `{perSecond: <number>, source: <tagged text>}`
# or a bare number. Compared with the record's `rate_limits` whenever the spec uses it.
RATE_LIMIT_KEY = "x-rate-limit"
# Limits of a value, compared both ways with a row's `limits` and `spec_adds` (an item's with `items.`).
LIMIT_KEYWORDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
)
DOC_TYPES: dict[str, frozenset[str]] = {
    "string": frozenset({"string"}),
    "number": frozenset({"integer", "number"}),
    "int": frozenset({"integer"}),
    "integer": frozenset({"integer"}),
    "bool": frozenset({"boolean"}),
    "boolean": frozenset({"boolean"}),
    "array": frozenset({"array"}),
    "object": frozenset({"object"}),
}
TEXT_KEYS = ("description", "summary", "title")
# An example's summary that presents it as the docs' own ("The docs' example", "... (the docs' example)"), not
# one shaped like it ("like the docs' example"): it must equal the record's `doc_examples` entry.
DOCS_EXAMPLE = re.compile(r"(?:^|\()the docs' example\b", re.IGNORECASE)
EXAMPLE_SIDES = ("request", "reply")
JSON_MEDIA = re.compile(r"^application/([\w.+-]+\+)?json$")
MAX_DEPTH = 32

Json = dict[str, Any]
OpKey = tuple[str, str]  # (METHOD, path)


class RecordError(ValueError):
    """The record file is malformed."""


# ---------------------------------------------------------------------------------------------- the record


@dataclass(frozen=True)
class Row:
    """One documented field."""

    section: str
    name: str
    type: str
    required: bool
    flag: str | None = None
    absent_when: str | None = None
    reading: str | None = None
    values: tuple[Any, ...] | None = None  # the only values the doc allows (`value`, or `values`)
    in_table: bool = True
    format: str | None = None
    limits: dict[str, Any] = field(default_factory=dict)
    nullable: bool | None = None
    items: str | None = None

    @property
    def kinds(self) -> list[str]:
        """The doc type's alternatives: `string | number` is either."""
        return [part.strip() for part in self.type.split("|")]

    @property
    def item_type(self) -> str | None:
        kinds = self.kinds
        return kinds[0][2:] if len(kinds) == 1 and kinds[0].startswith("[]") else self.items

    @property
    def may_be_null(self) -> bool | None:
        """Whether the doc lets the value be null; None when it does not say (a field of any type)."""
        if self.nullable is not None:
            return self.nullable
        return None if self.type == "any" else False

    @property
    def may_be_absent(self) -> bool:
        return not self.required or self.absent_when is not None or not self.in_table

    def why_optional(self) -> str:
        if not self.in_table:
            return "only in the doc's examples, not in its table"
        if self.absent_when is not None:
            return f"absent when {self.absent_when}"
        return self.reading or self.flag or "optional"

    def why_required(self) -> str:
        return self.flag or self.reading or "required"


@dataclass
class Operation:
    method: str
    path: str
    rows: list[Row]
    null_reply: bool = False  # `reply: []`: the doc gives `data: null`
    qps: float | None = None  # the published rate limit, if any

    @property
    def key(self) -> OpKey:
        return (self.method, self.path)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def names(self, section: str) -> set[str]:
        return {row.name for row in self.rows if row.section == section}


@dataclass(frozen=True)
class Waiver:
    """An observation's excuse for a field the docs require: the spec may leave it out (only `unless` ...)."""

    op: OpKey
    section: str
    name: str
    unless: dict[str, Any]


@dataclass
class Record:
    operations: list[Operation]
    undocumented: set[OpKey]
    mentioned: set[OpKey]  # undocumented operations that the docs mention (`doc_mentions`) without a page
    envelope: list[Row]
    has_common: bool
    base_url: str | None = None
    codes: dict[int, str] = field(default_factory=dict)
    statements: set[str] = field(default_factory=set)
    observations: dict[str, list[Waiver]] = field(default_factory=dict)
    examples: dict[tuple[OpKey, str], Any] = field(default_factory=dict)  # (operation, request|reply) -> value

    @property
    def keys(self) -> set[OpKey]:
        return {op.key for op in self.operations}

    def operation(self, key: OpKey) -> Operation | None:
        return next((op for op in self.operations if op.key == key), None)


def _row(section: str, raw: Any, where: str) -> Row:
    if not isinstance(raw, dict):
        raise RecordError(f"{where}: a field row must be a mapping, got {raw!r}")
    for key in ("name", "type", "required"):
        if key not in raw:
            raise RecordError(f"{where}: field row {raw.get('name', raw)!r} has no {key!r}")
    doc_type = str(raw["type"])
    for kind in [part.strip() for part in doc_type.split("|")]:
        if kind != "any" and kind not in DOC_TYPES and not (kind.startswith("[]") and kind[2:] in DOC_TYPES):
            raise RecordError(f"{where}: field {raw['name']!r} has unknown type {kind!r}")
    if not isinstance(raw["required"], bool) or not isinstance(raw.get("in_table", True), bool):
        raise RecordError(f"{where}: field {raw['name']!r}: required and in_table must be true or false")
    if raw.get("items") is not None and str(raw["items"]) not in DOC_TYPES:
        raise RecordError(f"{where}: field {raw['name']!r} has unknown item type {raw['items']!r}")
    limits: dict[str, Any] = {}
    for key in ("limits", "spec_adds"):
        entry = raw.get(key) or {}
        unknown = [k for k in entry if str(k).removeprefix("items.") not in LIMIT_KEYWORDS]
        if not isinstance(entry, dict) or unknown:
            raise RecordError(f"{where}: field {raw['name']!r}: {key} must map limit keywords to values")
        limits.update(entry)
    if "value" in raw and "values" in raw:
        raise RecordError(f"{where}: field {raw['name']!r}: give value or values, not both")
    values = (raw["value"],) if "value" in raw else tuple(raw["values"]) if "values" in raw else None
    return Row(
        section=section,
        name=str(raw["name"]),
        type=doc_type,
        required=raw["required"],
        flag=None if raw.get("flag") is None else str(raw["flag"]),
        absent_when=None if raw.get("absent_when") is None else str(raw["absent_when"]),
        reading=None if raw.get("reading") is None else str(raw["reading"]),
        values=values,
        in_table=raw.get("in_table", True),
        format=None if raw.get("format") is None else str(raw["format"]),
        limits=limits,
        nullable=raw.get("nullable"),
        items=None if raw.get("items") is None else str(raw["items"]),
    )


def _op_key(raw: Any, where: str) -> OpKey:
    if not isinstance(raw, dict) or "method" not in raw or "path" not in raw:
        raise RecordError(f"{where}: an operation needs a method and a path")
    method = str(raw["method"]).upper()
    if method.lower() not in METHODS:
        raise RecordError(f"{where}: unknown method {raw['method']!r}")
    return (method, str(raw["path"]))


def parse_record(raw: Any) -> Record:
    """Read the record (already parsed YAML) into rows; raise RecordError when it is malformed."""
    if not isinstance(raw, dict) or not isinstance(raw.get("operations"), list):
        raise RecordError("the record needs an `operations` list")
    operations: list[Operation] = []
    for i, raw_op in enumerate(raw["operations"]):
        method, path = _op_key(raw_op, f"operations[{i}]")
        where = f"{method} {path}"
        if not raw_op.get("source"):
            raise RecordError(f"{where}: no source")
        rows: list[Row] = []
        for section in SECTIONS:
            entries = raw_op.get(section) or []
            if not isinstance(entries, list):
                raise RecordError(f"{where}: {section} must be a list")
            rows += [_row(section, entry, f"{where} {section}") for entry in entries]
        seen_names = [(row.section, row.name) for row in rows]
        if len(seen_names) != len(set(seen_names)):
            raise RecordError(f"{where}: a field is listed twice")
        null_reply = isinstance(raw_op.get("reply"), list) and not raw_op["reply"]
        operations.append(Operation(method, path, rows, null_reply))
    keys = [op.key for op in operations]
    if len(keys) != len(set(keys)):
        raise RecordError("an operation is listed twice")
    extra = list(raw.get("undocumented") or [])
    undocumented = {_op_key(u, f"undocumented[{i}]") for i, u in enumerate(extra)}
    mentioned = {_op_key(u, f"undocumented[{i}]") for i, u in enumerate(extra) if u.get("doc_mentions")}
    common = raw.get("common") or {}
    envelope = [_row("envelope", entry, "common envelope") for entry in common.get("envelope") or []]
    copies = set(raw.get("copies") or {})
    for entry in (common.get("rate_limits") or {}).get("published") or []:
        for op in operations:
            if op.path == entry.get("path"):
                op.qps = float(entry["qps"])
    statements = raw.get("statements") or {}
    for name, entry in statements.items():
        sources = (entry or {}).get("source") or []
        if not entry.get("says") or not sources:
            raise RecordError(f"statement {name!r} needs `says` and a `source`")
        for source in sources if isinstance(sources, list) else [sources]:
            if copies and source.get("copy") not in copies:
                raise RecordError(f"statement {name!r}: unknown copy {source.get('copy')!r}")
    observations: dict[str, list[Waiver]] = {}
    for name, entry in (raw.get("observations") or {}).items():
        if not (entry or {}).get("says") or not entry.get("source"):
            raise RecordError(f"observation {name!r} needs `says` and a `source` (who saw it, where)")
        waivers: list[Waiver] = []
        for waiver in entry.get("waives") or []:
            method, _, path = str(waiver.get("operation", "")).partition(" ")
            waivers.append(
                Waiver((method.upper(), path), str(waiver["section"]), str(waiver["field"]), waiver.get("unless") or {})
            )
        observations[str(name)] = waivers
    examples: dict[tuple[OpKey, str], Any] = {}
    for label, sides in (raw.get("doc_examples") or {}).items():
        method, _, path = str(label).partition(" ")
        for side, value in (sides or {}).items():
            if side not in EXAMPLE_SIDES:
                raise RecordError(f"doc_examples {label}: {side!r} is neither request nor reply")
            examples[((method.upper(), path), side)] = value
    codes = {int(c["code"]): str(c.get("note", "")) for c in common.get("codes") or []}
    base_url = None if common.get("base_url") is None else str(common["base_url"])
    return Record(
        operations,
        undocumented,
        mentioned,
        envelope,
        bool(common),
        base_url,
        codes,
        set(statements),
        observations,
        examples,
    )


# ---------------------------------------------------------------------------------------------- the spec


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def split_pointer(pointer: str) -> list[str]:
    body = pointer.removeprefix("#")
    return [unescape(t) for t in body.split("/")[1:]] if body else []


def join_pointer(tokens: Sequence[str]) -> str:
    return "#" + "".join("/" + escape(t) for t in tokens)


@dataclass(frozen=True)
class Node:
    """A schema (or other object) of the spec and where it is."""

    value: Json
    pointer: str


@dataclass
class Alt:
    """One alternative shape of an object schema: its properties and which of them it requires."""

    props: dict[str, list[Node]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)

    def merged(self, other: Alt) -> Alt:
        props = {name: list(nodes) for name, nodes in self.props.items()}
        for name, nodes in other.props.items():
            props.setdefault(name, []).extend(nodes)
        return Alt(props, self.required | other.required)


@dataclass
class FieldView:
    """What the spec says about one documented field."""

    nodes: list[Node]
    required: bool
    holders: list[Node]


class Spec:
    """The spec under check. A check reads it many thousand times and never changes it, so what a pointer
    leads to, and what `collect` finds in a schema, are each worked out once per `Spec`."""

    def __init__(self, data: Json) -> None:
        self.data = data
        self._targets: dict[str, Any] = {}
        # Keyed by the id of the schema objects read; each entry keeps those objects, so no id is reused.
        self.collected: dict[tuple[int, str, int], tuple[Json, list[Any]]] = {}
        self.facts: dict[tuple[Any, ...], tuple[list[Json], list[str]]] = {}

    def node_at(self, pointer: str) -> Any:
        if pointer in self._targets:
            return self._targets[pointer]
        target: Any = self.data
        for token in split_pointer(pointer):
            target = target[int(token)] if isinstance(target, list) else target[token]
        self._targets[pointer] = target
        return target

    def resolve(self, node: Node) -> Node:
        seen: set[str] = set()
        while isinstance(node.value, dict) and "$ref" in node.value:
            ref = str(node.value["$ref"])
            if not ref.startswith("#") or ref in seen:
                break
            seen.add(ref)
            node = Node(self.node_at(ref), ref)
        return node

    # -- operations

    def operations(self) -> Iterator[tuple[OpKey, Json, str]]:
        for path, item in (self.data.get("paths") or {}).items():
            for method in METHODS:
                if isinstance(item, dict) and isinstance(item.get(method), dict):
                    yield (method.upper(), path), item[method], join_pointer(["paths", path, method])

    def operation(self, key: OpKey) -> tuple[Json, str] | None:
        method, path = key
        item = (self.data.get("paths") or {}).get(path)
        if isinstance(item, dict) and isinstance(item.get(method.lower()), dict):
            return item[method.lower()], join_pointer(["paths", path, method.lower()])
        return None

    def parameters(self, key: OpKey) -> list[Node]:
        """The operation's parameters, resolved, path-level ones included unless the operation overrides them."""
        method, path = key
        item = self.data["paths"][path]
        found: dict[tuple[str, str], Node] = {}
        for owner, base in ((item, ["paths", path]), (item[method.lower()], ["paths", path, method.lower()])):
            for i, raw in enumerate(owner.get("parameters") or []):
                param = self.resolve(Node(raw, join_pointer([*base, "parameters", str(i)])))
                where = str(param.value.get("in", ""))
                name = str(param.value.get("name", ""))
                found[(where, name.lower() if where == "header" else name)] = param
        return list(found.values())

    def json_schema(self, holder: Json, pointer: str) -> Node | None:
        """The JSON media type's schema of a request body or response object."""
        holder_node = self.resolve(Node(holder, pointer))
        content = holder_node.value.get("content") or {}
        for media, entry in content.items():
            if JSON_MEDIA.match(media) and isinstance(entry, dict) and "schema" in entry:
                return Node(entry["schema"], f"{holder_node.pointer}/content/{escape(media)}/schema")
        return None

    # -- schemas

    def is_null(self, node: Node) -> bool:
        """Whether a schema admits no value but null: `enum: [null]`, `type: null`, or a `not` that refuses every
        value of its type (`{type: object, nullable: true, not: {type: object}}`, the null-only form every
        generator takes, `EmptyReply`'s `data`; without `nullable` it admits nothing, which `admits_null` tells)."""
        value = self.resolve(node).value
        if not isinstance(value, dict):
            return False
        kind = value.get("type")
        if value.get("enum") == [None] or kind == "null" or kind == ["null"]:
            return True
        refusal = value.get("not")
        refused = self.resolve(Node(refusal, "")).value if isinstance(refusal, dict) else None
        return (
            isinstance(kind, str)
            and isinstance(refused, dict)
            and refused.get("type") == kind
            and not set(refused) - {"type", *TEXT_KEYS}
        )

    def alternatives(self, node: Node, depth: int = 0) -> list[Alt]:
        """The alternative object shapes of a schema; a null-only schema has none."""
        node = self.resolve(node)
        value = node.value
        if depth > MAX_DEPTH or not isinstance(value, dict) or self.is_null(node):
            return []
        base = Alt(
            {name: [Node(sub, f"{node.pointer}/properties/{escape(name)}")] for name, sub in _props(value).items()},
            {str(name) for name in value.get("required") or []},
        )
        alts = [base]
        for i, member in enumerate(value.get("allOf") or []):
            member_alts = self.alternatives(Node(member, f"{node.pointer}/allOf/{i}"), depth + 1)
            if member_alts:
                alts = [a.merged(m) for a in alts for m in member_alts]
        for keyword in ("oneOf", "anyOf"):
            branches = [
                alt
                for i, branch in enumerate(value.get(keyword) or [])
                for alt in self.alternatives(Node(branch, f"{node.pointer}/{keyword}/{i}"), depth + 1)
            ]
            if branches:
                alts = [a.merged(b) for a in alts for b in branches]
        return alts

    def non_null(self, node: Node, depth: int = 0) -> list[Node]:
        """The schema's non-null shapes, looking through `$ref` and `oneOf`/`anyOf`."""
        node = self.resolve(node)
        if depth > MAX_DEPTH or not isinstance(node.value, dict) or self.is_null(node):
            return []
        branches = [
            Node(branch, f"{node.pointer}/{keyword}/{i}")
            for keyword in ("oneOf", "anyOf")
            for i, branch in enumerate(node.value.get(keyword) or [])
        ]
        if not branches:
            return [node]
        return [shape for branch in branches for shape in self.non_null(branch, depth + 1)]

    def types(self, node: Node, depth: int = 0) -> set[str]:
        """The JSON types a schema admits (null left out); empty when it does not say."""
        node = self.resolve(node)
        value = node.value
        if depth > MAX_DEPTH or not isinstance(value, dict) or self.is_null(node):
            return set()
        found: set[str] = set()
        kind = value.get("type")
        if isinstance(kind, str):
            found.add(kind)
        elif isinstance(kind, list):
            found.update(str(k) for k in kind if k != "null")
        for keyword in ("allOf", "oneOf", "anyOf"):
            for i, sub in enumerate(value.get(keyword) or []):
                found |= self.types(Node(sub, f"{node.pointer}/{keyword}/{i}"), depth + 1)
        if not found and value.get("enum"):
            found.update(_json_type(v) for v in value["enum"] if v is not None)
        if not found and "properties" in value:
            found.add("object")
        if not found and "items" in value:
            found.add("array")
        return found

    def items(self, node: Node, depth: int = 0) -> list[Node]:
        """The item schemas of an array schema (through `$ref` and combinators)."""
        node = self.resolve(node)
        value = node.value
        if depth > MAX_DEPTH or not isinstance(value, dict):
            return []
        found = [Node(value["items"], f"{node.pointer}/items")] if isinstance(value.get("items"), dict) else []
        for keyword in ("allOf", "oneOf", "anyOf"):
            for i, sub in enumerate(value.get(keyword) or []):
                found += self.items(Node(sub, f"{node.pointer}/{keyword}/{i}"), depth + 1)
        return found

    def children(self, node: Node) -> list[Alt]:
        """The object shapes one level down from a property: its items' when it is an array."""
        kinds = self.types(node)
        alts: list[Alt] = []
        if "array" in kinds:
            for item in self.items(node):
                alts += self.alternatives(item)
        if kinds - {"array"} or not kinds:
            alts += self.alternatives(node)
        return alts

    def both(self, shapes: list[list[Alt]]) -> list[Alt]:
        """The shapes of a value that must match every one of several schemas (as `allOf` members do)."""
        result = [Alt()]
        for alts in shapes:
            result = [a.merged(b) for a in result for b in alts]
        return result

    def find(self, alts: list[Alt], dotted: str) -> FieldView | None:
        parts = dotted.split(".")
        for part in parts[:-1]:
            # Within one alternative, several schemas of a property (from `allOf`) all apply at once.
            alts = [
                child
                for alt in alts
                if alt.props.get(part)
                for child in self.both([self.children(n) for n in alt.props[part]])
            ]
        last = parts[-1]
        holders = [alt for alt in alts if last in alt.props]
        if not holders:
            return None
        nodes = [n for alt in holders for n in alt.props[last]]
        holder_nodes = [Node(self.node_at(_parent(n.pointer)), _parent(n.pointer)) for n in nodes]
        return FieldView(nodes, all(last in alt.required for alt in alts), holder_nodes)

    def descriptions(self, node: Node) -> list[str]:
        """A property's own description and that of the schema it references."""
        texts = [node.value.get("description")] if isinstance(node.value, dict) else []
        target = self.resolve(node).value
        if isinstance(target, dict):
            texts.append(target.get("description"))
        return [t for t in texts if isinstance(t, str)]

    # -- replies

    def reply_alternatives(self, op: Json, pointer: str) -> list[Alt]:
        responses = op.get("responses") or {}
        for status in ("200", "2XX", 200):
            if status in responses:
                schema = self.json_schema(responses[status], f"{pointer}/responses/{status}")
                return [] if schema is None else self.alternatives(schema)
        return []

    def payload(self, reply: list[Alt]) -> list[Alt]:
        """The success payload's shapes: the non-null `data` of the reply's alternatives."""
        found: list[Alt] = []
        for alt in reply:
            shapes = [self.non_null(n) for n in alt.props.get("data", [])]
            if shapes and all(shapes):  # a branch whose data is null is a failure, not a success
                found += self.both([[a for shape in options for a in self.alternatives(shape)] for options in shapes])
        return found


def _props(value: Json) -> dict[str, Json]:
    props = value.get("properties")
    return {str(k): v for k, v in props.items() if isinstance(v, dict)} if isinstance(props, dict) else {}


def _parent(pointer: str) -> str:
    tokens = split_pointer(pointer)
    return join_pointer(tokens[:-2])  # drop "properties/<name>"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


# ---------------------------------------------------------------------------------------------- the checks


def _describe(spec: Spec, nodes: list[Node]) -> str:
    kinds: list[str] = []
    for node in nodes:
        for kind in sorted(spec.types(node)):
            if kind == "array":
                inner = sorted({k for item in spec.items(node) for k in spec.types(item)})
                kind = f"array of {' or '.join(inner)}" if inner else "array"
            if kind not in kinds:
                kinds.append(kind)
    return " or ".join(kinds) if kinds else "no type"


def _kinds_of(doc_type: str) -> frozenset[str]:
    """The spec types one alternative of a doc type stands for (`[]T` is an array)."""
    return frozenset({"array"}) if doc_type.startswith("[]") else DOC_TYPES.get(doc_type, frozenset())


def _type_problem(spec: Spec, row: Row, nodes: list[Node]) -> str | None:
    """Both ways: every spec type is one the doc names, and every type the doc names is in the spec."""
    if "any" in row.kinds:
        return None
    found = {kind for node in nodes for kind in spec.types(node)}
    wanted = frozenset().union(*(_kinds_of(kind) for kind in row.kinds))
    if found and found <= wanted and all(found & _kinds_of(kind) for kind in row.kinds):
        return None
    return f"docs say type {row.type}, spec says {_describe(spec, nodes)}"


def _items_problem(spec: Spec, row: Row, nodes: list[Node]) -> str | None:
    items = [item for node in nodes if "array" in spec.types(node) for item in spec.items(node)]
    found = {kind for item in items for kind in spec.types(item)}
    shown = " or ".join(sorted(found)) or "no type"
    doc_item = row.item_type
    if doc_item is None or doc_item == "any":
        if doc_item is None and found - {"object"}:
            return f"docs say nothing of the items' type, spec says items of {shown}"
        return None
    wanted = DOC_TYPES.get(doc_item, frozenset())
    if items and (not found or not found <= wanted):
        return f"docs say items of type {doc_item}, spec says items of {shown}"
    return None


def collect(spec: Spec, node: Node, keyword: str, depth: int = 0) -> list[Any]:
    """The values of a keyword in a schema's non-null shapes, through `$ref` and the combinators."""
    key = (id(node.value), keyword, depth)
    if key not in spec.collected:
        spec.collected[key] = (node.value, _collect(spec, node, keyword, depth))
    return list(spec.collected[key][1])


def _collect(spec: Spec, node: Node, keyword: str, depth: int) -> list[Any]:
    node = spec.resolve(node)
    value = node.value
    if depth > MAX_DEPTH or not isinstance(value, dict) or spec.is_null(node):
        return []
    found = [value[keyword]] if keyword in value else []
    for combinator in ("allOf", "oneOf", "anyOf"):
        for i, sub in enumerate(value.get(combinator) or []):
            found += collect(spec, Node(sub, f"{node.pointer}/{combinator}/{i}"), keyword, depth + 1)
    return found


def admits_null(spec: Spec, node: Node, depth: int = 0) -> bool:
    """Whether a schema lets the value be JSON null (`nullable`, a null type or enum, a null branch)."""
    node = spec.resolve(node)
    value = node.value
    if depth > MAX_DEPTH or not isinstance(value, dict):
        return False
    kind = value.get("type")
    if value.get("nullable") is True or kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if None in (value.get("enum") or []):
        return True
    return any(
        admits_null(spec, Node(sub, f"{node.pointer}/{combinator}/{i}"), depth + 1)
        for combinator in ("oneOf", "anyOf")
        for i, sub in enumerate(value.get(combinator) or [])
    )


def _unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if not any(_same(value, known) for known in out):
            out.append(value)
    return out


def _same(a: Any, b: Any) -> bool:
    """JSON equality: `1` and `"1"` differ, and so do `1` and `true`."""
    return _json_type(a) == _json_type(b) and a == b if a is not None and b is not None else a is b


def _shown_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _limits_problems(spec: Spec, row: Row, nodes: list[Node]) -> list[str]:
    found: dict[str, list[Any]] = {}
    items = [item for node in nodes for item in spec.items(node)]
    for keyword in LIMIT_KEYWORDS:
        for prefix, holders in (("", nodes), ("items.", items)):
            values = _unique([v for node in holders for v in collect(spec, node, keyword)])
            if values:
                found[prefix + keyword] = values
    problems: list[str] = []
    for keyword in sorted(set(found) | set(row.limits)):
        want = [row.limits[keyword]] if keyword in row.limits else []
        have = found.get(keyword, [])
        if len(want) != len(have) or not all(_same(a, b) for a, b in zip(want, have, strict=False)):
            said = f"{keyword} {_shown_value(want[0])}" if want else f"no {keyword}"
            says = " or ".join(f"{keyword} {_shown_value(v)}" for v in have) if have else f"no {keyword}"
            problems.append(f"docs say {said}, spec says {says}")
    return problems


def _enum_values(spec: Spec, nodes: list[Node]) -> list[Any] | None:
    values: list[Any] = []
    for node in nodes:
        for shape in spec.non_null(node):
            if "enum" not in shape.value:
                return None  # some branch takes any value of its type
            values += [v for v in shape.value["enum"] if v is not None]
    return values


def _facts_problems(spec: Spec, row: Row, nodes: list[Node]) -> list[str]:
    """Type, item type, format, limits, allowed values and nullability, each compared both ways.

    The envelope's rows meet the same schemas in every operation: each (row, schemas) is compared once."""
    key = (repr(replace(row, section="")), *(id(node.value) for node in nodes))
    if key not in spec.facts:
        spec.facts[key] = ([node.value for node in nodes], _compare_facts(spec, row, nodes))
    return list(spec.facts[key][1])


def _compare_facts(spec: Spec, row: Row, nodes: list[Node]) -> list[str]:
    problems = [p for p in (_type_problem(spec, row, nodes), _items_problem(spec, row, nodes)) if p]
    formats = sorted({str(f) for node in nodes for f in collect(spec, node, "format")})
    want = [row.format] if row.format else []
    if formats != want:
        said = f"format {row.format}" if row.format else "no format"
        problems.append(f"docs say {said}, spec says {' or '.join(f'format {f}' for f in formats) or 'no format'}")
    problems += _limits_problems(spec, row, nodes)
    allowed = _enum_values(spec, nodes)
    if row.values is None and allowed is not None and "any" not in row.kinds:
        problems.append(f"docs say any {row.type}, spec allows only {_shown_value(allowed)}")
    elif row.values is not None and allowed is None:
        problems.append(f"docs say the value is {_values_text(row)}, spec allows any value")
    elif row.values is not None and allowed is not None:
        wanted = _unique(list(row.values))
        if len(_unique(allowed)) != len(wanted) or not all(any(_same(a, w) for a in allowed) for w in wanted):
            problems.append(f"docs say the value is {_values_text(row)}, spec allows only {_shown_value(allowed)}")
    nullable = any(admits_null(spec, node) for node in nodes)
    if row.may_be_null is not None and nullable != row.may_be_null:
        said = "it may be null" if row.may_be_null else "never null"
        problems.append(f"docs say {said}, spec says {'nullable' if nullable else 'never null'}")
    # No doc type lets an array's items be null: `[]object` is a list of objects (an item schema made nullable
    # to serve as a payload too is caught here).
    items = [item for node in nodes if "array" in spec.types(node) for item in spec.items(node)]
    if "any" not in row.kinds and row.item_type != "any" and any(admits_null(spec, item) for item in items):
        problems.append("docs say items are never null, spec says items nullable")
    return problems


def _values_text(row: Row) -> str:
    return " or ".join(_shown_value(v) for v in row.values or ())


def _seen_ids(texts: list[str]) -> list[str]:
    return [m.group("id") for t in texts for m in SEEN_TAG.finditer(t) if m.group("id")]


def _refuses_missing(spec: Spec, holders: list[Node], name: str, unless: dict[str, Any]) -> bool:
    """Whether each holder refuses the field missing unless `unless` holds: a `not` that pins the condition's
    keys to other values and requires the field is what an OpenAPI 3.0 generator accepts for "required unless"."""
    if not holders:
        return False
    for holder in holders:
        value = spec.resolve(holder).value
        members = [value, *[spec.resolve(Node(m, "")).value for m in value.get("allOf") or []]]
        refusals = [spec.resolve(Node(m["not"], "")).value for m in members if isinstance(m.get("not"), dict)]
        if not any(_pins_and_requires(spec, refusal, name, unless) for refusal in refusals):
            return False
    return True


def _pins_and_requires(spec: Spec, refusal: Json, name: str, unless: dict[str, Any]) -> bool:
    props = _props(refusal)
    for key, excused in unless.items():
        enum = spec.resolve(Node(props.get(key) or {}, "")).value.get("enum")
        if key not in (refusal.get("required") or []) or not enum or any(_same(v, excused) for v in enum):
            return False
    inner = refusal.get("not")
    return isinstance(inner, dict) and name in (spec.resolve(Node(inner, "")).value.get("required") or [])


def _check_field(
    spec: Spec,
    record: Record,
    op: Operation,
    row: Row,
    view: FieldView | None,
    missing: str,
    seen_texts: list[str],
) -> list[str]:
    label = f"{op.label} {SECTION_LABEL.get(row.section, row.section)} {row.name}"
    if view is None:
        return [f"{label}: docs say it exists ({row.type}), spec has {missing}"] if row.in_table else []
    problems: list[str] = []
    if view.nodes:
        problems += [f"{label}: {problem}" for problem in _facts_problems(spec, row, view.nodes)]
    if row.may_be_absent and view.required:
        problems.append(f"{label}: docs say optional ({row.why_optional()}), spec says required")
    elif not row.may_be_absent and not view.required:
        waivers = [
            w
            for seen in _seen_ids(seen_texts)
            for w in record.observations.get(seen, [])
            if (w.op, w.section, w.name) == (op.key, row.section, row.name)
        ]
        if not waivers:
            problems.append(
                f"{label}: docs say required ({row.why_required()}), spec says optional and gives no [seen] reason"
            )
        last = row.name.split(".")[-1]
        for waiver in waivers:
            if waiver.unless and not _refuses_missing(spec, view.holders, last, waiver.unless):
                condition = ", ".join(f"{k} is {_shown_value(v)}" for k, v in waiver.unless.items())
                problems.append(
                    f"{label}: docs say required (the observation excuses it only when {condition}), "
                    "spec says optional in every reply (no `not` refusing it missing otherwise)"
                )
    return problems


def _security_view(spec: Spec, op: Json) -> FieldView | None:
    """The Authorization header as the operation's security says it: present, and required or not."""
    requirements = op.get("security", spec.data.get("security")) or []
    schemes = (spec.data.get("components") or {}).get("securitySchemes") or {}

    def sends_authorization(requirement: Any) -> bool:
        for name in requirement or {}:
            scheme = spec.resolve(Node(schemes.get(name) or {}, "")).value
            kind = scheme.get("type")
            if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                return True
            if kind in ("oauth2", "openIdConnect"):
                return True
            if kind == "apiKey" and scheme.get("in") == "header" and str(scheme.get("name")).lower() == "authorization":
                return True
        return False

    matches = [sends_authorization(r) for r in requirements]
    if not any(matches):
        return None
    return FieldView([Node({"type": "string"}, "")], all(matches), [])


def _param_name(param: Node) -> str:
    """A parameter's name as matched: header names are case-insensitive."""
    name = str(param.value.get("name", ""))
    return name.lower() if param.value.get("in") == "header" else name


def _check_parameters(spec: Spec, record: Record, op: Operation, raw_op: Json) -> list[str]:
    problems: list[str] = []
    params = spec.parameters(op.key)
    for row in op.rows:
        if row.section not in ("headers", "query"):
            continue
        where = "header" if row.section == "headers" else "query"
        wanted = row.name.lower() if where == "header" else row.name
        matches = [p for p in params if p.value.get("in") == where and _param_name(p) == wanted]
        if where == "header" and row.name.lower() == "authorization" and not matches:
            view = _security_view(spec, raw_op)
            problems += _check_field(spec, record, op, row, view, "no such header (no bearer security)", [])
            continue
        if not matches:
            missing = "no such header" if where == "header" else "no such query parameter"
            problems += _check_field(spec, record, op, row, None, missing, [])
            continue
        param = matches[0]
        schema = Node(param.value.get("schema") or {}, f"{param.pointer}/schema")
        texts = [str(param.value.get("description", "")), *spec.descriptions(schema)]
        view = FieldView([schema], bool(param.value.get("required")), [])
        problems += _check_field(spec, record, op, row, view, "", texts)
    for param in params:
        where = str(param.value.get("in"))
        section = {"header": "headers", "query": "query"}.get(where)
        names = {n.lower() if where == "header" else n for n in op.names(section or "")}
        if section is not None and _param_name(param) not in names:
            name = param.value.get("name")
            problems.append(f"{op.label} {where} {name}: docs say no such {where} parameter, spec has it")
    documented = "authorization" in {n.lower() for n in op.names("headers")}
    if not documented and _security_view(spec, raw_op) is not None:
        problems.append(f"{op.label} header Authorization: docs say no such header, spec's security sends it")
    return problems


def _extra_fields(spec: Spec, alts: list[Alt], names: set[str], prefix: str = "") -> list[str]:
    """Dotted names of the spec's fields that the record does not list (the other way of rule 2)."""
    extra: list[str] = []
    for alt in alts:
        for name, nodes in alt.props.items():
            dotted = f"{prefix}{name}"
            has_children = any(n.startswith(f"{dotted}.") for n in names)
            if dotted not in names and not has_children:
                extra.append(dotted)
            elif has_children:
                extra += _extra_fields(spec, spec.both([spec.children(n) for n in nodes]), names, f"{dotted}.")
    return list(dict.fromkeys(extra))


def _extra_problems(op: Operation, section: str, extra: list[str]) -> list[str]:
    return [
        f"{op.label} {SECTION_LABEL.get(section, section)} {name}: docs say no such field, spec has it"
        for name in extra
    ]


def _check_body(spec: Spec, record: Record, op: Operation, raw_op: Json, pointer: str) -> list[str]:
    rows = [row for row in op.rows if row.section == "body"]
    if not rows:
        return []
    body = raw_op.get("requestBody")
    schema = None if body is None else spec.json_schema(body, f"{pointer}/requestBody")
    if body is None or schema is None:
        names = ", ".join(row.name for row in rows)
        return [f"{op.label} body: docs say a JSON body with {names}, spec has no JSON request body"]
    problems: list[str] = []
    if any(not row.may_be_absent for row in rows) and not spec.resolve(Node(body, "")).value.get("required"):
        problems.append(
            f"{op.label} body: docs say the body is required (it has required fields), "
            "spec says the request body is optional"
        )
    alts = spec.alternatives(schema)
    for row in rows:
        view = spec.find(alts, row.name)
        texts = [t for n in view.nodes for t in spec.descriptions(n)] if view else []
        problems += _check_field(spec, record, op, row, view, "no such field", texts)
    media = sorted((spec.resolve(Node(body, "")).value.get("content") or {}).keys())
    if media != ["application/json"]:
        problems.append(f"{op.label} body: docs say Content-Type application/json, spec says {', '.join(media)}")
    return problems + _extra_problems(op, "body", _extra_fields(spec, alts, op.names("body")))


def _check_envelope(spec: Spec, record: Record, op: Operation, reply: list[Alt], status: str = "200") -> list[str]:
    """The record's envelope rows against a reply's alternatives (those with `data`, when some have it)."""
    problems: list[str] = []
    envelopes = [alt for alt in reply if "data" in alt.props] or reply
    section = "envelope" if status == "200" else f"{status} envelope"
    for row in record.envelope:
        if not envelopes:
            break
        views = [spec.find([alt], row.name) for alt in envelopes]
        present = [v for v in views if v is not None]
        view = None
        if len(present) == len(views):
            view = FieldView([n for v in present for n in v.nodes], all(v.required for v in present), [])
        texts = [t for v in present for n in v.nodes for t in spec.descriptions(n)]
        missing = f"no such field in some branch of the {status} reply"
        problems += _check_field(spec, record, op, replace(row, section=section), view, missing, texts)
    if record.envelope:
        extra = _extra_fields(spec, envelopes, {row.name for row in record.envelope})
        problems += _extra_problems(op, section, extra)
    return problems


def _check_reply(spec: Spec, record: Record, op: Operation, raw_op: Json, pointer: str) -> list[str]:
    reply = spec.reply_alternatives(raw_op, pointer)
    problems = _check_envelope(spec, record, op, reply)
    rows = [row for row in op.rows if row.section == "reply"]
    payload = spec.payload(reply)
    if not rows:
        carried = sorted({name for alt in payload for name in alt.props})
        if op.null_reply and carried:
            problems.append(f"{op.label} reply: docs say data is null, spec says data carries {', '.join(carried)}")
        elif op.null_reply and payload:
            # No field, yet `data` takes a value besides null: nothing refuses one, as EmptyReply's `not` does.
            shapes = [shape for alt in reply for n in alt.props.get("data", []) for shape in spec.non_null(n)]
            problems.append(f"{op.label} reply: docs say data is null, spec lets data be {_describe(spec, shapes)}")
        return problems
    if not payload:
        names = ", ".join(row.name for row in rows)
        return [
            *problems,
            f"{op.label} reply: docs say data carries {names}, "
            "spec has no success payload (no non-null data in the 200 reply)",
        ]
    for row in rows:
        view = spec.find(payload, row.name)
        texts = [t for n in view.nodes for t in spec.descriptions(n)] if view else []
        problems += _check_field(spec, record, op, row, view, "no such field", texts)
    return problems + _extra_problems(op, "reply", _extra_fields(spec, payload, op.names("reply")))


def check_operations(spec: Spec, record: Record) -> list[str]:
    problems: list[str] = []
    for op in record.operations:
        found = spec.operation(op.key)
        if found is None:
            item = (spec.data.get("paths") or {}).get(op.path)
            methods = [m.upper() for m in METHODS if isinstance(item, dict) and m in item]
            if methods:
                problems.append(f"{op.label}: docs say method {op.method}, spec has only {', '.join(methods)}")
            else:
                problems.append(f"{op.label}: docs say this operation exists, spec has no path {op.path}")
            continue
        raw_op, pointer = found
        problems += _check_parameters(spec, record, op, raw_op)
        problems += _check_body(spec, record, op, raw_op, pointer)
        problems += _check_reply(spec, record, op, raw_op, pointer)
    known = record.keys | record.undocumented
    for key, _, _ in spec.operations():
        if key not in known:
            problems.append(
                f"{key[0]} {key[1]}: docs say nothing of this operation, spec has it "
                "(add it to docs/api-tables.yaml, under undocumented if no doc page covers it)"
            )
    return problems


def check_common(spec: Spec, record: Record) -> list[str]:
    """The base URL, and the codes every call may answer with (each a response of every recorded operation)."""
    problems: list[str] = []
    urls = [str(s.get("url")) for s in spec.data.get("servers") or [] if isinstance(s, dict)]
    if record.base_url is not None and urls != [record.base_url]:
        problems.append(f"servers: docs say base URL {record.base_url}, spec says {', '.join(urls) or 'no server'}")
    for op in record.operations:
        found = spec.operation(op.key)
        if found is None:
            continue
        raw_op, pointer = found
        responses = {str(status): response for status, response in (raw_op.get("responses") or {}).items()}
        for code, note in sorted(record.codes.items()):
            if str(code) not in responses:
                problems.append(
                    f"{op.label} responses: docs say code {code} ({note}) may come back, spec has no {code} response"
                )
                continue
            # The code comes back in the envelope, whatever the HTTP status: that response is an envelope too.
            schema = spec.json_schema(responses[str(code)], f"{pointer}/responses/{code}")
            if schema is None:
                problems.append(
                    f"{op.label} responses: docs say code {code} comes back in the envelope, "
                    f"spec's {code} response has no JSON body"
                )
                continue
            problems += _check_envelope(spec, record, op, spec.alternatives(schema), str(code))
    return problems


def _rate_limit(raw_op: Json) -> tuple[float | None, bool] | None:
    """An operation's rate-limit extension: its QPS and whether it is tagged [doc]; None when absent."""
    if RATE_LIMIT_KEY not in raw_op:
        return None
    ext = raw_op[RATE_LIMIT_KEY]
    qps = ext.get("perSecond") if isinstance(ext, dict) else ext
    texts = [v for v in ext.values() if isinstance(v, str)] if isinstance(ext, dict) else []
    number = float(qps) if isinstance(qps, int | float) and not isinstance(qps, bool) else None
    return number, any(DOC_TAG.search(t) for t in texts)


def check_rate_limits(spec: Spec, record: Record) -> list[str]:
    """The QPS the docs publish, against the spec's rate-limit extension wherever the spec uses one."""
    declared = {key: _rate_limit(raw_op) for key, raw_op, _ in spec.operations()}
    if not any(declared.values()):
        return []
    problems: list[str] = []
    for op in record.operations:
        if op.key not in declared:
            continue
        found = declared[op.key]
        if op.qps is not None and found is None:
            problems.append(f"{op.label} {RATE_LIMIT_KEY}: docs say {op.qps:g} QPS, spec gives no {RATE_LIMIT_KEY}")
        elif op.qps is not None and found is not None and found[0] != op.qps:
            says = "no number" if found[0] is None else f"{found[0]:g} QPS"
            problems.append(f"{op.label} {RATE_LIMIT_KEY}: docs say {op.qps:g} QPS, spec says {says}")
        elif op.qps is None and found is not None and found[1]:
            says = "no number" if found[0] is None else f"{found[0]:g} QPS"
            problems.append(
                f"{op.label} {RATE_LIMIT_KEY}: docs publish no QPS for this operation, spec says {says} [doc]"
            )
    return problems


def _at(value: Any, dotted: str) -> list[Any]:
    """The values under a dotted name in an example, through arrays; absent fields give nothing."""
    found = [value]
    for part in dotted.split("."):
        step: list[Any] = []
        for v in found:
            for item in v if isinstance(v, list) else [v]:
                if isinstance(item, dict) and part in item:
                    step.append(item[part])
        found = step
    return found


def _value_problem(row: Row, value: Any) -> str | None:
    """Why an example value does not have a type the doc gives the field, if it does not."""
    if value is None:
        return None if row.may_be_null is not False else "null"
    if "any" in row.kinds:
        return None
    kind = _json_type(value)
    if not any(kind in _kinds_of(k) or (kind == "integer" and "number" in _kinds_of(k)) for k in row.kinds):
        return f"{kind} {_shown_value(value)}"
    if row.values is not None and not any(_same(value, v) for v in row.values):
        return _shown_value(value)
    if isinstance(value, list) and row.item_type not in (None, "any"):
        wanted = DOC_TYPES.get(str(row.item_type), frozenset())
        for item in value:
            if _json_type(item) not in wanted and not (_json_type(item) == "integer" and "number" in wanted):
                return f"an item {_json_type(item)} {_shown_value(item)}"
    return None


def _examples(spec: Spec, holder: Any) -> list[tuple[str, Any]]:
    """The named example values of a media type or parameter (`example`, or `examples` through `$ref`)."""
    if not isinstance(holder, dict):
        return []
    found = [("example", holder["example"])] if "example" in holder else []
    for name, entry in (holder.get("examples") or {}).items():
        entry = spec.resolve(Node(entry, "")).value
        if isinstance(entry, dict) and "value" in entry:
            found.append((str(name), entry["value"]))
    return found


def _json_media(spec: Spec, holder: Any) -> Any:
    content = spec.resolve(Node(holder or {}, "")).value.get("content") or {}
    return next((entry for media, entry in content.items() if JSON_MEDIA.match(media)), None)


def check_examples(spec: Spec, record: Record) -> list[str]:
    """Every example value of a documented field has a type (and a value) the docs allow."""
    problems: list[str] = []
    for op in record.operations:
        found = spec.operation(op.key)
        if found is None:
            continue
        raw_op = found[0]
        cases: list[tuple[str, str, Any, list[Row]]] = []
        body_rows = [row for row in op.rows if row.section == "body"]
        for name, value in _examples(spec, _json_media(spec, raw_op.get("requestBody"))):
            cases += [("body", name, value, body_rows)]
        reply = _json_media(spec, (raw_op.get("responses") or {}).get("200"))
        reply_rows = [row for row in op.rows if row.section == "reply"]
        for name, value in _examples(spec, reply):
            cases += [("envelope", name, value, record.envelope)]
            if isinstance(value, dict) and isinstance(value.get("data"), dict):
                cases += [("reply", name, value["data"], reply_rows)]
        for param in spec.parameters(op.key):
            where = {"query": "query", "header": "headers"}.get(str(param.value.get("in")))
            rows = [r for r in op.rows if r.section == where and r.name.lower() == str(param.value["name"]).lower()]
            for name, value in _examples(spec, param.value):
                cases += [(str(where), name, {rows[0].name: value} if rows else {}, rows)]
        for section, name, value, rows in cases:
            for row in rows:
                for item in _at(value, row.name):
                    wrong = _value_problem(row, item)
                    if wrong is not None:
                        problems.append(
                            f"{op.label} {SECTION_LABEL.get(section, section)} {row.name}: docs say "
                            f"{row.type if row.values is None else _values_text(row)}, "
                            f"spec's example {name} says {wrong}"
                        )
    return problems


def _difference(want: Any, have: Any, where: str) -> tuple[str, Any, Any] | None:
    """The first place two JSON values differ (types count: 1 is not "1"), if they do."""
    if isinstance(want, dict) and isinstance(have, dict):
        for key in [*want, *[k for k in have if k not in want]]:
            if key not in want or key not in have:
                return (f"{where}.{key}", want.get(key, "(absent)"), have.get(key, "(absent)"))
            found = _difference(want[key], have[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(want, list) and isinstance(have, list):
        for i, (a, b) in enumerate(zip(want, have, strict=False)):
            found = _difference(a, b, f"{where}[{i}]")
            if found:
                return found
        if len(want) != len(have):
            return (f"{where} length", len(want), len(have))
        return None
    return None if _same(want, have) else (where, want, have)


def check_doc_examples(spec: Spec, record: Record) -> list[str]:
    """An example presented as the docs' own is exactly the docs' example the record keeps, and each example
    the record keeps is in the spec, so presented."""
    problems: list[str] = []
    for op in record.operations:
        found = spec.operation(op.key)
        if found is None:
            continue
        raw_op = found[0]
        holders = {"request": raw_op.get("requestBody"), "reply": (raw_op.get("responses") or {}).get("200")}
        for side in EXAMPLE_SIDES:
            media = _json_media(spec, holders[side]) or {}
            want = record.examples.get((op.key, side))
            claimed = 0
            for name, entry in (media.get("examples") or {}).items():
                entry = spec.resolve(Node(entry, "")).value
                if not isinstance(entry, dict) or not DOCS_EXAMPLE.search(str(entry.get("summary", ""))):
                    continue
                claimed += 1
                if want is None:
                    problems.append(
                        f"{op.label} {side} example {name}: docs say no such example (none in the record's "
                        "doc_examples), spec presents it as the docs' example"
                    )
                    continue
                diff = _difference(want, entry.get("value"), side)
                if diff is not None:
                    where, said, says = diff
                    problems.append(
                        f"{op.label} {side} example {name}: docs say {_shown_value(said)} at {where}, "
                        f"spec says {_shown_value(says)} (relabel it, or restore the docs' example)"
                    )
            if want is not None and not claimed:
                problems.append(
                    f"{op.label} {side} example: docs say {_shown_value(want)[:60]}..., "
                    "spec presents no example as the docs' example"
                )
    return problems


# ---------------------------------------------------------------------------------------------- [doc] tags


@dataclass(frozen=True)
class Use:
    """A recorded reach of a schema property from an operation: which part, under which dotted name."""

    op: OpKey
    section: str  # "body", "reply" or "param"
    dotted: str


@dataclass
class Reach:
    """What each operation reaches in the spec: property nodes (with their dotted names) and any node."""

    properties: dict[str, set[Use]] = field(default_factory=lambda: defaultdict(set))
    nodes: dict[str, set[OpKey]] = field(default_factory=lambda: defaultdict(set))
    schemas: dict[str, set[Use]] = field(default_factory=lambda: defaultdict(set))  # `$ref` targets, as what


def _walk(spec: Spec, reach: Reach, node: Node, op: OpKey, section: str, prefix: str, seen: set[Any]) -> None:
    key = (node.pointer, prefix, op, section)
    if key in seen or prefix.count(".") > MAX_DEPTH or not isinstance(node.value, dict):
        return
    seen.add(key)
    value = node.value
    reach.nodes[node.pointer].add(op)
    ref = value.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        reach.schemas[ref].add(Use(op, section, prefix))
        _walk(spec, reach, Node(spec.node_at(ref), ref), op, section, prefix, seen)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for i, sub in enumerate(value.get(keyword) or []):
            _walk(spec, reach, Node(sub, f"{node.pointer}/{keyword}/{i}"), op, section, prefix, seen)
    for keyword in ("items", "not", "additionalProperties"):
        if isinstance(value.get(keyword), dict):
            inner = f"{prefix}.*" if keyword == "additionalProperties" and prefix else prefix
            _walk(spec, reach, Node(value[keyword], f"{node.pointer}/{keyword}"), op, section, inner, seen)
    for name, sub in _props(value).items():
        pointer = f"{node.pointer}/properties/{escape(name)}"
        dotted = f"{prefix}.{name}" if prefix else name
        reach.properties[pointer].add(Use(op, section, dotted))
        _walk(spec, reach, Node(sub, pointer), op, section, dotted, seen)


def _walk_refs(spec: Spec, reach: Reach, value: Any, pointer: str, op: OpKey, seen: set[Any]) -> None:
    """Mark every node reached from an operation's non-schema parts (responses, examples, bodies) by `$ref`."""
    if (pointer, op) in seen:
        return
    seen.add((pointer, op))
    reach.nodes[pointer].add(op)
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            _walk_refs(spec, reach, spec.node_at(ref), ref, op, seen)
        for k, v in value.items():
            if isinstance(v, dict | list) and k != "schema":
                _walk_refs(spec, reach, v, f"{pointer}/{escape(str(k))}", op, seen)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _walk_refs(spec, reach, v, f"{pointer}/{i}", op, seen)


def reach_of(spec: Spec) -> Reach:
    reach = Reach()
    seen: set[Any] = set()
    for key, raw_op, pointer in spec.operations():
        _walk_refs(spec, reach, raw_op, pointer, key, seen)
        for param in spec.parameters(key):
            schema = param.value.get("schema")
            if isinstance(schema, dict):
                _walk(spec, reach, Node(schema, f"{param.pointer}/schema"), key, "param", "", seen)
        body = raw_op.get("requestBody")
        if isinstance(body, dict):
            schema_node = spec.json_schema(body, f"{pointer}/requestBody")
            if schema_node is not None:
                _walk(spec, reach, schema_node, key, "body", "", seen)
        for status, response in (raw_op.get("responses") or {}).items():
            schema_node = spec.json_schema(response, f"{pointer}/responses/{escape(str(status))}")
            if schema_node is not None:
                _walk(spec, reach, schema_node, key, "reply", "", seen)
    return reach


def _tagged(value: Any, tokens: list[str]) -> Iterator[tuple[list[str], str]]:
    """Every text that may carry a tag (a description, summary or title, or any text inside an `x-` extension),
    with where it is; example values are data, skipped."""
    if isinstance(value, dict):
        in_properties = bool(tokens) and tokens[-1] == "properties"
        in_extension = any(t.startswith("x-") for t in tokens)
        for k, v in value.items():
            key = str(k)
            if isinstance(v, str) and not in_properties and (key in TEXT_KEYS or in_extension or key.startswith("x-")):
                yield [*tokens, key], v
            elif not in_properties and (key == "example" or (key == "value" and _in_examples(tokens))):
                continue
            else:
                yield from _tagged(v, [*tokens, key])
    elif isinstance(value, list):
        in_extension = any(t.startswith("x-") for t in tokens)
        for i, v in enumerate(value):
            if isinstance(v, str) and in_extension:
                yield [*tokens, str(i)], v
            else:
                yield from _tagged(v, [*tokens, str(i)])


def _in_examples(tokens: list[str]) -> bool:
    return len(tokens) >= 2 and tokens[-2] == "examples"


def _use_label(use: Use) -> tuple[str, str]:
    """The record section and field name a use stands for."""
    if use.section == "body":
        return "body", use.dotted
    if use.dotted.startswith("data."):
        return "reply", use.dotted.removeprefix("data.")
    return "envelope", use.dotted


def _use_documented(record: Record, use: Use) -> bool:
    section, name = _use_label(use)
    if section == "envelope":  # the guide gives every reply this envelope, whatever the operation
        return use.section == "reply" and name in {row.name for row in record.envelope}
    op = record.operation(use.op)
    return op is not None and use.section != "param" and name in op.names(section)


def _param_tag(spec: Spec, record: Record, tokens: list[str], pointer: str, users: set[OpKey]) -> str | None:
    """A [doc] on a parameter: some recorded user documents a header or query row of that name."""
    param = spec.node_at(join_pointer(tokens))
    where, name = str(param.get("in", "")), str(param.get("name", ""))
    section = {"header": "headers", "query": "query"}.get(where)
    for key in sorted(users):
        op = record.operation(key)
        if op is None or section is None:
            continue
        names = {n.lower() for n in op.names(section)} if where == "header" else op.names(section)
        if (name.lower() if where == "header" else name) in names:
            return None
    label = f"{sorted(users)[0][0]} {sorted(users)[0][1]} {where} {name}" if users else pointer
    return f"{label}: docs say nothing of this parameter, spec tags it [doc] at {pointer}"


def check_doc_tags(spec: Spec, record: Record) -> list[str]:
    """Every [doc] tag points at the record entry that says it; every [seen] tag at a recorded observation."""
    reach = reach_of(spec)
    recorded = record.keys | record.mentioned
    problems: list[str] = []
    for tokens, text in _tagged(spec.data, []):
        pointer = join_pointer(tokens)
        owner = tokens[:-1]
        found: list[str | None] = []
        for match in DOC_TAG.finditer(text):
            name = match.group("id")
            if name is None:
                found.append(_doc_tag_problem(spec, record, reach, recorded, owner, pointer))
            elif name not in record.statements:
                found.append(f"{pointer}: docs say nothing under {name!r} (no such statement), spec tags [doc: {name}]")
        for match in SEEN_TAG.finditer(text):
            name = match.group("id")
            if name is None:
                found.append(
                    f"{pointer}: the record names no observation for it, spec tags it {match.group(0)} "
                    "(tag it [seen: <id>] naming an entry of the record's observations)"
                )
            elif name not in record.observations:
                found.append(f"{pointer}: the record has no observation {name!r}, spec tags [seen: {name}]")
        problems += [problem for problem in found if problem is not None and problem not in problems]
    return problems


def _needs_statement(pointer: str) -> str:
    return (
        f"{pointer}: docs say nothing a record row holds here, spec tags it [doc] "
        "(tag it [doc: <id>] naming an entry of the record's statements)"
    )


def _schema_use_documented(record: Record, use: Use) -> bool:
    """Whether a schema reached under this use stands for something the record documents as a whole."""
    if use.section == "reply" and use.dotted == "" and record.envelope:
        return True  # the guide gives every reply the envelope, whatever the operation
    op = record.operation(use.op)
    if op is None:
        return False
    if use.dotted == "":
        rows = op.names("body") if use.section == "body" else record.envelope
        return use.section in ("body", "reply") and bool(rows)
    if use.section == "reply" and use.dotted == "data":
        return bool(op.names("reply")) or op.null_reply
    return _use_documented(record, use)


def _doc_tag_problem(
    spec: Spec, record: Record, reach: Reach, recorded: set[OpKey], owner: list[str], pointer: str
) -> str | None:
    if owner[:1] == ["servers"] and len(owner) == 2:
        url = spec.data["servers"][int(owner[1])].get("url")
        if record.base_url is not None and url == record.base_url:
            return None
        return f"{pointer}: docs say base URL {record.base_url}, spec tags [doc] on {url}"
    if not owner or owner[0] in ("info", "servers", "tags", "externalDocs"):
        return _needs_statement(pointer)
    if owner[0] == "paths" and RATE_LIMIT_KEY in owner:
        index = owner.index(RATE_LIMIT_KEY)
        op = record.operation((owner[index - 1].upper(), owner[1])) if index == 3 else None
        if op is not None and op.qps is not None:
            return None
        return f"{pointer}: docs publish no QPS for this operation, spec tags its {RATE_LIMIT_KEY} [doc]"
    # A parameter, inline or a component.
    for i in range(len(owner) - 1):
        is_inline = owner[0] == "paths" and owner[i] == "parameters" and i in (2, 3)
        is_component = owner[:2] == ["components", "parameters"] and i == 1
        if is_inline or is_component:
            param_tokens = owner[: i + 2]
            users = reach.nodes.get(join_pointer(param_tokens), set())
            if is_inline and i == 3:
                users = {(owner[2].upper(), owner[1])}
            elif is_inline:
                users = {key for key, _, _ in spec.operations() if key[1] == owner[1]}
            return _param_tag(spec, record, param_tokens, pointer, users)
    # A schema property: the nearest enclosing one.
    for end in range(len(owner), 1, -1):
        uses = reach.properties.get(join_pointer(owner[:end]))
        if uses:
            if any(_use_documented(record, use) for use in uses):
                return None
            use = min(uses, key=lambda u: (u.op not in recorded, u.op, u.dotted))
            section, name = _use_label(use)
            return (
                f"{use.op[0]} {use.op[1]} {section} {name}: docs say nothing of this field, "
                f"spec tags it [doc] at {pointer}"
            )
    # A schema's own description: it belongs when the schema stands for a documented table as a whole (a
    # body, the envelope, a payload) or for a documented field.
    if owner[:2] == ["components", "schemas"] and len(owner) >= 3:
        why = "no recorded operation uses it"
        for end in range(len(owner), 2, -1):
            uses = reach.schemas.get(join_pointer(owner[:end]))
            if uses:
                if any(_schema_use_documented(record, use) for use in uses):
                    return None
                why = "no recorded operation uses it as a documented part"
                break
        return f"{pointer}: docs say nothing of it ({why}), spec tags it [doc]"
    # An operation, or a path item: free text, so it must name the statement that says it.
    if owner[0] == "paths":
        keys = [key for key, _, _ in spec.operations() if key[1] == owner[1]]
        if len(owner) >= 3 and owner[2] in METHODS:
            keys = [(owner[2].upper(), owner[1])]
        missing = [key for key in keys if key not in recorded]
        if not missing:
            return _needs_statement(pointer)
        return f"{missing[0][0]} {missing[0][1]}: docs say nothing of this operation, spec tags it [doc] at {pointer}"
    # A security scheme.
    if owner[:2] == ["components", "securitySchemes"] and len(owner) >= 3:
        for key, raw_op, _ in spec.operations():
            op = record.operation(key)
            requirements = raw_op.get("security", spec.data.get("security")) or []
            uses_scheme = any(owner[2] in (r or {}) for r in requirements)
            if op is not None and uses_scheme and "authorization" in {n.lower() for n in op.names("headers")}:
                return None
        return (
            f"{pointer}: docs say nothing of it (no recorded operation with an Authorization row uses it), "
            "spec tags it [doc]"
        )
    # Anything else in components (a response, an example, a request body): free text.
    for end in range(len(owner), 0, -1):
        reached_by = reach.nodes.get(join_pointer(owner[:end]))
        if reached_by is not None:
            if reached_by & recorded:
                return _needs_statement(pointer)
            break
    return f"{pointer}: docs say nothing of it (no recorded operation uses it), spec tags it [doc]"


# ---------------------------------------------------------------------------------------------- entry points


def check(spec_data: Json, record_data: Any) -> list[str]:
    """Every problem, one line each; empty when the spec agrees with the record."""
    spec = Spec(spec_data)
    record = parse_record(record_data)
    return (
        check_common(spec, record)
        + check_operations(spec, record)
        + check_rate_limits(spec, record)
        + check_examples(spec, record)
        + check_doc_examples(spec, record)
        + check_doc_tags(spec, record)
    )


def holders(spec_data: Json, method: str, path: str, section: str, name: str) -> list[str]:
    """JSON pointers of the spec objects that hold a documented field (for tools and tests that edit it)."""
    spec = Spec(spec_data)
    found = spec.operation((method.upper(), path))
    if found is None:
        return []
    raw_op, pointer = found
    if section == "body":
        schema = spec.json_schema(raw_op.get("requestBody") or {}, f"{pointer}/requestBody")
        alts = [] if schema is None else spec.alternatives(schema)
    elif section == "reply":
        alts = spec.payload(spec.reply_alternatives(raw_op, pointer))
    else:
        raise ValueError(f"holders: section must be body or reply, not {section!r}")
    view = spec.find(alts, name)
    return sorted({n.pointer for n in view.holders}) if view else []


def _shown(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_yaml(path: Path) -> Any:
    # libyaml's loader, where PyYAML was built with it, reads the spec ten times as fast; same data either way.
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def count_fields(record_data: Any) -> int:
    return sum(len(op.rows) for op in parse_record(record_data).operations)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the OpenAPI file (default: openapi.yaml)")
    parser.add_argument(
        "--record", type=Path, default=DEFAULT_RECORD, help="the docs record (default: docs/api-tables.yaml)"
    )
    args = parser.parse_args(argv)
    spec_data = load_yaml(args.spec)
    record_data = load_yaml(args.record)
    try:
        problems = check(spec_data, record_data)
    except RecordError as exc:
        print(f"{_shown(args.record)}: {exc}", file=sys.stderr)
        return 2
    for line in problems:
        print(line)
    sys.stdout.flush()  # the lines before the summary on stderr, when both go to one terminal or log
    if problems:
        print(
            f"docs check: {len(problems)} problem(s) between {_shown(args.spec)} and {_shown(args.record)}",
            file=sys.stderr,
        )
        return 1
    ops = len(parse_record(record_data).operations)
    fields = count_fields(record_data)
    print(f"docs check: {_shown(args.spec)} agrees with {_shown(args.record)} ({ops} operations, {fields} fields)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
