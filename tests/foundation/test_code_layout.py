"""The code's shape, checked: every workflow action has its module, form and template; no
stage, outcome, closure or finding code is spelt out as a raw string; no import hides inside a
function; every event kind and case field reads in words."""

import ast
import importlib
import inspect
from pathlib import Path

import pytest
from flask_wtf import FlaskForm

from tracker.audit.kinds import EventKind
from tracker.cases.actions import REGISTRY, CaseAction
from tracker.cases.case_fields import CASE_FIELDS, RETENTION, TRACKED_FIELDS
from tracker.cases.codes import ClosureReason, ComplaintFinding, Outcome
from tracker.cases.forms import VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import WORKFLOW, Action, Stage
from tracker.vocabulary import Labelled

ROOT = Path(__file__).resolve().parents[2]
TRACKER = ROOT / "tracker"
TEMPLATES = ROOT / "templates"
CHECKED_CODES = {
    m.value for vocab in (Stage, Outcome, ClosureReason, ComplaintFinding) for m in vocab
}


def python_files():
    return sorted(TRACKER.rglob("*.py"))


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_every_workflow_action_has_its_row_module_form_and_template(action):
    assert action in WORKFLOW, f"{action} has no row in WORKFLOW"
    handler = REGISTRY.get(action)
    assert handler is not None, f"{action} is missing from cases.actions.REGISTRY"
    assert isinstance(handler, CaseAction) and handler.action == action
    module = importlib.import_module(f"tracker.cases.actions.{action.value}")
    assert module.ACTION is handler, f"tracker/cases/actions/{action.value}.py defines ACTION"
    assert issubclass(handler.form, FlaskForm)
    assert inspect.getmodule(handler.form) is module, "the action's form lives in its module"
    assert issubclass(handler.form, VersionedForm), (
        "case forms carry the version they were opened at"
    )
    assert (TEMPLATES / handler.template).is_file(), f"{handler.template} is missing"
    assert handler.events and all(isinstance(kind, EventKind) for kind in handler.events)


def test_the_registry_holds_nothing_the_workflow_does_not_know():
    assert set(REGISTRY) == set(WORKFLOW) == set(Action)
    modules = {p.stem for p in (TRACKER / "cases" / "actions").glob("*.py")} - {"__init__", "base"}
    assert modules == {action.value for action in Action}


def _enum_class_bodies(tree: ast.Module) -> set[int]:
    """ids of the nodes inside the class bodies of enums (the codes' definitions)."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            getattr(base, "id", None) in ("Labelled", "StrEnum") for base in node.bases
        ):
            inside.update(id(child) for child in ast.walk(node))
    return inside


def _named_not_coded(tree: ast.Module) -> set[int]:
    """Strings that name a figure rather than hold a code: SQL labels (`.label("closed")`) and
    the SPEC's CSV column names (`*_COLUMNS = [...]`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "label":
            names.update(id(arg) for arg in node.args)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.endswith("_COLUMNS") for t in node.targets
        ):
            names.update(id(child) for child in ast.walk(node.value))
    return names


def test_no_stage_outcome_closure_or_finding_code_is_spelt_out_as_a_raw_string():
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text())
        allowed = _enum_class_bodies(tree) | _named_not_coded(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in CHECKED_CODES
                and id(node) not in allowed
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    for path in sorted(TEMPLATES.rglob("*.jinja")):
        text = path.read_text()
        for code in CHECKED_CODES:
            for quote in ('"', "'"):
                if f"{quote}{code}{quote}" in text:
                    found.append(f"{path.relative_to(ROOT)} {code!r}")
    assert not found, "use the enum member instead:\n" + "\n".join(found)


def test_the_raw_code_check_finds_a_raw_code():
    """The check above would catch `case.stage == "closed"`."""
    tree = ast.parse('def f(case):\n    return case.stage == "closed"\n')
    allowed = _enum_class_bodies(tree) | _named_not_coded(tree)
    raw = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and node.value in CHECKED_CODES
        and id(node) not in allowed
    ]
    assert raw == ["closed"]


def test_no_import_hides_inside_a_function():
    """Imports sit at the top of each module, where the layers contract (`make lint`) sees
    them; one that must stay inside a function says why with an `# imported here:` comment."""
    found = []
    for path in python_files():
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom) and (
                        "# imported here:" not in lines[inner.lineno - 1]
                    ):
                        found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not found, "\n".join(found)


def test_every_event_kind_and_code_reads_in_words():
    for vocabulary in Labelled.__subclasses__():
        for member in vocabulary:
            assert member.label and member.label != member.value, (
                f"{vocabulary.__name__}.{member.name}"
            )


def test_every_case_field_in_the_registry_is_a_column_and_the_lists_come_from_it():
    columns = set(Case.__table__.columns.keys())
    for field in CASE_FIELDS:
        assert field.name in columns, field.name
        assert field.label
    assert list(TRACKED_FIELDS) == [field.name for field in CASE_FIELDS]
    assert set(RETENTION) == {field.name for field in CASE_FIELDS if field.personal}
    for name, left in RETENTION.items():  # a field that cannot be empty is left saying so
        assert (left is not None) == (not Case.__table__.c[name].nullable), name
