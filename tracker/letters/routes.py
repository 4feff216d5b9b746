"""/admin/letters: the practice manager edits, previews and restores the letter templates.
/cases/<reference>/letters/...: a case's letter to print or download before it is sent, and
each letter as it was sent."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases import queries
from tracker.cases.errors import CaseError, NotAllowed
from tracker.cases.history import record_case_event
from tracker.cases.letters import drafts
from tracker.cases.letters.drafts import NoSuchLetter
from tracker.cases.letters.kinds import LetterKind
from tracker.cases.letters.length import LetterTooLong
from tracker.cases.letters.models import CaseLetter
from tracker.cases.letters.placeholders import PLACEHOLDERS
from tracker.cases.letters.render import (
    SHORTEN_THE_TEMPLATE,
    checked_sample,
    pdf_of,
    sample_letter,
)
from tracker.cases.letters.texts import LETTERS
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.letters.forms import LetterTemplateForm
from tracker.staff.access import CLINICAL_AUDIENCE, roles_required, sees_clinical
from tracker.staff.models import Role
from tracker.versioned_text.editor import Editor

bp = Blueprint("letters", __name__)


def kind_or_404(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        abort(404)


# --- the practice manager's templates ------------------------------------------------------


EDITOR = Editor(
    texts=LETTERS,
    form=LetterTemplateForm,
    template="letters/edit.jinja",
    blueprint="letters",
    key_arg="kind",
    saved="Letter saved: {label}",
    check=lambda kind, text, saving: checked_sample(kind, text, current_user, lay_out=saving),
)


@bp.route("/admin/letters")
@roles_required(Role.PRACTICE_MANAGER)
def index():
    return render_template(
        "letters/index.jinja", kinds=list(LetterKind), current=LETTERS.current_texts()
    )


@bp.route("/admin/letters/<kind>", methods=["GET", "POST"])
@roles_required(Role.PRACTICE_MANAGER)
def edit(kind: str):
    letter = kind_or_404(kind)
    return EDITOR.edit(letter, letter=letter, placeholders=PLACEHOLDERS)


@bp.route("/admin/letters/<kind>/sample.pdf")
@roles_required(Role.PRACTICE_MANAGER)
def sample_pdf(kind: str):
    """The letter in use, filled in for a made-up patient, as the PDF staff will make."""
    letter = kind_or_404(kind)
    made = sample_letter(letter, LETTERS.current(letter).body, current_user, for_pdf=True)
    try:
        pdf = pdf_of(made, SHORTEN_THE_TEMPLATE)
    except LetterTooLong as too_long:
        flash(too_long.message, "error")
        return redirect(url_for("letters.edit", kind=letter.value))
    return _pdf_response(pdf, f"sample-{letter.value}-letter.pdf", inline=True)


@bp.route("/admin/letters/<kind>/restore", methods=["POST"])
@roles_required(Role.PRACTICE_MANAGER)
def restore(kind: str):
    return EDITOR.restore(kind_or_404(kind))


# --- a case's letters ----------------------------------------------------------------------


def _case_or_404(reference: str) -> Case:
    case = queries.case_for(current_user, reference)
    if case is None:
        abort(404)
    return case


def _asked() -> tuple[str, str, str]:
    """The letter asked for, the reviewer's note and whom it is to (the button pressed says
    which letter to show when there are two). GET links name the letter in the address; the
    letter form posts it (with its CSRF token) and the note."""
    kind = request.values.get("letter", "")
    note = (request.form.get("reviewer_note") or "").strip() if request.method == "POST" else ""
    recipient = request.values.get("show_for") or request.values.get("recipient") or "patient"
    return kind, note, recipient


def _cannot_draft(case: Case, refusal: CaseError):
    if isinstance(refusal, NotAllowed):
        return render_template("cases/refused.jinja", case=case, message=refusal.message), 403
    status = 400 if isinstance(refusal, NoSuchLetter) else 409
    return render_template("letters/cannot_make.jinja", case=case, problem=refusal.message), status


@bp.route("/cases/<reference>/letters/print", methods=["GET", "POST"])
@login_required
def print_view(reference: str):
    case = _case_or_404(reference)
    back = url_for("cases.show", reference=case.reference)
    try:
        kind, note, recipient = _asked()
        letter = drafts.draft(case, kind, note, current_user, recipient, back_href=back)
    except CaseError as refusal:
        return _cannot_draft(case, refusal)
    return letter.html


@bp.route("/cases/<reference>/letters/draft.pdf", methods=["GET", "POST"])
@login_required
def draft_pdf(reference: str):
    """The letter as it would be sent now; nothing is kept until it is marked as sent."""
    case = _case_or_404(reference)
    try:
        kind, note, recipient = _asked()
        pdf, name = drafts.draft_pdf(case, kind, note, current_user, recipient)
    except CaseError as refusal:
        return _cannot_draft(case, refusal)
    return _pdf_response(pdf, name, inline=False)


@bp.route("/cases/<reference>/letters/<int:letter_id>.pdf")
@login_required
def download(reference: str, letter_id: int):
    """A letter exactly as it was sent; each download is in the audit log."""
    case = _case_or_404(reference)
    sent = db.session.get(CaseLetter, letter_id)
    if sent is None or sent.case_id != case.id:
        abort(404)
    if sent.clinical and not sees_clinical(current_user):
        return render_template(
            "cases/refused.jinja",
            case=case,
            message="This letter has clinical detail the reviewer added, which is for "
            f"{CLINICAL_AUDIENCE} only. Ask the reviewer or the practice manager if you need "
            "what it says.",
        ), 403
    record_case_event(
        EventKind.LETTER_DOWNLOADED,
        current_user,
        case,
        detail=f"{LetterKind.label_of(sent.kind)} sent {clock.to_london(sent.sent_at):%Y-%m-%d}, "
        "downloaded",
        clinical=sent.clinical,
    )
    db.session.commit()
    return _pdf_response(sent.pdf, sent.file_name, inline=False)


def _pdf_response(pdf: bytes, name: str, *, inline: bool) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
