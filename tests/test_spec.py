"""The spec's own consistency: every example is valid against the schema it illustrates."""

from __future__ import annotations

import pytest
from jsonschema.exceptions import ValidationError

from spec_helpers import SPEC_PATH, Example, load_spec, media_examples, validator_for

EXAMPLES = list(media_examples())


def test_the_spec_has_examples_for_every_operation() -> None:
    operations = {(p, m) for p, item in load_spec()["paths"].items() for m in item}
    illustrated = {(e.where.split()[1], e.where.split()[0].lower()) for e in EXAMPLES}
    assert operations == illustrated


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_example_matches_its_schema(example: Example) -> None:
    validator_for(example.schema).validate(example.value)


def test_schema_check_rejects_a_broken_envelope() -> None:
    # Guards the test above: a validator that accepted anything would make it pass vacuously.
    schema = {"$ref": "#/components/schemas/UploadAsyncResultReply"}
    broken = {"code": "0", "message": "ok", "data": {"completed": "yes"}, "x-traceID": "t"}
    with pytest.raises(ValidationError):
        validator_for(schema).validate(broken)


def test_error_envelope_with_null_data_is_valid_for_success_schemas() -> None:
    schema = {"$ref": "#/components/schemas/UploadAsyncResultReply"}
    validator_for(schema).validate({"code": 5066, "message": "no", "data": None, "x-traceID": "t"})


def test_ci_runs_exactly_the_readme_test_command() -> None:
    root = SPEC_PATH.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    ci_lines = (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    command = ci_lines[-1]
    assert command.endswith("/nox")
    assert f"```sh\n{command}\n```" in readme


def test_every_example_parses_with_the_generated_model_of_its_schema() -> None:
    import pan123_oss_api.models as models

    parsed = 0
    for example in EXAMPLES:
        name = example.schema.get("$ref", "").rsplit("/", 1)[-1]
        model = getattr(models, name, None)
        if model is None or not isinstance(example.value, dict):
            continue
        instance = model.from_dict(example.value)
        assert instance.to_dict() == example.value, example.where
        parsed += 1
    assert parsed == len(EXAMPLES)  # every example body is an object of a named, generated schema
