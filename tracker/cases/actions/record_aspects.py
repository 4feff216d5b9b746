"""Record a formal complaint's aspects for the KO41(b) return: for each, the subject area and
the staff group it concerns, from the return's lists for the year it was received. Recording
them again replaces them; the history keeps each version. The practice manager may record them
at any stage, for complaints logged before this existed too."""

from typing import Any

from wtforms import SelectField

from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.errors import CaseError
from tracker.cases.forms import VersionedForm
from tracker.cases.ko41b import Lists, aspects_of, lists_for, return_year_of
from tracker.cases.models import Case, ComplaintAspect
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.forms import choices
from tracker.staff.models import User

ASPECT_ROWS = 5


class AspectsForm(VersionedForm):
    """ASPECT_ROWS pairs of subject_<n> and staff_<n>, added below."""


for _n in range(1, ASPECT_ROWS + 1):
    setattr(AspectsForm, f"subject_{_n}", SelectField("Subject area", validate_choice=False))
    setattr(AspectsForm, f"staff_{_n}", SelectField("Staff group", validate_choice=False))


def _rows(form: AspectsForm):
    for n in range(1, ASPECT_ROWS + 1):
        yield n, form[f"subject_{n}"], form[f"staff_{n}"]


def summary(aspects: list[tuple[str, str]], lists: Lists) -> str:
    """The aspects in words, for the history: "Communications (GP); Prescribing (GP)"."""
    return "; ".join(
        f"{lists.subject_label(subject)} ({lists.staff_label(staff)})" for subject, staff in aspects
    )


class RecordAspects(CaseAction):
    action = Action.RECORD_ASPECTS
    form = AspectsForm
    events = (EventKind.ASPECTS_RECORDED,)

    def refusal(self, case: Case, user: User) -> str | None:
        if not case.formal_complaint:
            return "Only a formal complaint is counted in the KO41(b) return."
        return None

    def build_form(self, case: Case, user: User, *, first_view: bool) -> AspectsForm:
        form = AspectsForm()
        lists = lists_for(return_year_of(case.received_on))
        form.lists = lists
        for _, subject, staff in _rows(form):
            subject.choices = choices(
                [("", "Choose a subject area")] + [(i.code, i.label) for i in lists.subject_areas]
            )
            staff.choices = choices(
                [("", "Choose a staff group")] + [(i.code, i.label) for i in lists.staff_groups]
            )
        if first_view:
            held = aspects_of(case.id)
            for (_, subject, staff), aspect in zip(_rows(form), held, strict=False):
                subject.data, staff.data = aspect.subject_area, aspect.staff_group
        return form

    def data(self, form: AspectsForm) -> dict[str, Any]:
        return {
            "aspects": [
                (n, (subject.data or "").strip(), (staff.data or "").strip())
                for n, subject, staff in _rows(form)
            ]
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        lists = lists_for(return_year_of(case.received_on))
        subjects = {i.code for i in lists.subject_areas}
        staff_groups = {i.code for i in lists.staff_groups}
        chosen: list[tuple[str, str]] = []
        for n, subject, staff in data["aspects"]:
            if not subject and not staff:
                continue
            if subject not in subjects:
                raise CaseError(f"Choose the subject area of aspect {n}", field=f"subject_{n}")
            if staff not in staff_groups:
                raise CaseError(f"Choose the staff group of aspect {n}", field=f"staff_{n}")
            if (subject, staff) in chosen:
                raise CaseError(
                    f"Aspect {n} is the same as an earlier one: record each aspect once",
                    field=f"subject_{n}",
                )
            chosen.append((subject, staff))
        if not chosen:
            raise CaseError(
                "Choose the subject area and staff group of at least one aspect",
                field="subject_1",
            )
        before = aspects_of(case.id)
        was = summary([(a.subject_area, a.staff_group) for a in before], lists)
        for aspect in before:
            db.session.delete(aspect)
        for subject, staff in chosen:
            db.session.add(
                ComplaintAspect(
                    case_id=case.id,
                    subject_area=subject,
                    staff_group=staff,
                    recorded_by_id=actor.id,
                )
            )
        now = summary(chosen, lists)
        return Done(
            EventKind.ASPECTS_RECORDED,
            detail=f"KO41(b) aspects: {now}" + (f" (were: {was})" if was else ""),
        )


ACTION = RecordAspects()
