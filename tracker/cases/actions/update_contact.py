"""Update the patient's contact details and anyone acting for them."""

from typing import Any

from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.forms import REPRESENTATIVE_FIELDS, ContactFieldsMixin, VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.staff.models import User

CONTACT_FIELDS = ("address_lines", "postcode", "phone", "email", "preferred_contact")


class ContactForm(ContactFieldsMixin, VersionedForm):
    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return self.check_contact() and ok


class UpdateContact(CaseAction):
    action = Action.UPDATE_CONTACT
    form = ContactForm
    events = (EventKind.CONTACT_UPDATED,)
    edits = (*CONTACT_FIELDS, *REPRESENTATIVE_FIELDS)

    def filled_from(self, case: Case) -> ContactForm:
        return ContactForm(formdata=None, obj=case)

    def build_form(self, case: Case, user: User, *, first_view: bool) -> ContactForm:
        return self.filled_from(case) if first_view else ContactForm()

    def data(self, form: ContactForm) -> dict[str, Any]:
        return {
            **{name: form[name].data for name in CONTACT_FIELDS},
            **form.representative(),
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        for name in CONTACT_FIELDS:
            # An emptied box means "not recorded", stored as None as the intake does.
            setattr(case, name, data.get(name) or None)
        for name, value in data.items():
            if name.startswith("representative_"):
                setattr(case, name, value)
        return Done(EventKind.CONTACT_UPDATED)


ACTION = UpdateContact()
