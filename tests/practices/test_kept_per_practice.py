"""What a worker keeps a while (the guidance texts, a person's count of changes) is kept for
each practice apart."""

from sqlalchemy import select

from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.cases import news
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.guidance.services import GUIDANCE
from tracker.practices.scope import in_practice
from tracker.staff.models import User


def test_guidance_kept_by_a_worker_is_each_practices_own(app, two_practices, monkeypatch):
    one, two, _ = two_practices
    monkeypatch.setitem(app.config, "SETTINGS_CHECKED_EVERY", 3600.0)
    with app.app_context():
        shipped = GUIDANCE.current("route_pals").body
        with in_practice(two):
            assert GUIDANCE.current("route_pals").body == shipped  # now kept for practice two
        with in_practice(one):
            manager = db.session.scalars(select(User).where(User.is_demo.is_(False))).first()
            GUIDANCE.save("route_pals", "Practice one's own PALS guidance.", manager)
            db.session.commit()
            assert GUIDANCE.current("route_pals").body == "Practice one's own PALS guidance.\n"
        with in_practice(two):
            assert GUIDANCE.current("route_pals").body == shipped


def test_new_for_you_counts_kept_by_a_worker_are_each_practices_own(
    app, two_practices, monkeypatch
):
    """Someone working in two practices sees each practice's count of changes in its header,
    never the other's kept a few seconds before."""
    one, two, made = two_practices
    monkeypatch.setitem(app.config, "NEWS_COUNT_KEPT_SECONDS", 3600.0)
    with app.app_context():
        with in_practice(one):
            manager = db.session.scalars(select(User).where(User.is_demo.is_(False))).first()
            case = db.session.scalars(select(Case).where(Case.reference == made[one][0])).one()
            db.session.add(Event(kind=EventKind.NOTE_ADDED, case_id=case.id, actor_id=None))
            db.session.commit()
            assert news.count_new(manager) == 1
        with in_practice(two):
            assert news.count_new(manager) == 0
