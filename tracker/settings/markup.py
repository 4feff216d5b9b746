"""Markup drawn from the practice's settings alone, kept until the settings change."""

from collections.abc import Callable, Hashable

from markupsafe import Markup

from tracker.settings.models import Practice, settings_version

KEPT = 64  # a few parts of a few pages, for the settings in force (and those just replaced)

_kept: dict[tuple, Markup] = {}


def drawn_from_settings(
    name: str,
    practice: Practice,
    *also: Hashable,
    keep: bool = True,
    caller: Callable[[], Markup],
) -> Markup:
    """A template's `{% call drawn_from_settings("name", practice, ...) %}`: the block's markup,
    drawn once for these settings (and these other values) and then kept. The block must read
    nothing but the settings and the values named; `keep=false` draws it afresh."""
    if not keep:
        return caller()
    key = (name, settings_version(practice), also)
    found = _kept.get(key)
    if found is None:
        if len(_kept) >= KEPT:  # settings changed many times in this worker's life
            _kept.clear()
        found = _kept[key] = caller()  # a Jinja block: markup, escaped as it was drawn
    return found
