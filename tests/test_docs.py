"""docs/config.md is generated from the schema (by tools/docgen.py) and must not drift from it."""
from __future__ import annotations

import importlib.util
import re
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from simsav.config import config_from_dict, schema
from simsav.config.distributions import FAMILIES
from simsav.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCGEN_PATH = REPO_ROOT / "tools" / "docgen.py"


def _load_docgen():
    """Return tools/docgen.py as a module (tools/ is a directory of scripts, not a package)."""
    name = "_simsav_tools_docgen"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, DOCGEN_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # registered before it runs: its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


docgen = _load_docgen()

REGENERATE = "docs/config.md is out of date with the schema: run `python tools/docgen.py`"


@pytest.fixture(scope="module")
def doc() -> str:
    """Return the text of docs/config.md."""
    assert docgen.DOC_PATH.exists(), f"docs/config.md is missing: {REGENERATE}"
    return docgen.DOC_PATH.read_text(encoding="utf-8")


def toml_blocks(text: str) -> list[str]:
    """Return the contents of every ```toml code block in a Markdown text."""
    return re.findall(r"^```toml\n(.*?)^```$", text, flags=re.S | re.M)


def test_doc_matches_schema(doc):
    assert doc == docgen.render_config_reference(), REGENERATE


def test_check_mode_agrees(tmp_path):
    out = tmp_path / "config.md"
    assert docgen.main(["--check", "--output", str(out)]) == 1  # missing file
    assert docgen.main(["--output", str(out)]) == 0
    assert docgen.main(["--check", "--output", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert docgen.main(["--check", "--output", str(out)]) == 1


@pytest.mark.parametrize("model", docgen.schema_models() + list(FAMILIES.values()), ids=lambda m: m.__name__)
def test_every_field_is_documented(doc, model):
    missing = [name for name in model.model_fields if f"| `{name}` |" not in doc]
    assert not missing, f"{model.__name__} fields not in docs/config.md: {missing}; {REGENERATE}"


def test_every_config_model_is_reached():
    # Every model defined in simsav.config.schema is part of the schema the doc walks.
    defined = {
        obj for obj in vars(schema).values()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == schema.__name__
        and not obj.__name__.startswith("_")
    }
    assert defined <= set(docgen.schema_models())


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_distribution_family_is_documented(doc, family):
    assert f"### `{family}`" in doc
    assert f'dist = "{family}"' in doc


def test_example_config_loads():
    cfg = config_from_dict(tomllib.loads(docgen.EXAMPLE_CONFIG), source="docgen.EXAMPLE_CONFIG")
    # The example shows every kind of table.
    assert cfg.parties and cfg.streams and cfg.items and cfg.correlations and cfg.counterfactual is not None
    assert {i.basis for i in cfg.items} == {"monthly", "event", "annual"}


def test_bad_example_is_rejected():
    with pytest.raises(ConfigError) as err:
        config_from_dict(tomllib.loads(docgen.BAD_EXAMPLE), source="business_case.toml")
    assert len(err.value.problems) >= 3


def _field_types(key: str) -> list:
    """Return the annotations of every schema field (distributions included) called ``key``."""
    models = docgen.schema_models() + list(FAMILIES.values())
    return [m.model_fields[key].annotation for m in models if key in m.model_fields]


def _fragment_problems(fragment: str) -> list[str]:
    """Return what is wrong with a TOML fragment: keys that are no field, values no field accepts."""
    problems = []
    for key, value in tomllib.loads(fragment).items():
        annotations = _field_types(key)
        if not annotations:
            problems.append(f"{key}: no schema field has this name")
            continue
        errors = []
        for annotation in annotations:
            try:
                TypeAdapter(annotation).validate_python(value)
                break
            except ValidationError as e:
                errors.append(str(e))
        else:
            problems.append(f"{key} = {value!r}: " + "; ".join(errors))
    return problems


def test_every_toml_example_in_the_doc_is_valid(doc, tmp_path):
    blocks = toml_blocks(doc)
    assert len(blocks) >= len(docgen.SECTIONS) + len(FAMILIES)
    for block in blocks:
        tomllib.loads(block)  # valid TOML in any case
        if block in docgen.EXAMPLE_CONFIG or block == docgen.BAD_EXAMPLE:
            continue  # checked by loading as a whole (above)
        if block.lstrip().startswith("# configs/scenarios/"):  # a scenario: loads beside the config it extends
            import shutil

            from simsav.config import load_config

            (tmp_path / "scenarios").mkdir(exist_ok=True)
            shutil.copy(REPO_ROOT / "configs" / "holland-rijnland.toml", tmp_path)
            (tmp_path / "scenarios" / "example.toml").write_text(block, encoding="utf-8")
            assert load_config(tmp_path / "scenarios" / "example.toml").cohort.size == 240
            continue
        assert not _fragment_problems(block), block


def test_every_section_example_is_in_the_doc(doc):
    blocks = toml_blocks(doc)
    for section in docgen.SECTIONS:
        assert section.example in blocks, f"example of {section.title} missing; {REGENERATE}"
    for line in docgen.DISTRIBUTION_EXAMPLES.values():
        assert line + "\n" in blocks
