"""The {placeholders} a letter template may use, and filling them in safely.

The template is turned into HTML first (the guidance format: headings, lists, bold) and only
then are the placeholders replaced, each by its value escaped as text. So nothing typed on a
case or in the settings can become markup, and a placeholder is only ever a name from the
list below: no attribute look-ups or format specs as str.format would allow.
"""

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from tracker import clock
from tracker.cases.codes import LetterRecipient, Outcome
from tracker.cases.models import Case
from tracker.settings.models import Practice
from tracker.staff.models import User

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Anything in braces, to catch a mistyped placeholder ("{Patient name}") before it is printed.
BRACED = re.compile(r"\{([^{}\n]{1,40})\}")

PLACEHOLDERS: dict[str, str] = {
    "addressee": "Who the letter greets: the patient's preferred name, or their title and surname (Mrs Patel), or the person acting for them when it goes to them",
    "patient_name": "The patient's name",
    "patient_address": "The patient's address, one line each (it is also printed for the envelope window)",
    "reference": "The case reference, like SO-2026-0001",
    "today": "Today's date, like 24 November 2026",
    "received_on": "The date the request was received",
    "outcome_target_days": "The practice's target for an outcome, in working days",
    "outcome_due_on": "The date the outcome is due, or 'soon' before a reviewer is assigned",
    "reviewer_name": "The reviewer's name, or 'A doctor at the practice' before one is assigned",
    "review_plan": "When the patient will be seen, or that their notes will be reviewed",
    "outcome_in_words": "What the second opinion found, in plain words (no clinical detail)",
    "reviewer_note": "Anything the reviewer adds when making the outcome letter (empty otherwise)",
    "sender_name": "The name of the person making the letter",
    "sender_job_title": "Their job title, from their account (empty when none is recorded)",
    "sender_signature": "Their name, and their job title on the next line when their account has one",
    "practice_name": "The practice's name (settings)",
    "practice_address": "The practice's address (settings)",
    "practice_phone": "The practice's phone number (settings)",
    "pals_office_name": "The local PALS office's name (settings)",
    "pals_contact": "How to reach the local PALS office, in a sentence (settings)",
    "pals_details": "The local PALS office's name, phone, email, web page and address, one a line",
    "how_considered": "How the complaint was considered (the final response, as prepared)",
    "issues_and_conclusions": "Each issue of the complaint plan with its conclusion, numbered",
    "apology": "The apology in the final response (its paragraph goes when there is none)",
    "actions_taken": "The action taken or to be taken, from the final response",
    "lessons_learned": "The lessons learned, from the final response",
    "responsible_signature": "The responsible person who signs the final response: their name, and their role on the next line",
    "response_due_on": "The date now agreed for the final response to a complaint, or 'a new date we will agree with you' once it has passed",
    "delay_reason": "Why the response is late: the reason recorded when the agreed date last moved",
}

# What the outcome means for the patient, without clinical detail.
OUTCOME_IN_WORDS = {
    Outcome.FIRST_OPINION_CONFIRMED: "The doctor looked carefully at your concern and agrees with the advice you were first given.",
    Outcome.DIFFERENT_OPINION: "The doctor looked carefully at your concern and has come to a different view from the advice you were first given. They will talk to you about what this means.",
    Outcome.REFERRED_ONWARD: "The doctor has asked for you to be seen by another service. That service will contact you about an appointment.",
    Outcome.TESTS_ARRANGED: "The doctor has arranged some tests for you. We will let you know the results.",
    Outcome.RETURNED_TO_OWN_GP: "We agreed that you would talk your concern through again with your own GP.",
    Outcome.WITHDRAWN: "You told us that you no longer wanted a second opinion.",
    Outcome.NO_CONTACT: "We tried to get in touch with you about your concern but could not reach you. Please contact us if you would still like us to help.",
}

NO_PALS_OFFICE = "your local NHS PALS office"
FIND_PALS = "You can find it by searching for PALS on the NHS website, www.nhs.uk."


@dataclass(frozen=True)
class Filled:
    html: Markup
    unknown: list[str]  # placeholders in the template that are not in the list


def _pals_contact(settings: Practice) -> str:
    ways = []
    if settings.pals_phone:
        ways.append(f"phone {settings.pals_phone}")
    if settings.pals_email:
        ways.append(f"email {settings.pals_email}")
    if settings.pals_web_address:
        ways.append(f"go to {settings.pals_web_address}")
    if not ways:
        return FIND_PALS
    if len(ways) == 1:
        return f"You can {ways[0]}."
    return f"You can {', '.join(ways[:-1])} or {ways[-1]}."


def _pals_details(settings: Practice) -> str:
    lines = [
        settings.pals_office_name,
        f"Phone: {settings.pals_phone}" if settings.pals_phone else "",
        f"Email: {settings.pals_email}" if settings.pals_email else "",
        f"Website: {settings.pals_web_address}" if settings.pals_web_address else "",
        f"Address: {settings.pals_postal_address}" if settings.pals_postal_address else "",
    ]
    found = "\n".join(line for line in lines if line)
    return found or FIND_PALS


def _review_plan(case: Case, settings: Practice) -> str:
    if case.appointment_at is not None:
        at = clock.to_london(case.appointment_at)
        return (
            f"Your appointment is on {at:%A} {at.day} {at:%B %Y} at {at:%H:%M}, "
            f"at {settings.practice_name}."
        )
    if case.review_of_notes:
        return (
            "The doctor will read your notes and the advice you were given. You do not need to "
            "come in for this. We will let you know what they think."
        )
    return "We will contact you soon to arrange this."


def surname(name: str) -> str:
    """The family name of a name as typed: "Anita Patel" → Patel, "Patel, Anita" → Patel."""
    if "," in name:
        return name.split(",", 1)[0].strip()
    words = name.split()
    return words[-1] if words else name


def addressee(case: Case, recipient: str = LetterRecipient.PATIENT) -> str:
    """Who a letter greets: the person acting for the patient as "Mrs Patel" (or by their
    name), or the patient by their preferred name, as "Mrs Patel", or by their name."""
    if recipient == LetterRecipient.REPRESENTATIVE:
        name = case.representative_name or ""
        title = case.representative_title
    else:
        if case.preferred_name:
            return case.preferred_name
        name, title = case.patient_name, case.patient_title
    return f"{title} {surname(name)}" if title else name


def values_for(
    case: Case,
    settings: Practice,
    sender: User,
    reviewer_note: str = "",
    recipient: str = LetterRecipient.PATIENT,
) -> dict[str, str]:
    """Each placeholder's text for this case and recipient, as plain text (escaped when filled
    in)."""
    return {
        "addressee": addressee(case, recipient),
        "patient_name": case.patient_name,
        "patient_address": "\n".join(case.postal_address),
        "reference": case.reference,
        "today": clock.format_date(clock.today_london()),
        "received_on": clock.format_date(case.received_on),
        "outcome_target_days": str(case.outcome_target_days),
        "outcome_due_on": clock.format_date(case.outcome_due_on) if case.outcome_due_on else "soon",
        "reviewer_name": case.reviewer.full_name if case.reviewer else "A doctor at the practice",
        "review_plan": _review_plan(case, settings),
        "outcome_in_words": OUTCOME_IN_WORDS.get(case.outcome, "") if case.outcome else "",
        "reviewer_note": reviewer_note.strip(),
        "sender_name": sender.full_name,
        "sender_job_title": sender.job_title or "",
        "sender_signature": "\n".join(p for p in (sender.full_name, sender.job_title) if p),
        "practice_name": settings.practice_name,
        "practice_address": settings.practice_address,
        "practice_phone": settings.practice_phone or "the practice's usual number",
        "pals_office_name": settings.pals_office_name or NO_PALS_OFFICE,
        "pals_contact": _pals_contact(settings) if settings.pals_office_name else FIND_PALS,
        "pals_details": _pals_details(settings),
        **_final_response(case),
        "response_due_on": clock.format_date(case.response_due_on)
        if case.response_due_on and case.response_due_on >= clock.today_london()
        else "a new date we will agree with you",
        "delay_reason": case.response_delay_reason
        or "We are still gathering what we need to answer you fully.",
    }


def _final_response(case: Case) -> dict[str, str]:
    """The final response's parts, as prepared on the case (empty before it is)."""
    concluded = {item["issue"]: item.get("conclusion", "") for item in case.response_findings or []}
    # The plan's issues as they stand, in their order, each with its conclusion.
    findings = [
        {"issue": issue, "conclusion": concluded.get(issue, "")}
        for issue in case.complaint_issue_list
    ]
    signer = case.response_signed_by
    role = ""
    if signer is not None:
        role = signer.job_title or signer.role_label
    return {
        "how_considered": case.response_considered or "",
        "issues_and_conclusions": "\n\n".join(
            f"{n}. {item['issue']}\nOur conclusion: {item.get('conclusion', '')}"
            for n, item in enumerate(findings, start=1)
        ),
        "apology": case.response_apology or "",
        "actions_taken": case.response_actions or "",
        "lessons_learned": case.response_lessons or "",
        "responsible_signature": "\n".join(p for p in (signer.full_name, role) if p)
        if signer is not None
        else "",
    }


def _as_html(text: str) -> str:
    return str(escape(text)).replace("\n", "<br>\n")


def fill(html: Markup, values: dict[str, str]) -> Filled:
    """The template's HTML with each known placeholder replaced by its escaped value; an
    unknown one stays as typed (and is reported, so the editor can fix it). A paragraph left
    empty (a reviewer's note not added) goes."""
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            return _as_html(values[name])
        unknown.append(name)
        return match.group(0)

    filled = PLACEHOLDER.sub(replace, str(html))
    filled = re.sub(r"<p>\s*</p>\n?", "", filled)
    return Filled(Markup(filled), sorted(set(unknown)))  # noqa: S704 - values escaped above


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders in a template's text that the letters cannot fill."""
    return sorted({name for name in BRACED.findall(text or "") if name not in PLACEHOLDERS})
