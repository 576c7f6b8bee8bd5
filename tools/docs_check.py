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
   ``reply``: a property of the success payload, the schema of ``data`` in the 200 reply's success branch
   (see "Finding the payload"); ``reply: []`` says the doc gives ``data: null``, so the spec's success
   payload must have no properties. A dotted name ``a.b`` is property ``b`` of ``a``'s object, or of the
   objects in ``a`` when ``a`` is an array. The record's ``common.envelope`` rows (``code``, ``message``,
   ``data``, ``x-traceID``) must be properties of every branch of every recorded operation's 200 reply.
   A row with ``in_table: false`` (a field the docs show only in an example) may be missing from the spec;
   when the spec has it, rules 3 and 4 apply.
3. Its type is compatible: doc ``string`` ~ string, ``number`` ~ integer or number, ``int``/``integer`` ~
   integer, ``bool``/``boolean`` ~ boolean, ``array`` ~ array, ``[]T`` ~ array whose items (when typed)
   are compatible with ``T``, ``object`` ~ object, ``any`` ~ anything. A spec property with
   ``oneOf``/``anyOf``/``allOf`` is compatible when one of its non-null branches is. A property with no
   type at all is reported. A doc ``value`` must be among the spec's ``enum`` when the spec has one.
4. A field the docs call optional (``required: false``), sometimes absent (``absent_when``) or show only in an
   example (``in_table: false``) is not required in the spec. "Required in the spec" means: listed in
   ``required`` of the object holding it in every alternative of that object (``oneOf``/``anyOf``
   branches are alternatives, ``allOf`` members merge); a required parameter; for ``Authorization``, a
   security requirement that every alternative includes.
5. A field the docs call required is required in the spec, unless the spec's description of it (the
   property's own description or that of the schema it references; for a parameter, its description or
   its schema's) contains a ``[seen]`` tag giving the observed reason. If the record has a required body
   field, the request body itself must be ``required: true``.
6. Every ``[doc]`` tag (``[doc]``, ``[doc, ...]``) in a ``description`` or ``summary`` of the spec belongs to a
   row of the record. Where the tag sits decides what it must belong to:

   - ``info``, ``servers``, ``tags``, ``externalDocs``: the API as a whole; belongs when the record has
     a ``common`` section (base URL, common headers, envelope).
   - An operation (its description, summary, request-body or response descriptions, example summaries,
     anything under it that is not a parameter or a schema): the operation must be in ``operations``, or
     in ``undocumented`` with ``doc_mentions`` (what the docs say of a call they give no page).
     A path item's own description: every operation under that path must be.
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
   - Anything else inside ``components`` (a schema's own description, a response, a request body, an
     example): belongs when some operation allowed by the operation rule above reaches it through ``$ref``.

7. Every operation in the spec is in the record, either in ``operations`` or in ``undocumented`` (calls
   clients use that no doc page covers).

Finding the payload: take the 200 reply's JSON schema, resolve ``$ref`` and split it into alternatives
(``oneOf``/``anyOf`` branches, ``allOf`` merged); in each alternative that has a ``data`` property, drop
the null branches of ``data`` (a schema whose ``enum`` is ``[null]`` or whose ``type`` is ``null``, looking
through ``$ref`` and nested ``oneOf``/``anyOf``). What remains are the payload schemas. This finds both
``XxxReply: oneOf [XxxSuccess (data: $ref XxxPayload), ZFailureReply (data: null)]`` and the older
``data: oneOf [XxxPayload, NullValue]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = ROOT / "openapi.yaml"
DEFAULT_RECORD = ROOT / "docs" / "api-tables.yaml"

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SECTIONS = ("headers", "query", "body", "reply")
SECTION_LABEL = {"headers": "header", "query": "query", "body": "body", "reply": "reply"}
DOC_TAG = re.compile(r"\[doc\b[^\]]*\]")
SEEN_TAG = re.compile(r"\[seen\b[^\]]*\]")
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
    value: Any = None
    in_table: bool = True

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

    @property
    def key(self) -> OpKey:
        return (self.method, self.path)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def names(self, section: str) -> set[str]:
        return {row.name for row in self.rows if row.section == section}


@dataclass
class Record:
    operations: list[Operation]
    undocumented: set[OpKey]
    mentioned: set[OpKey]  # undocumented operations that the docs mention (`doc_mentions`) without a page
    envelope: list[Row]
    has_common: bool

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
    if doc_type != "any" and doc_type not in DOC_TYPES and not doc_type.startswith("[]"):
        raise RecordError(f"{where}: field {raw['name']!r} has unknown type {doc_type!r}")
    if not isinstance(raw["required"], bool) or not isinstance(raw.get("in_table", True), bool):
        raise RecordError(f"{where}: field {raw['name']!r}: required and in_table must be true or false")
    return Row(
        section=section,
        name=str(raw["name"]),
        type=doc_type,
        required=raw["required"],
        flag=None if raw.get("flag") is None else str(raw["flag"]),
        absent_when=None if raw.get("absent_when") is None else str(raw["absent_when"]),
        reading=None if raw.get("reading") is None else str(raw["reading"]),
        value=raw.get("value"),
        in_table=raw.get("in_table", True),
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
    return Record(operations, undocumented, mentioned, envelope, bool(common))


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
    def __init__(self, data: Json) -> None:
        self.data = data

    def node_at(self, pointer: str) -> Any:
        target: Any = self.data
        for token in split_pointer(pointer):
            target = target[int(token)] if isinstance(target, list) else target[token]
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
        value = self.resolve(node).value
        if not isinstance(value, dict):
            return False
        kind = value.get("type")
        return value.get("enum") == [None] or kind == "null" or kind == ["null"]

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


def _compatible(spec: Spec, doc_type: str, nodes: list[Node]) -> bool:
    if doc_type == "any":
        return True
    if doc_type.startswith("[]"):
        inner = doc_type[2:]
        for node in nodes:
            if "array" not in spec.types(node):
                continue
            items = spec.items(node)
            if not items or inner == "any" or any(_compatible(spec, inner, [item]) for item in items):
                return True
            if not any(spec.types(item) for item in items):
                return True
        return False
    wanted = DOC_TYPES.get(doc_type, frozenset())
    return any(spec.types(node) & wanted for node in nodes)


def _enum_values(spec: Spec, nodes: list[Node]) -> list[Any] | None:
    values: list[Any] = []
    for node in nodes:
        for shape in spec.non_null(node):
            if "enum" not in shape.value:
                return None  # some branch takes any value of its type
            values += shape.value["enum"]
    return values


def _check_field(
    spec: Spec, op: Operation, row: Row, view: FieldView | None, missing: str, seen_texts: list[str]
) -> list[str]:
    label = f"{op.label} {SECTION_LABEL.get(row.section, row.section)} {row.name}"
    if view is None:
        return [f"{label}: docs say it exists ({row.type}), spec has {missing}"] if row.in_table else []
    problems: list[str] = []
    if view.nodes and not _compatible(spec, row.type, view.nodes):
        problems.append(f"{label}: docs say type {row.type}, spec says {_describe(spec, view.nodes)}")
    if row.value is not None and view.nodes:
        allowed = _enum_values(spec, view.nodes)
        if allowed is not None and str(row.value) not in {str(v) for v in allowed}:
            problems.append(f"{label}: docs say the value is {row.value}, spec allows only {allowed}")
    if row.may_be_absent and view.required:
        problems.append(f"{label}: docs say optional ({row.why_optional()}), spec says required")
    elif not row.may_be_absent and not view.required and not any(SEEN_TAG.search(t) for t in seen_texts):
        problems.append(
            f"{label}: docs say required ({row.why_required()}), spec says optional and gives no [seen] reason"
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


def _check_parameters(spec: Spec, op: Operation, raw_op: Json) -> list[str]:
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
            problems += _check_field(spec, op, row, view, "no such header (no bearer security)", [])
            continue
        if not matches:
            missing = "no such header" if where == "header" else "no such query parameter"
            problems += _check_field(spec, op, row, None, missing, [])
            continue
        param = matches[0]
        schema = Node(param.value.get("schema") or {}, f"{param.pointer}/schema")
        texts = [str(param.value.get("description", "")), *spec.descriptions(schema)]
        view = FieldView([schema], bool(param.value.get("required")), [])
        problems += _check_field(spec, op, row, view, "", texts)
    return problems


def _check_body(spec: Spec, op: Operation, raw_op: Json, pointer: str) -> list[str]:
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
        problems += _check_field(spec, op, row, view, "no such field", texts)
    return problems


def _check_reply(spec: Spec, record: Record, op: Operation, raw_op: Json, pointer: str) -> list[str]:
    problems: list[str] = []
    reply = spec.reply_alternatives(raw_op, pointer)
    envelopes = [alt for alt in reply if "data" in alt.props] or reply
    for row in record.envelope:
        if not envelopes:
            break
        views = [spec.find([alt], row.name) for alt in envelopes]
        present = [v for v in views if v is not None]
        view = None
        if len(present) == len(views):
            view = FieldView([n for v in present for n in v.nodes], all(v.required for v in present), [])
        texts = [t for v in present for n in v.nodes for t in spec.descriptions(n)]
        problems += _check_field(spec, op, row, view, "no such field in some branch of the 200 reply", texts)
    rows = [row for row in op.rows if row.section == "reply"]
    payload = spec.payload(reply)
    if not rows:
        carried = sorted({name for alt in payload for name in alt.props})
        if op.null_reply and carried:
            problems.append(f"{op.label} reply: docs say data is null, spec says data carries {', '.join(carried)}")
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
        problems += _check_field(spec, op, row, view, "no such field", texts)
    return problems


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
        problems += _check_parameters(spec, op, raw_op)
        problems += _check_body(spec, op, raw_op, pointer)
        problems += _check_reply(spec, record, op, raw_op, pointer)
    known = record.keys | record.undocumented
    for key, _, _ in spec.operations():
        if key not in known:
            problems.append(
                f"{key[0]} {key[1]}: docs say nothing of this operation, spec has it "
                "(add it to docs/api-tables.yaml, under undocumented if no doc page covers it)"
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


def _walk(spec: Spec, reach: Reach, node: Node, op: OpKey, section: str, prefix: str, seen: set[Any]) -> None:
    key = (node.pointer, prefix, op, section)
    if key in seen or prefix.count(".") > MAX_DEPTH or not isinstance(node.value, dict):
        return
    seen.add(key)
    value = node.value
    reach.nodes[node.pointer].add(op)
    ref = value.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
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
    """Every description or summary carrying a [doc] tag, with where it is; example values are data, skipped."""
    if isinstance(value, dict):
        in_properties = bool(tokens) and tokens[-1] == "properties"
        for k, v in value.items():
            key = str(k)
            if isinstance(v, str) and key in ("description", "summary") and not in_properties:
                if DOC_TAG.search(v):
                    yield [*tokens, key], v
            elif not in_properties and (key == "example" or (key == "value" and _in_examples(tokens))):
                continue
            else:
                yield from _tagged(v, [*tokens, key])
    elif isinstance(value, list):
        for i, v in enumerate(value):
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
    reach = reach_of(spec)
    recorded = record.keys | record.mentioned
    problems: list[str] = []
    for tokens, _ in _tagged(spec.data, []):
        pointer = join_pointer(tokens)
        owner = tokens[:-1]
        problem = _doc_tag_problem(spec, record, reach, recorded, owner, pointer)
        if problem is not None and problem not in problems:
            problems.append(problem)
    return problems


def _doc_tag_problem(
    spec: Spec, record: Record, reach: Reach, recorded: set[OpKey], owner: list[str], pointer: str
) -> str | None:
    if not owner or owner[0] in ("info", "servers", "tags", "externalDocs"):
        return None if record.has_common else f"{pointer}: docs say nothing (the record has no common section)"
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
    # An operation, or a path item.
    if owner[0] == "paths":
        keys = [key for key, _, _ in spec.operations() if key[1] == owner[1]]
        if len(owner) >= 3 and owner[2] in METHODS:
            keys = [(owner[2].upper(), owner[1])]
        missing = [key for key in keys if key not in recorded]
        if not missing:
            return None
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
    # Anything else in components: reached from a recorded operation.
    for end in range(len(owner), 0, -1):
        reached_by = reach.nodes.get(join_pointer(owner[:end]))
        if reached_by is not None:
            if reached_by & recorded:
                return None
            break
    return f"{pointer}: docs say nothing of it (no recorded operation uses it), spec tags it [doc]"


# ---------------------------------------------------------------------------------------------- entry points


def check(spec_data: Json, record_data: Any) -> list[str]:
    """Every problem, one line each; empty when the spec agrees with the record."""
    spec = Spec(spec_data)
    record = parse_record(record_data)
    return check_operations(spec, record) + check_doc_tags(spec, record)


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
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


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
