"""Imports every model so metadata is complete for create_all and migrations."""

from tracker.settings.models import PracticeSettings
from tracker.staff.models import User

__all__ = ["PracticeSettings", "User"]
