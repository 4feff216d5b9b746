"""What a worker keeps a while (the guidance texts) is kept for each practice apart."""

from sqlalchemy import select

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
