"""What an action on a case raises when it cannot be carried out, with words for the person."""

from tracker import clock
from tracker.cases.models import Case


class CaseError(Exception):
    """A request about a case that cannot be carried out; `field` names the form field at fault.

    `confirm` names the hidden fields that, set to "yes", let the person submit again to go
    ahead (for a warning they may overrule, such as a possible duplicate)."""

    def __init__(self, message: str, field: str | None = None, confirm: str | tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.confirm = (confirm,) if isinstance(confirm, str) else confirm


class NotAllowed(CaseError):
    """This person may not take this action on this case as it stands."""


class StaleCase(CaseError):
    """The case changed after the form was opened."""

    def __init__(self, case: Case):
        when = clock.format_moment(case.updated_at, joiner=" at ")
        super().__init__(
            f"{case.updated_by.full_name} changed this case on {when}, after you opened this form. "
            "Nothing was saved. Your entries are below: check the case as it is now, then submit again."
        )
