"""A letter for a case: why it cannot be made yet, its HTML (for the print view and the
preview) and its PDF (A4, the practice's letterhead, the address placed for a DL window
envelope, "Page 1 of 2" at the foot of each page)."""

from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template
from markdown_it import MarkdownIt
from markupsafe import Markup

from tracker import clock
from tracker.cases.codes import LetterRecipient, Outcome
from tracker.cases.letters.kinds import LetterKind
from tracker.cases.letters.length import MAX_PAGES, Length, LetterTooLong, measure
from tracker.cases.letters.placeholders import fill, unknown_placeholders, values_for
from tracker.cases.letters.texts import LETTERS
from tracker.cases.models import Case
from tracker.cases.workflow import Stage
from tracker.pdf import laid_out
from tracker.settings.models import Practice, load_settings
from tracker.staff.models import User

STYLESHEET = "css/letter.css"


def _parser() -> MarkdownIt:
    # The guidance format, with a line break where the editor pressed Enter (the sign-off).
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    md.enable(["heading", "list", "emphasis", "newline"])
    return md


_MD = _parser()


def body_html(text: str) -> Markup:
    """A letter template's text as HTML, placeholders still in it; anything else escaped."""
    return Markup(_MD.render(text or ""))  # noqa: S704 - html disabled in the parser


def why_not(case: Case, kind: str, recipient: str = LetterRecipient.PATIENT) -> str | None:
    """Why this letter cannot be made for this case now, to this recipient, or None when it
    can."""
    if case.identifiers_removed_at is not None:
        return "The patient's details were removed at the end of the retention period."
    if recipient == LetterRecipient.REPRESENTATIVE:
        problem = representative_problem(case)
        if problem:
            return problem
    elif not case.has_postal_address:
        return (
            "There is no postal address for the patient on this case. "
            "Add the address and postcode first (Update contact details)."
        )
    if kind == LetterKind.ACKNOWLEDGEMENT and not case.formal_complaint:
        return "This is not a formal complaint, so there is no complaint to acknowledge."
    if kind == LetterKind.APPOINTMENT and case.appointment_at is None and not case.review_of_notes:
        return "No appointment or review of the notes is recorded yet: start the review first."
    if (
        kind == LetterKind.APPOINTMENT
        and case.reviewer is not None
        and not case.reviewer.works_here
        and case.outcome is None
    ):
        return "The reviewer has left the practice: hand the case on first."
    if kind == LetterKind.OUTCOME and not case.outcome:
        return "No outcome is recorded yet."
    if kind == LetterKind.FINAL_RESPONSE:
        return final_response_problem(case)
    if kind == LetterKind.DELAY:
        if not case.formal_complaint:
            return "This is not a formal complaint, so no response is owed."
        if case.response_sent_on is not None:
            return "The final response has been sent."
    if kind not in set(LetterKind):
        return "There is no such letter."
    return None


def final_response_problem(case: Case) -> str | None:
    """Why the final response letter cannot be made yet, or None when it can: a formal
    complaint whose plan lists its issues, each with a conclusion, and someone to sign it."""
    if not case.formal_complaint:
        return "This is not a formal complaint, so there is no final response to make."
    if not case.complaint_issue_list:
        return "Record the complaint plan first: the final response answers each of its issues."
    missing = case.issues_without_conclusion
    if missing:
        listed = "; ".join(missing[:3]) + ("; and others" if len(missing) > 3 else "")
        return (
            f"Each issue needs a conclusion before the final response can be made, and "
            f"{len(missing)} has none: {listed}. Prepare the final response first."
            if len(missing) == 1
            else f"Each issue needs a conclusion before the final response can be made, and "
            f"{len(missing)} have none: {listed}. Prepare the final response first."
        )
    if case.response_signed_by_id is None or not case.response_considered:
        return "Prepare the final response first: how it was considered, and who signs it."
    return None


def representative_problem(case: Case) -> str | None:
    """Why a letter cannot go to the person acting for the patient, or None when it can: the
    patient's consent (or their authority) and their postal address are needed."""
    if not case.representative_name:
        return "No one is recorded as acting for the patient."
    if not case.representative_consent:
        return (
            f"The patient's consent to {case.representative_full_name} acting for them is not "
            "recorded, so nothing about the case can be sent to them. Record the consent first "
            "(Update contact details)."
        )
    if not case.representative_postal_address:
        return (
            f"There is no postal address for {case.representative_full_name}. Add their address "
            "and postcode first (Update contact details)."
        )
    return None


@dataclass(frozen=True)
class Letter:
    kind: LetterKind
    title: str
    html: str  # the whole page
    body: Markup  # the letter's text, filled in
    unknown: list[str]  # placeholders the template uses that cannot be filled
    length: Length  # measured before it is laid out


def _letter_page(
    case: Case,
    kind: LetterKind,
    text: str,
    settings: Practice,
    sender: User,
    reviewer_note: str,
    *,
    for_pdf: bool,
    back_href: str | None = None,
    recipient: str = LetterRecipient.PATIENT,
) -> Letter:
    values = values_for(case, settings, sender, reviewer_note, recipient)
    to_representative = recipient == LetterRecipient.REPRESENTATIVE
    filled = fill(body_html(text), values)
    title = f"{kind.label}: {case.reference}"
    html = render_template(
        "letters/letter.jinja",
        title=title,
        case=case,
        settings=settings,
        body=filled.html,
        letter_date=clock.format_date(clock.today_london()),
        practice_address=[line for line in settings.practice_address.splitlines() if line.strip()],
        stylesheet=_stylesheet() if for_pdf else None,
        back_href=back_href,
        recipient_name=case.representative_full_name if to_representative else case.patient_name,
        recipient_address=case.representative_postal_address
        if to_representative
        else case.postal_address,
        about_patient=case.patient_name if to_representative else None,
    )
    return Letter(kind, title, html, filled.html, filled.unknown, measure(filled.html))


def letter_for(
    case: Case,
    kind: str,
    sender: User,
    reviewer_note: str = "",
    *,
    for_pdf: bool = False,
    back_href: str | None = None,
    recipient: str = LetterRecipient.PATIENT,
) -> Letter:
    """The letter for this case from the template in force, to the patient or to the person
    acting for them: for the PDF (its stylesheet inside it) or for the print view (a link
    back to the case)."""
    return _letter_page(
        case,
        LetterKind(kind),
        LETTERS.current(kind).body,
        load_settings(),
        sender,
        reviewer_note,
        for_pdf=for_pdf,
        back_href=back_href,
        recipient=recipient,
    )


def sample_letter(kind: str, text: str, sender: User, *, for_pdf: bool = False) -> Letter:
    """A template's text filled in for a made-up patient: the editor's preview."""
    case = Case(
        reference="SO-2026-0001",
        patient_name="Sam Sample",
        address_lines="1 Example Street\nExampletown",
        postcode="EX1 1AA",
        received_on=clock.today_london(),
        outcome_target_days=load_settings().outcome_target_days,
        review_of_notes=True,
        outcome=Outcome.FIRST_OPINION_CONFIRMED,
        stage=Stage.OUTCOME_RECORDED,
    )
    return _letter_page(case, LetterKind(kind), text, load_settings(), sender, "", for_pdf=for_pdf)


SHORTEN_THE_TEMPLATE = (
    "Shorten the text: join short paragraphs, and use fewer headings, list items and bold words"
)


def checked_sample(
    kind: str, text: str, sender: User, *, lay_out: bool = False
) -> tuple[Letter, list[str]]:
    """A template's text filled in for a made-up patient (the editor's preview), and what stops
    it being saved: words in curly brackets the letters cannot fill, or a letter over the
    bounds (laid out to count its pages too, when it is to be saved)."""
    sample = sample_letter(kind, text, sender, for_pdf=True)
    problems = []
    unknown = unknown_placeholders(text)
    if unknown:
        problems.append(
            "These words in curly brackets are not in the list, so the letter cannot fill "
            "them in: " + ", ".join("{" + name + "}" for name in unknown)
        )
    try:
        check_length(sample, SHORTEN_THE_TEMPLATE)
        if lay_out and not problems:
            pdf_of(sample, SHORTEN_THE_TEMPLATE)
    except LetterTooLong as too_long:
        problems.append(too_long.message)
    return sample, problems


def _stylesheet() -> Markup:
    path = Path(current_app.static_folder) / STYLESHEET
    return Markup(path.read_text(encoding="utf-8"))  # noqa: S704 - the project's own file


# What to do about a letter too long to make, for those who make letters from a case.
SHORTEN_IN_A_CASE = (
    "Nothing was made. Shorten the reviewer's note if there is one, or ask the practice "
    "manager to shorten the letter's text"
)


def check_length(letter: Letter, advice: str = SHORTEN_IN_A_CASE) -> None:
    """Refuse a letter over the bounds, measured from its HTML (nothing is laid out)."""
    if letter.length.problem:
        raise LetterTooLong(letter.length, advice)


def pdf_of(letter: Letter, advice: str = SHORTEN_IN_A_CASE) -> bytes:
    """The letter as an A4 PDF; LetterTooLong, before it is laid out where it can be told,
    for a letter over the bounds."""
    check_length(letter, advice)
    document = laid_out(letter.html)
    if len(document.pages) > MAX_PAGES:
        raise LetterTooLong(Length(len(document.pages), letter.length.parts), advice)
    return document.write_pdf()
