"""PCN and ICB managers see their practices side by side in figures alone: each practice's
month, targets met and complaints return, on the page and in CSV and Excel, with no patient
identifier anywhere; a PCN manager of another PCN sees none of it, and the ICB manager sees
every PCN of the ICB."""

import csv
import io
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest

from tests import factories
from tests.helpers import sign_in, text_of
from tracker.extensions import db
from tracker.practices.models import Pcn
from tracker.practices.scope import in_practice
from tracker.practices.services import create_practice, first_practice, place_in_icb
from tracker.staff.services import add_network_role

PASSWORD = "network figures 2026 long"
# What identifies the patients of the cases below: none of it may leave a practice here.
IDENTIFIERS = ("Zebedee Quillfeather", "9434765919", "LS6 3ZQ", "1931-07-14", "14/07/1931")


@pytest.fixture
def network(app, staff):
    """North PCN (Riverside, Hillside) and South PCN (Faraway), both in West Yorkshire ICB; a
    manager for each PCN and one for the ICB. Riverside has three cases received in November
    2026 (one a formal complaint, upheld and closed), Hillside one, Faraway two."""
    with app.app_context():
        riverside = first_practice()
        riverside.practice_name, riverside.ods_code = "Riverside Surgery", "A81001"
        hillside = create_practice(ods_code="B82002", name="Hillside Surgery", pcn_name="North PCN")
        riverside.pcn_id = hillside.pcn_id
        faraway = create_practice(ods_code="C83003", name="Faraway Surgery", pcn_name="South PCN")
        icb = place_in_icb(hillside.pcn_id, "West Yorkshire ICB")
        place_in_icb(faraway.pcn_id, "West Yorkshire ICB")
        db.session.commit()
        for practice, count in ((riverside, 3), (hillside, 1), (faraway, 2)):
            with in_practice(practice.id):
                manager = (
                    staff.manager.id
                    if practice is riverside
                    else factories.create_user("practice_manager").id
                )
                for n in range(count):
                    fields = {}
                    if practice is riverside and n == 0:
                        fields = {
                            "formal_complaint": True,
                            "closed_at": datetime(2026, 11, 20, 10, tzinfo=UTC),
                            "closure_reason": "resolved_in_practice",
                            "complaint_finding": "upheld",
                            "stage": "closed",
                        }
                    factories.create_case(
                        original_gp_id=None,
                        created_by_id=manager,
                        patient_name="Zebedee Quillfeather",
                        nhs_number="9434765919",
                        postcode="LS6 3ZQ",
                        date_of_birth=date(1931, 7, 14),
                        received_on=date(2026, 11, 2 + n),
                        **fields,
                    )
        north = db.session.get(Pcn, hillside.pcn_id)
        people = {}
        for key, pcn_id, icb_id in (
            ("north", north.id, None),
            ("south", faraway.pcn_id, None),
            ("icb", None, icb.id),
        ):
            user = add_network_role(
                email=f"{key}@network.example",
                full_name=f"{key.title()} Manager",
                password=PASSWORD,
                pcn_id=pcn_id,
                icb_id=icb_id,
                must_change_password=False,
            )
            people[f"{key}_manager"] = user.email
        db.session.commit()
        return {"north": north.id, "south": faraway.pcn_id, "icb": icb.id, **people}


def signed_in(app, email):
    client = app.test_client()
    assert sign_in(client, email, PASSWORD).status_code == 302
    return client


def assert_no_identifier(text: str, where: str) -> None:
    for identifier in IDENTIFIERS:
        assert identifier not in text, f"{identifier} in {where}"


def test_a_pcn_manager_sees_each_practice_side_by_side_and_no_identifier(
    app, network, frozen_clock
):
    frozen_clock.now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    client = signed_in(app, network["north_manager"])
    home = client.get("/")
    assert home.headers["Location"] == "/network/"
    page = client.get("/network/", follow_redirects=True)
    html = page.get_data(as_text=True)
    text = text_of(page)
    assert "North PCN: December 2026" in text
    page = client.get(f"/network/pcn/{network['north']}?month=2026-11")
    html, text = page.get_data(as_text=True), text_of(page)
    assert "Riverside Surgery (A81001)" in text and "Hillside Surgery (B82002)" in text
    assert "Faraway Surgery" not in text
    assert "North PCN in all" in text
    assert_no_identifier(html, "the PCN page")

    # The CSV: one row a practice and the total, in the page's figures.
    download = client.get(f"/network/pcn/{network['north']}.csv?month=2026-11")
    assert download.status_code == 200
    body = download.get_data(as_text=True)
    assert_no_identifier(body, "the CSV")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    by_practice = {row["Practice"]: row for row in rows}
    assert by_practice["Riverside Surgery"]["Requests received"] == "3"
    assert by_practice["Riverside Surgery"]["Formal complaints received"] == "1"
    assert by_practice["Riverside Surgery"]["Closed"] == "1"
    assert by_practice["Riverside Surgery"]["Complaints upheld"] == "1"
    assert by_practice["Hillside Surgery"]["Requests received"] == "1"
    assert by_practice["2 practices"]["Requests received"] == "4"
    assert by_practice["2 practices"]["PCN"] == "North PCN in all"

    # The Excel file holds the same, and nothing identifying in any part of it.
    workbook_bytes = client.get(f"/network/pcn/{network['north']}.xlsx?month=2026-11").data
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as parts:
        for name in parts.namelist():
            assert_no_identifier(parts.read(name).decode("utf-8", "replace"), f"the Excel {name}")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes)).active
    header = [cell.value for cell in sheet[1]]
    cells = {
        row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    assert cells["Riverside Surgery"]["Requests received"] == 3
    assert cells["2 practices"]["Requests received"] == 4

    # Another PCN's figures, the ICB's and any practice's own pages are not theirs.
    for url in (
        f"/network/pcn/{network['south']}",
        f"/network/pcn/{network['south']}.csv",
        f"/network/icb/{network['icb']}",
        f"/network/icb/{network['icb']}.xlsx",
    ):
        assert client.get(url).status_code == 404, url
    for url in ("/queue", "/cases/SO-2026-0001", "/reports/monthly", "/admin/users"):
        assert client.get(url).status_code in (403, 404), url
        assert_no_identifier(client.get(url).get_data(as_text=True), url)


def test_a_pcn_manager_of_another_pcn_sees_none_of_this_pcns_practices(app, network):
    client = signed_in(app, network["south_manager"])
    assert client.get(f"/network/pcn/{network['north']}").status_code == 404
    assert client.get(f"/network/pcn/{network['north']}.csv").status_code == 404
    own = text_of(client.get(f"/network/pcn/{network['south']}?month=2026-11"))
    assert "Faraway Surgery" in own
    assert "Riverside Surgery" not in own and "Hillside Surgery" not in own


def test_the_icb_manager_sees_every_pcn_and_practice_of_the_icb(app, network):
    client = signed_in(app, network["icb_manager"])
    page = client.get(f"/network/icb/{network['icb']}?month=2026-11")
    text = text_of(page)
    for name in ("Riverside Surgery", "Hillside Surgery", "Faraway Surgery"):
        assert name in text
    assert "North PCN in all" in text and "South PCN in all" in text
    assert "West Yorkshire ICB in all" in text
    assert_no_identifier(page.get_data(as_text=True), "the ICB page")
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/network/icb/{network['icb']}.csv?month=2026-11")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    totals = next(row for row in rows if row["PCN"] == "West Yorkshire ICB in all")
    assert totals["Requests received"] == "6"
    assert {row["Practice"]: row["PCN"] for row in rows if row["ODS code"]} == {
        "Riverside Surgery": "North PCN",
        "Hillside Surgery": "North PCN",
        "Faraway Surgery": "South PCN",
    }
