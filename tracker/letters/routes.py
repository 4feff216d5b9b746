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
from tracker.cases.actions import check_can_take
from tracker.cases.actions.send_letter import file_name, letter_problem
from tracker.cases.errors import NotAllowed
from tracker.cases.history import record_case_event
from tracker.cases.letters.kinds import LetterKind
from tracker.cases.letters.length import LetterTooLong
from tracker.cases.letters.models import CaseLetter
from tracker.cases.letters.placeholders import PLACEHOLDERS
from tracker.cases.letters.render import (
    SHORTEN_THE_TEMPLATE,
    check_length,
    checked_sample,
    letter_for,
    pdf_of,
    sample_letter,
)
from tracker.cases.letters.texts import LETTERS
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.letters.forms import LetterTemplateForm
from tracker.staff.access import roles_required
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
    case = queries.get_by_reference(reference)
    if case is None:
        abort(404)
    return case


def _draft(reference: str):
    """The case, the letter asked for and the reviewer's note, or a page saying why not.
    GET links name the letter in the address; the letter form posts it (with its CSRF token)."""
    case = _case_or_404(reference)
    try:
        check_can_take(case, Action.SEND_LETTER, current_user)
    except NotAllowed as refusal:
        return (
            case,
            None,
            "",
            (
                render_template("cases/refused.jinja", case=case, message=refusal.message),
                403,
            ),
        )
    kind = request.values.get("letter", "")
    note = (request.form.get("reviewer_note") or "").strip() if request.method == "POST" else ""
    if kind not in set(LetterKind):  # a bad request: no letter of that name
        page = render_template(
            "letters/cannot_make.jinja", case=case, problem="Choose the letter to make."
        )
        return case, None, note, (page, 400)
    problem = letter_problem(case, kind, note, current_user)
    if problem:
        page = render_template("letters/cannot_make.jinja", case=case, problem=problem.message)
        return case, None, note, (page, 409)
    return case, LetterKind(kind), note, None


@bp.route("/cases/<reference>/letters/print", methods=["GET", "POST"])
@login_required
def print_view(reference: str):
    case, kind, note, refusal = _draft(reference)
    if refusal:
        return refusal
    back = url_for("cases.show", reference=case.reference)
    letter = letter_for(case, kind, current_user, note, back_href=back)
    try:
        check_length(letter)
    except LetterTooLong as too_long:
        return _cannot_make(case, too_long.message, 409)
    return letter.html


@bp.route("/cases/<reference>/letters/draft.pdf", methods=["GET", "POST"])
@login_required
def draft_pdf(reference: str):
    """The letter as it would be sent now; nothing is kept until it is marked as sent."""
    case, kind, note, refusal = _draft(reference)
    if refusal:
        return refusal
    try:
        pdf = pdf_of(letter_for(case, kind, current_user, note, for_pdf=True))
    except LetterTooLong as too_long:
        return _cannot_make(case, too_long.message, 409)
    return _pdf_response(pdf, "draft-" + file_name(case, kind), inline=False)


@bp.route("/cases/<reference>/letters/<int:letter_id>.pdf")
@login_required
def download(reference: str, letter_id: int):
    """A letter exactly as it was sent; each download is in the audit log."""
    case = _case_or_404(reference)
    sent = db.session.get(CaseLetter, letter_id)
    if sent is None or sent.case_id != case.id:
        abort(404)
    if sent.clinical and current_user.role == Role.RECEPTION:
        return render_template(
            "cases/refused.jinja",
            case=case,
            message="This letter has clinical detail the reviewer added. Reception cannot open it.",
        ), 403
    record_case_event(
        EventKind.LETTER_DOWNLOADED,
        current_user,
        case,
        detail=f"{LetterKind.label_of(sent.kind)} sent {clock.to_london(sent.sent_at):%Y-%m-%d}, "
        "downloaded",
    )
    db.session.commit()
    return _pdf_response(sent.pdf, sent.file_name, inline=False)


def _cannot_make(case: Case, problem: str, status: int):
    return render_template("letters/cannot_make.jinja", case=case, problem=problem), status


def _pdf_response(pdf: bytes, name: str, *, inline: bool) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
