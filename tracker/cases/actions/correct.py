"""Correct what was logged: the patient's identity, the request, someone acting for them.

A reason is required and the timeline shows each field old → new. The rules are checked again:
a corrected identity that matches another open case asks for confirmation, and a reviewer the
corrected case no longer allows is shown on the case and the reassignment offered at once.
"""

from typing import Any

from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import ContactMethod
from tracker.cases.errors import CaseError
from tracker.cases.forms import (
    ADDRESS_FIELDS,
    IDENTITY_FIELDS,
    NAME_FIELDS,
    NOTE_MAX,
    OTHER_GP,
    REPRESENTATIVE_FIELDS,
    REQUEST_FIELDS,
    AddressFieldsMixin,
    CaseDetailsMixin,
    RepresentativeFieldsMixin,
    VersionedForm,
)
from tracker.cases.models import Case
from tracker.cases.queries import number_under_another_identity, open_cases_for_patient
from tracker.cases.reviewers import gp_choices, reviewer_problem
from tracker.cases.workflow import Action, can_take
from tracker.forms import PageOrder, strip
from tracker.staff.models import User

# The case's columns the form corrects: its fields, with the first GP by id.
CORRECTABLE = tuple(
    "original_gp_id" if name == "original_gp" else name
    for name in (
        *IDENTITY_FIELDS,
        *NAME_FIELDS,
        *ADDRESS_FIELDS,
        *REQUEST_FIELDS,
        *REPRESENTATIVE_FIELDS,
    )
)


class CorrectForm(
    PageOrder, CaseDetailsMixin, AddressFieldsMixin, RepresentativeFieldsMixin, VersionedForm
):
    page_order = (
        "nhs_number",
        "nhs_number_unknown",
        "patient_title",
        "patient_name",
        "preferred_name",
        "date_of_birth",
        *ADDRESS_FIELDS,
        *REQUEST_FIELDS,
        *REPRESENTATIVE_FIELDS,
        "reason",
    )
    reason = TextAreaField(
        "Why are these details being corrected?",
        description="For example: the name was mistyped at the desk; the patient asked for the senior partner.",
        filters=[strip],
        validators=[
            DataRequired("Enter why the details are being corrected"),
            Length(max=NOTE_MAX, message=f"Reason must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    confirm_duplicate = HiddenField()
    confirm_identity = HiddenField()
    # The patient wants letters and the case has their address: a correction may change it but
    # not take it away. (A case logged before addresses were kept can still be corrected.)
    address_required = False

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        details_ok = self.check_details()
        address_ok = self.check_address(ContactMethod.LETTER if self.address_required else None)
        return self.check_representative() and details_ok and address_ok and ok


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


class Correct(CaseAction):
    action = Action.CORRECT
    form = CorrectForm
    events = (EventKind.CORRECTED,)
    edits = tuple(name for name in CorrectForm.page_order if name != "reason")

    def filled_from(self, case: Case) -> CorrectForm:
        return CorrectForm(formdata=None, data=self._as_logged(case))

    def build_form(self, case: Case, user: User, *, first_view: bool) -> CorrectForm:
        form = self.filled_from(case) if first_view else CorrectForm()
        choices = gp_choices()
        first = case.original_gp
        if first is not None and str(first.id) not in {value for value, _ in choices}:
            # A GP who has left, or whose role has changed, stays the one who gave the opinion.
            choices.append((str(first.id), first.full_name + ("" if first.active else " (left)")))
        form.set_gp_choices(choices)
        form.address_required = (
            case.preferred_contact == ContactMethod.LETTER and case.has_postal_address
        )
        return form

    @staticmethod
    def _as_logged(case: Case) -> dict[str, Any]:
        return {
            "nhs_number": case.nhs_number,
            "nhs_number_unknown": case.nhs_number_unknown,
            "patient_name": case.patient_name,
            "date_of_birth": case.date_of_birth,
            "address_lines": case.address_lines,
            "postcode": case.postcode,
            "received_on": case.received_on,
            "channel": case.channel,
            "original_gp": str(case.original_gp_id) if case.original_gp_id else OTHER_GP,
            "original_gp_other": case.original_gp_other,
            "concern": case.concern,
            "route_requested": case.route_requested,
            "already_discussed_with_own_gp": _yes_no(case.already_discussed_with_own_gp),
            "formal_complaint": _yes_no(case.formal_complaint),
            "urgent": _yes_no(case.urgent),
            "patient_title": case.patient_title,
            "preferred_name": case.preferred_name,
            **{name: getattr(case, name) for name in REPRESENTATIVE_FIELDS},
        }

    def data(self, form: CorrectForm) -> dict[str, Any]:
        return {
            **form.details(),
            **form.address(),
            "reason": form.reason.data,
            "confirm_duplicate": form.confirm_duplicate.data == "yes",
            "confirm_identity": form.confirm_identity.data == "yes",
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        details = {key: data[key] for key in CORRECTABLE}
        changed = {key for key, value in details.items() if getattr(case, key) != value}
        if not changed:
            raise CaseError("Nothing was changed. Correct a detail, or cancel and go back")
        if (
            case.preferred_contact == ContactMethod.LETTER
            and changed & {"address_lines", "postcode"}
            and not (details["address_lines"] and details["postcode"])
        ):  # checked again here: the preferred contact may have changed since the form opened
            raise CaseError(
                "The patient wants letters, so the address and postcode are needed",
                field="address_lines",
            )
        if changed & set(IDENTITY_FIELDS):
            self._check_identity(case, details, data)
        if "route_requested" in changed:
            case.route_waived = (
                False  # a new request: the practice manager's waiver was for the old one
            )
        for key in changed:
            setattr(case, key, details[key])
        return Done(EventKind.CORRECTED, data["reason"])

    @staticmethod
    def _check_identity(case: Case, details: dict[str, Any], data: dict[str, Any]) -> None:
        """A corrected identity that matches another open case of the patient, or an NHS
        number already on a case under another name or date of birth, is saved only once the
        person has checked it and submitted again."""
        problems, confirm = [], []
        if not data.get("confirm_duplicate"):
            others = [
                other
                for other in open_cases_for_patient(
                    details["nhs_number"], details["patient_name"], details["date_of_birth"]
                )
                if other.id != case.id
            ]
            if others:
                listed = "; ".join(
                    f"{other.reference} ({other.stage_label.lower()})" for other in others
                )
                problems.append(f"The corrected details match another open case: {listed}.")
                confirm.append("confirm_duplicate")
        if not data.get("confirm_identity"):
            others = number_under_another_identity(
                details["nhs_number"],
                details["patient_name"],
                details["date_of_birth"],
                except_case_id=case.id,
            )
            if others:
                listed = "; ".join(
                    f"{other.reference} ({other.patient_name}, "
                    + (
                        f"born {clock.format_date(other.date_of_birth)}"
                        if other.date_of_birth
                        else "date of birth not recorded"
                    )
                    + f", {other.stage_label.lower()})"
                    for other in others
                )
                problems.append(
                    f"This NHS number is on {listed} under a different name or date of birth."
                )
                confirm.append("confirm_identity")
        if problems:
            raise CaseError(
                " ".join(problems)
                + " Check the details against the patient's record, then submit again to save "
                "the correction anyway",
                field="nhs_number" if "confirm_identity" in confirm else None,
                confirm=tuple(confirm),
            )

    def next_action(self, case: Case, user: User) -> Action | None:
        """After a correction the reviewer no longer fits: go straight to reassigning."""
        if case.reviewer is None or reviewer_problem(case, case.reviewer) is None:
            return None
        if can_take(Action.ASSIGN, user, case.stage, case.reviewer_id):
            return Action.ASSIGN
        return None


ACTION = Correct()
