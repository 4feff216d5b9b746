"""Someone not signed in to an install of several practices works in none: the sign-in page
names no practice, reads no practice's records, and costs what it costs on an install of one."""

from sqlalchemy import event

from tracker.extensions import db
from tracker.practices.services import create_practice


def test_the_sign_in_page_of_an_install_of_several_reads_nothing_once_warm(
    app, client, monkeypatch
):
    with app.app_context():
        for code, name in (("B82001", "Riverside Surgery"), ("B82002", "Hillside Surgery")):
            create_practice(ods_code=code, name=name)
            db.session.commit()
    monkeypatch.setitem(app.config, "SETTINGS_CHECKED_EVERY", 3600.0)
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    try:
        first = client.get("/login")
        statements.clear()
        again = client.get("/login")
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
    assert first.status_code == again.status_code == 200
    page = again.get_data(as_text=True)
    assert "Hillside Surgery" not in page and "Riverside Surgery" not in page
    assert statements == []
