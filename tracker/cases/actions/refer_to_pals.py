"""Record a referral to PALS, made by the practice or by the patient themselves."""

from typing import Any

from wtforms import RadioField
from wtforms.validators import InputRequired

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import PalsReferrer
from tracker.cases.forms import VersionedForm, optional_text_field, text_field
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.fields import DateInputField, DateRequired, NotInFuture
from tracker.forms import choices
from tracker.settings.models import load_settings
from tracker.staff.models import User


class ReferToPalsForm(VersionedForm):
    referred_on = DateInputField(
        "Date referred",
        default=lambda: clock.today_london(),
        validators=[
            DateRequired("Enter the date of the referral"),
            NotInFuture("The date of the referral must be today or in the past"),
        ],
    )
    referred_by = RadioField(
        "Who made the referral?",
        choices=choices(PalsReferrer.choices()),
        validators=[InputRequired("Choose who made the referral")],
    )
    pals_service = text_field("PALS service", "Enter the PALS service", 160)
    pals_officer = optional_text_field("PALS officer", 120, "If the patient or PALS gave a name")
    pals_reference = optional_text_field("PALS reference", 60, "If PALS gave one")


class ReferToPals(CaseAction):
    action = Action.REFER_TO_PALS
    form = ReferToPalsForm
    events = (EventKind.REFERRED_TO_PALS,)

    def build_form(self, case: Case, user: User, *, first_view: bool) -> ReferToPalsForm:
        form = ReferToPalsForm()
        if first_view:  # the practice's PALS office, from settings, to start with
            form.pals_service.data = load_settings().pals_office_name or ""
        return form

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        case.pals_referred_on = data["referred_on"]
        case.pals_referred_by = data["referred_by"]
        case.pals_service = data["pals_service"]
        case.pals_officer = data.get("pals_officer") or None
        case.pals_reference = data.get("pals_reference") or None
        case.pals_response_on = None
        case.pals_response_summary = None
        return Done(EventKind.REFERRED_TO_PALS)


ACTION = ReferToPals()
