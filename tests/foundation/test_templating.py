"""The pages' Jinja environment answers every name the way Jinja's own does, only faster
(tracker/templating.py)."""

import re

import jinja2
from jinja2 import ChainableUndefined, DictLoader
from markupsafe import Markup

from tests import factories
from tracker import templating
from tracker.templating import TemplateGlobals, TrackerEnvironment, summary_list


class Holder:
    label = "from an attribute"

    def __getitem__(self, key):
        return f"item {key}"


def environments(templates):
    """Ours and Jinja's own, on the same templates and options."""
    options = {"loader": DictLoader(templates), "undefined": ChainableUndefined}
    ours = TrackerEnvironment.__new__(TrackerEnvironment)
    jinja2.Environment.__init__(ours, autoescape=True, **options)
    return ours, jinja2.Environment(autoescape=True, **options)


def test_names_read_from_dicts_and_objects_answer_as_jinjas_own():
    page = (
        "{{ p.label }}|{{ p.missing }}|{{ p.missing.deeper }}|{{ p['items'] }}|"
        "{{ p.items() | list | length }}|{{ p.get('label') }}|{{ h.label }}|{{ h.other }}|"
        "{{ n.label }}|{{ 'text'.upper() }}|{{ p.keys is defined }}|{{ p.nothing is defined }}"
    )
    ours, theirs = environments({"page": page})

    class Mapping(dict):
        label = "a subclass's own attribute"

    values = {"p": {"label": "L", "items": [1, 2]}, "h": Holder(), "n": Mapping(label="key")}
    answer = ours.get_template("page").render(values)
    assert answer == theirs.get_template("page").render(values)
    assert answer == (
        "L|||[1, 2]|2|L|from an attribute|item other|a subclass&#39;s own attribute|TEXT|True|False"
    )


def test_imported_macros_see_the_globals_jinjas_own_would_give_them():
    templates = {
        "macros": "{% macro shout() %}{{ greeting | upper }} {{ extra }}{% endmacro %}",
        "page": '{% from "macros" import shout %}{{ shout() }}',
    }
    answers = []
    for environment in environments(templates):
        environment.globals["greeting"] = "hello"
        first = environment.get_template("page").render()
        # A page with globals of its own: the imported macros are given them too.
        own = environment.get_template("page", globals={"extra": "and more"}).render()
        environment.globals["greeting"] = "again"
        later = environment.get_template("page").render()
        answers.append((first, own, later))
    assert answers[0] == answers[1]
    assert answers[0][:2] == ("HELLO ", "HELLO and more")
    ours = environments(templates)[0]
    page = ours.get_template("page", globals={"extra": 1})
    assert isinstance(page.globals, TemplateGlobals)
    assert set(page.globals.keys()) >= {"extra", "range"}
    assert "extra" not in ours.globals


def test_the_app_renders_with_this_environment(app):
    assert isinstance(app.jinja_env, TrackerEnvironment)


def draw(app, source, **values):
    with app.test_request_context():
        return app.jinja_env.from_string(source).render(**values)


def test_a_kept_component_is_the_markup_its_macro_draws(app):
    params = {
        "idPrefix": "route",
        "name": "route",
        "fieldset": {"legend": {"text": "Which route?", "size": "s"}},
        "hint": {"text": "Choose one"},
        "items": [
            {"value": "gp", "text": "Another GP", "checked": True},
            {"value": "senior", "text": "The senior partner", "checked": False,
             "conditional": {"html": Markup("<p>Say <strong>why</strong></p>")}},
        ],
    }  # fmt: skip
    direct = draw(
        app,
        '{% from "nhsuk/components/radios/macro.jinja" import radios %}{{ radios(p) }}',
        p=params,
    )
    through = '{{ component("radios", p, keep=true) }}'
    assert "<strong>why</strong>" in direct
    assert draw(app, through, p=params) == direct
    assert draw(app, through, p=params) == direct  # the second time, from what was kept
    button = '{{ component("button", {"text": "Save", "preventDoubleClick": true}, keep=true) }}'
    assert 'data-prevent-double-click="true"' in draw(app, button)


def test_kept_drawings_tell_apart_what_the_markup_depends_on(app):
    components = app.jinja_env.globals["component"]
    shown = '{{ component("hint", {"text": h}, keep=true) }}'
    assert "<b>x</b>" in draw(app, shown, h=Markup("<b>x</b>"))
    assert "&lt;b&gt;x&lt;/b&gt;" in draw(app, shown, h="<b>x</b>")
    checked = '{{ component("checkboxes", {"name": "a", "items": [{"value": "y", "text": "A", "checked": c}]}, keep=true) }}'
    assert "checked" in draw(app, checked, c=True)
    assert "checked" not in draw(app, checked, c=False)
    assert "checked" not in draw(app, checked, c=None)
    assert len(components.kept) >= 5


def test_what_a_person_typed_is_never_kept(app, client, login_as):
    login_as("reception")
    components = app.jinja_env.globals["component"]
    assert client.get("/cases/new").status_code == 200
    assert components.kept, "the empty intake form's fields are kept"
    typed = factories.intake_form(
        patient_name="Zebedee Quillfeather", nhs_number="4857193", phone="01632 960777",
        concern="Worried about the rash on the left arm", original_gp_other="Dr Tenterhook",
    )  # fmt: skip
    page = client.post("/cases/new", data=typed).get_data(as_text=True)
    assert "Zebedee Quillfeather" in page and "Worried about the rash" in page  # it came back
    kept = "".join(components.kept.values()) + repr(list(components.kept))
    for text in ("Zebedee", "Quillfeather", "960777", "rash", "Tenterhook", "4857193"):
        assert text not in kept


SUMMARY_LISTS = [
    {"rows": []},
    {"rows": [{"key": {"text": "Stage"}, "value": {"text": "Logged"}}]},
    {"rows": [
        {"key": {"text": "  Concern "}, "value": {"text": "Line one\nline <two> & 'three'\r\n\nfour "}},
        None,
        {"key": {"text": "Summary"}, "value": {"html": Markup("<p>a</p>\n\n  <p>b</p>\n")}},
        {"key": {"text": "Nothing"}, "value": {"text": ""}},
        {"key": {"text": "Zero"}, "value": {"text": 0}},
        {"key": {"text": "Number"}, "value": {"text": 42}},
        {"key": {"html": Markup("<span>Key</span>")}, "value": {"text": Markup("<b>kept</b>")}},
        {"key": {"text": "Both"}, "value": {"text": "text", "html": Markup("<i>html wins</i>")}},
    ]},
    # Shapes drawn by the macro alone: the same answer either way.
    {"rows": [{"key": {"text": "A"}, "value": {"text": "B"}, "actions": {"items": [
        {"href": "#", "text": "Change", "visuallyHiddenText": "A"}]}}]},
    {"attributes": {"id": "totals"}, "rows": [{"key": {"text": "A"}, "value": {"text": "B"}}]},
    {"rows": [{"key": "plain key", "value": "plain value"}]},
]  # fmt: skip


def test_summary_lists_drawn_in_python_are_the_markup_the_macro_draws(app):
    with app.test_request_context():
        macro = app.jinja_env.get_template("nhsuk/components/summary-list/macro.jinja")
        for params in SUMMARY_LISTS:
            expected = str(macro.module.summaryList(params))
            drawn = draw(app, '{{ component("summary-list", p) }}', p=params)
            assert drawn == expected, params
        assert summary_list(SUMMARY_LISTS[2]) is not None  # drawn in Python, not by the macro
        assert summary_list(SUMMARY_LISTS[3]) is None


def test_the_case_page_is_the_same_with_summary_lists_drawn_by_the_macro(
    app, as_user, staff, log_case, monkeypatch
):
    reference = log_case(address_lines="4 Mill Lane\nLeeds", postcode="LS6 3AA")
    client = as_user(staff.manager)
    client.get(f"/cases/{reference}")
    fast = client.get(f"/cases/{reference}").get_data(as_text=True)
    monkeypatch.setattr(templating, "DRAWN_IN_PYTHON", {})
    slow = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "nhsuk-summary-list__row" in fast and "4 Mill Lane" in fast

    def steady(html):  # what changes with every request: the script nonce, form tokens
        return re.sub(r'(nonce|value)="[^"]*"', r'\1=""', html)

    assert steady(fast) == steady(slow)
