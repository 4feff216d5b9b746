"""How easy a new password is to guess, judged by zxcvbn: it knows the passwords most often
seen in breaches, common words and names, keyboard runs, repeats and dates, and weighs the
person's own name and email address too."""

import re

from zxcvbn import zxcvbn

# zxcvbn's scale runs 0 (too guessable) to 4; 3 means "safely unguessable" for an online
# attack, which the sign-in lock already slows.
MINIMUM_SCORE = 3
# Past this many characters a password is long enough; only its start is weighed, which keeps
# the estimate quick.
WEIGHED_LENGTH = 64
SERVICE_WORDS = ("second", "opinion", "tracker", "practice", "surgery", "nhs", "password")


def weakness(password: str, about: tuple[str, ...] = ()) -> str | None:
    """Why this password is too easy to guess, in words for the person choosing it, or None."""
    words = [*SERVICE_WORDS]
    for text in about:
        words.extend(part for part in re.split(r"[^a-z0-9]+", (text or "").lower()) if part)
    result = zxcvbn(password[:WEIGHED_LENGTH], user_inputs=words)
    if result["score"] >= MINIMUM_SCORE:
        return None
    feedback = result.get("feedback") or {}
    parts = ["This password is too easy to guess."]
    warning = (feedback.get("warning") or "").strip()
    if warning:
        parts.append(warning if warning[-1] in ".!?" else warning + ".")
    parts.append("Use three or four words that do not go together, or a short sentence.")
    return " ".join(parts)
