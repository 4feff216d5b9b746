"""About sixty made-up cases over the last six months, created through the services so
their timelines are real. NHS numbers come from the 999 range, which is never issued."""

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import nhs_number
from sqlalchemy import func, select

from tracker import clock
from tracker.cases import ko41b
from tracker.cases.actions import perform
from tracker.cases.codes import (
    Channel,
    ClosureReason,
    ComplaintFinding,
    ConsentForm,
    ContactMethod,
    Outcome,
    PalsReferrer,
    PatientResponse,
    Route,
)
from tracker.cases.improvement import ImprovementAction
from tracker.cases.intake import Intake, log_request
from tracker.cases.models import Case, ComplaintAspect
from tracker.cases.reviewers import reviewer_problem
from tracker.cases.workflow import Action, Stage
from tracker.extensions import db
from tracker.practices.scope import in_practice
from tracker.staff.models import Role, User

DEMO_CASE_COUNT = 60
# Made-up streets in a made-up postcode area (RV), for the demo patients' addresses.
STREETS = ("Mill Lane", "Church Street", "Orchard Close", "Station Road", "Willow Way", "Park View")

FIRST_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Florence", "Grace", "Noah", "Oliver",
    "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry", "Priya", "Chidi", "Aisha",
    "Tomasz", "Siobhan", "Dylan", "Megan", "Rhys", "Yusuf", "Zara",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Okoye",
    "Nowak", "O'Brien", "Begum", "Clarke", "Hughes", "Edwards",
)  # fmt: skip
CONCERNS = (
    "Was told the chest pain is muscular but it keeps coming back when climbing stairs.",
    "Headaches most mornings for six weeks; feels the first GP did not examine properly.",
    "Asked for a referral for knee pain and was told to wait; would like another view.",
    "Worried the rash on the arm was dismissed as eczema; it has spread since.",
    "Tiredness and weight loss; blood tests were normal but the patient is still worried.",
    "Child's cough diagnosed as viral three weeks ago and not improving.",
    "Disagrees with stopping a long-term medicine at the last review.",
    "Feels the GP did not listen about low mood and wants to talk to someone else.",
    "Wants a second view on whether the mole needs removing.",
    "Back pain after a fall; was told no scan is needed and would like that checked.",
    "Heavy periods; feels the options were not explained.",
    "Dizziness when standing; the first GP put it down to dehydration.",
)  # fmt: skip
OUTCOME_SUMMARIES = {
    Outcome.FIRST_OPINION_CONFIRMED: "Reviewed history and examined; agree with the original plan. Safety-netting explained.",
    Outcome.DIFFERENT_OPINION: "On review, a change of treatment is appropriate. New plan agreed with the patient.",
    Outcome.REFERRED_ONWARD: "Routine referral to the specialist clinic made after discussion.",
    Outcome.TESTS_ARRANGED: "Further blood tests and imaging arranged; review when results are back.",
    Outcome.RETURNED_TO_OWN_GP: "Patient preferred to continue with their own GP once the plan was explained.",
    Outcome.WITHDRAWN: "Patient withdrew the request after the appointment was offered.",
    Outcome.NO_CONTACT: "Three attempts to contact by phone and a letter sent; no reply.",
}  # fmt: skip

# The stage each demo case should reach, spread so every stage appears with several cases.
TARGET_STAGES = (
    [Stage.CLOSED] * 24 + [Stage.LOGGED] * 7 + [Stage.ASSIGNED] * 8 + [Stage.IN_REVIEW] * 8
    + [Stage.OUTCOME_RECORDED] * 7 + [Stage.REFERRED_TO_PALS] * 6
)  # fmt: skip


def demo_nhs_numbers() -> Iterator[str]:
    """Valid NHS numbers from the 999 test range, in order."""
    for base in range(999_000_001, 999_999_999):
        check = nhs_number.calculate_checksum(str(base))
        if check is not None and 0 <= int(check) <= 9:
            yield f"{base}{check}"


def demo_representative_address(index: int) -> dict:
    """The son's own address, a street away from the patient's."""
    return {
        "representative_address_lines": f"{index % 40 + 2} Weir Close\nRiverside",
        "representative_postcode": f"RV{index % 9 + 1} {index % 7 + 2}QT",
    }


def demo_address(index: int) -> dict[str, str | None]:
    """A made-up address for most demo patients; every tenth has none."""
    if index % 10 == 9:
        return {"address_lines": None, "postcode": None}
    street = STREETS[index % len(STREETS)]
    unit = "ABDEFGH"[index % 7] + "JLNPQRS"[index % 5]
    return {
        "address_lines": f"{index + 2} {street}\nRiverside",
        "postcode": f"RV{index % 9 + 1} {index % 7 + 1}{unit}",
    }


def working_hours(day: date, rng: random.Random) -> datetime:
    local = datetime.combine(
        day, time(rng.randint(8, 17), rng.choice((0, 10, 20, 30, 40, 50))), tzinfo=clock.LONDON
    )
    return local.astimezone(UTC)


def later(moment: datetime, rng: random.Random, low_days: int, high_days: int) -> datetime:
    step = moment + timedelta(days=rng.randint(low_days, high_days), hours=rng.randint(0, 5))
    while clock.to_london(step).weekday() >= 5:
        step += timedelta(days=1)
    return step


def seed_demo_cases(practice_id: int, count: int = DEMO_CASE_COUNT, *, seed: int = 20261124) -> int:
    """Add demo cases to this practice if it has none yet; returns how many were added."""
    with in_practice(practice_id):
        return _seed_demo_cases(count, seed)


def _seed_demo_cases(count: int, seed: int) -> int:
    if db.session.scalar(select(func.count()).select_from(Case)):
        return 0
    staff = list(db.session.scalars(select(User).where(User.is_demo, User.membership.has())))
    reception = next(u for u in staff if u.role == Role.RECEPTION)
    manager = next(u for u in staff if u.role == Role.PRACTICE_MANAGER)
    gps = [u for u in staff if u.role == Role.GP]
    rng = random.Random(seed)
    numbers = demo_nhs_numbers()
    now = clock.now_utc()
    today = clock.to_london(now).date()
    routes = list(Route)
    outcomes = list(Outcome)
    added = 0
    for index in range(count):
        target = TARGET_STAGES[index % len(TARGET_STAGES)]
        # Older cases are further along; open ones are recent enough to be in progress.
        ages = {
            Stage.CLOSED: (40, 180),
            Stage.LOGGED: (0, 4),
            Stage.ASSIGNED: (1, 12),
            Stage.IN_REVIEW: (3, 16),
            Stage.OUTCOME_RECORDED: (6, 25),
            Stage.REFERRED_TO_PALS: (10, 35),
        }
        age = rng.randint(*ages[target])
        received = today - timedelta(days=age)
        while received.weekday() >= 5:
            received -= timedelta(days=1)
        route = routes[index % len(routes)] if index < len(routes) * 2 else rng.choice(routes[:4])
        # A patient asking for the senior partner saw someone else first.
        original = rng.choice(
            [gp for gp in gps if not (route == Route.SENIOR_PARTNER and gp.is_senior_partner)]
        )
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        logged_at = min(working_hours(received, rng), now)
        known_number = index % 9 != 0
        representative = index % 11 == 3
        with clock.travel_to(logged_at):
            case = log_request(
                Intake(
                    nhs_number=next(numbers) if known_number else None,
                    nhs_number_unknown=not known_number,
                    patient_name=f"{first} {last}",
                    date_of_birth=date(
                        rng.randint(1940, 2015), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    phone=f"01632 96{rng.randint(1000, 9999)}",
                    email=f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.com"
                    if index % 3
                    else None,
                    preferred_contact=ContactMethod.EMAIL
                    if index % 3 and index % 2
                    else ContactMethod.PHONE,
                    received_on=received,
                    channel=list(Channel)[index % len(Channel)],
                    original_gp_id=original.id,
                    original_gp_other=None,
                    concern=rng.choice(CONCERNS),
                    route_requested=route,
                    already_discussed_with_own_gp=index % 4 == 0,
                    formal_complaint=index % 7 == 2,
                    urgent=index % 13 == 5,
                    representative_title="Mr" if representative else None,
                    representative_name="Sam " + last if representative else None,
                    representative_relationship="Son" if representative else None,
                    representative_phone="01632 960" + f"{500 + index:03d}"
                    if representative
                    else None,
                    representative_consent=representative and index % 2 == 1,
                    representative_consent_form=ConsentForm.WRITTEN
                    if representative and index % 2 == 1
                    else None,
                    representative_consent_on=received
                    if representative and index % 2 == 1
                    else None,
                    **(demo_representative_address(index) if representative else {}),
                    # Most demo patients have an address; a few do not, to show what letters need.
                    **demo_address(index),
                ),
                reception,
            )
        db.session.flush()
        added += 1
        if case.channel in (Channel.LETTER, Channel.EMAIL):
            # Reception keeps the request itself with the case, as it came in.
            with clock.travel_to(logged_at):
                perform(
                    case,
                    Action.ADD_DOCUMENT,
                    reception,
                    demo_request_document(case.channel, first, last, case.concern),
                    case.version,
                )
                db.session.flush()
        if target == Stage.LOGGED:
            continue
        step_at = later(logged_at, rng, 0, 2)
        reviewer = pick_reviewer(case, staff, rng)

        def do(action, data, actor, at, case=case):
            if action == Action.CLOSE and case.formal_complaint:
                data = {
                    **data,
                    "complaint_finding": rng.choice(list(ComplaintFinding)),
                }
            with clock.travel_to(min(at, now)):
                perform(case, action, actor, data, case.version)
                db.session.flush()

        if target == Stage.CLOSED and route == Route.DISCUSS_AGAIN_OWN_GP:
            do(
                Action.CLOSE,
                {"closure_reason": ClosureReason.RETURNED_TO_OWN_GP},
                reception,
                step_at,
            )
            continue
        do(Action.ASSIGN, {"reviewer_id": reviewer.id}, rng.choice((reception, manager)), step_at)
        if target == Stage.ASSIGNED:
            continue
        step_at = later(step_at, rng, 1, 3)
        booked = None
        if target != Stage.REFERRED_TO_PALS or index % 2:
            appointment = working_hours((step_at + timedelta(days=rng.randint(1, 5))).date(), rng)
            booked = appointment if index % 3 else None
            data = {"appointment_at": booked} if booked else {}
            do(Action.START_REVIEW, data, reviewer, step_at)
        if target == Stage.IN_REVIEW:
            continue
        step_at = later(step_at, rng, 2, 8)
        if booked is not None:  # the outcome follows the appointment
            step_at = max(step_at, booked + timedelta(hours=1))
        outcome = outcomes[index % len(outcomes)]
        response = PatientResponse.SATISFIED
        if target == Stage.REFERRED_TO_PALS or index % 5 == 1:
            response = PatientResponse.STILL_CONCERNED
        elif outcome == Outcome.NO_CONTACT:
            response = PatientResponse.NOT_KNOWN
        do(
            Action.RECORD_OUTCOME,
            {
                "outcome": outcome,
                "outcome_summary": OUTCOME_SUMMARIES[outcome],
                "patient_response": response,
                # as the reviewer would, where the demo's "now" falls before the appointment
                "confirm_early": "yes",
            },
            reviewer,
            step_at,
        )
        if target == Stage.OUTCOME_RECORDED:
            continue
        if response == PatientResponse.STILL_CONCERNED:
            step_at = later(step_at, rng, 1, 4)
            do(
                Action.REFER_TO_PALS,
                {
                    "referred_on": clock.to_london(min(step_at, now)).date(),
                    "referred_by": PalsReferrer.PRACTICE if index % 2 else PalsReferrer.PATIENT,
                    "pals_service": "PALS – Riverside NHS Foundation Trust",
                    "pals_officer": "Jordan Ellis" if index % 3 else None,
                    "pals_reference": f"PALS-{24000 + index}",
                },
                manager,
                step_at,
            )
            if target == Stage.REFERRED_TO_PALS:
                continue
            step_at = later(step_at, rng, 5, 15)
            do(
                Action.RECORD_PALS_RESPONSE,
                {
                    "response_on": clock.to_london(min(step_at, now)).date(),
                    "summary": "PALS met the patient and explained the practice's reasoning; no further action requested.",
                },
                manager,
                step_at,
            )
            step_at = later(step_at, rng, 1, 3)
            do(
                Action.CLOSE,
                {"closure_reason": ClosureReason.RESOLVED_AFTER_PALS},
                manager,
                step_at,
            )
            continue
        step_at = later(step_at, rng, 0, 3)
        reason = {
            Outcome.RETURNED_TO_OWN_GP: ClosureReason.RETURNED_TO_OWN_GP,
            Outcome.WITHDRAWN: ClosureReason.WITHDRAWN,
            Outcome.NO_CONTACT: ClosureReason.NO_CONTACT,
        }.get(outcome, ClosureReason.RESOLVED_IN_PRACTICE)
        data = {"closure_reason": reason}
        if route == Route.REGISTER_ELSEWHERE:
            data = {
                "closure_reason": ClosureReason.REGISTERED_ELSEWHERE,
                "registered_elsewhere_on": clock.to_london(min(step_at, now)).date(),
            }
        do(Action.CLOSE, data, manager, step_at)
    return added


def demo_request_document(channel: str, first: str, last: str, concern: str) -> dict:
    """The patient's letter (scanned) or email (saved as a PDF) asking for a second opinion,
    as the data of "Add a document"."""
    lines = [
        "To the practice manager," if channel == Channel.LETTER else "Subject: second opinion",
        "",
        "I would like another doctor at the practice to look at my concern:",
        concern,
        "",
        "Please let me know what happens next.",
        f"{first} {last}",
    ]
    kind = "letter" if channel == Channel.LETTER else "email"
    return {
        "file_name": f"{kind}-from-{first}-{last}.pdf".lower().replace("'", ""),
        "content": simple_pdf(lines),
        "description": f"The patient's {kind} asking for a second opinion",
        "clinical": False,
    }


def simple_pdf(lines: list[str]) -> bytes:
    """A one-page A4 PDF of these lines in Helvetica, for made-up documents."""

    def literal(text: str) -> bytes:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("latin-1", errors="replace") + b")"

    text = b"BT /F1 12 Tf 16 TL 72 760 Td " + b" ".join(literal(line) + b" '" for line in lines)
    stream = text + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pick_reviewer(case: Case, staff: list[User], rng: random.Random) -> User:
    """Someone the rules allow: the senior partner or manager when asked for, never the first GP."""
    allowed = [person for person in staff if reviewer_problem(case, person) is None]
    return rng.choice(allowed)


def give_a_case_outside(practice_id: int, reviewer_email: str) -> str | None:
    """Give one of the practice's new requests for another GP to a GP of another
    practice in the PCN, as the practice manager would: the demo's outside second opinion.
    Returns its reference; None when there is no such case or it was given already."""
    with in_practice(practice_id):
        reviewer = db.session.scalars(
            select(User)
            .where(User.email == reviewer_email)
            .execution_options(populate_existing=True)  # their role here, not at home
        ).first()
        if reviewer is None or reviewer.membership is not None:
            return None
        manager = db.session.scalars(
            select(User).where(User.is_demo, User.membership.has(role=Role.PRACTICE_MANAGER))
        ).first()
        case = db.session.scalars(
            select(Case)
            .where(Case.stage == Stage.LOGGED, Case.route_requested == Route.SECOND_OPINION_GP)
            .order_by(Case.id)
        ).first()
        if case is None or manager is None:
            return None
        perform(
            case,
            Action.ASSIGN,
            manager,
            {
                "reviewer_id": str(reviewer.id),
                "reason": "The patient asked for a GP outside the practice, before going to PALS.",
                "outside_request": False,
            },
            case.version,
        )
        db.session.flush()  # in the practice, as the rows it wrote belong to it
        return case.reference


DEMO_LESSONS = (
    "Examine before advising on joint pain, and write down what was examined.",
    "Phone the patient back the same day when a test result is delayed.",
    "Tell patients at the desk how long a repeat prescription takes, in working days.",
)
DEMO_ACTIONS = (
    ("Add an examination prompt to the minor illness template", True, 21),
    ("Reception refresher on explaining prescription times", False, -3),
)


def seed_demo_learning(practice_id: int) -> None:
    """What the demo practice learned: each formal complaint coded for the KO41(b) return, the
    lessons of those closed, two improvement actions (one overdue) and a significant event, so
    the return and the learning report have something to show. Only where none is recorded."""
    with in_practice(practice_id):
        if db.session.scalar(select(func.count()).select_from(ImprovementAction)):
            return
        manager = db.session.scalars(
            select(User).where(User.is_demo, User.membership.has(role=Role.PRACTICE_MANAGER))
        ).first()
        gps = list(
            db.session.scalars(
                select(User)
                .where(User.is_demo, User.membership.has(role=Role.GP))
                .order_by(User.id)
            )
        )
        complaints = list(
            db.session.scalars(
                select(Case).where(Case.formal_complaint.is_(True)).order_by(Case.id)
            )
        )
        lists = ko41b.lists_for(ko41b.return_year_of(clock.today_london()))
        subjects = [item.code for item in lists.subject_areas]
        groups = [item.code for item in lists.staff_groups]
        for n, case in enumerate(complaints):
            db.session.add(
                ComplaintAspect(
                    case_id=case.id,
                    subject_area=subjects[(n * 3) % len(subjects)],
                    staff_group=groups[n % 3],
                    recorded_by_id=manager.id,
                )
            )
            if case.stage == Stage.CLOSED:
                case.response_lessons = DEMO_LESSONS[n % len(DEMO_LESSONS)]
        today = clock.today_london()
        first = complaints[0] if complaints else db.session.scalars(select(Case)).first()
        for (text, clinical, days), owner in zip(DEMO_ACTIONS, [gps[0], manager], strict=False):
            db.session.add(
                ImprovementAction(
                    case_id=first.id,
                    description=text,
                    clinical=clinical,
                    owner_id=owner.id,
                    due_on=today + timedelta(days=days),
                    created_by_id=manager.id,
                )
            )
        flagged = db.session.scalars(
            select(Case).where(Case.stage == Stage.CLOSED).order_by(Case.id.desc())
        ).first()
        if flagged is not None:
            flagged.significant_event = True
            flagged.sea_reference = "SEA-DEMO-1"
            flagged.candour_applies = False
        db.session.flush()
