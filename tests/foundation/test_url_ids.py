"""Every integer in a URL is bounded to the ids the database holds: a larger one answers 404 on
every route, whichever route it is and whether or not the route remembers to check."""

import re

import pytest

from tracker.types import MAX_ID

# A number beyond every integer column, one beyond SQLite's 64 bits and one beyond
# PostgreSQL's 32-bit "integer".
HUGE = ("99999999999999999999999", str(2**63), str(MAX_ID + 1))

PART = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def routes_with_an_id(app) -> list[tuple[str, str]]:
    """(rule, method) for every route with an <int:...> part, with the method it answers."""
    found = []
    for rule in app.url_map.iter_rules():
        if not any(m["converter"] == "int" for m in PART.finditer(rule.rule)):
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        found.append((rule.rule, method))
    return sorted(found)


def test_the_routes_with_an_id_are_all_found(app):
    """The test below covers each of these, and any route added later, by itself."""
    rules = {rule for rule, _ in routes_with_an_id(app)}
    assert {
        "/cases/<reference>/documents/<int:attachment_id>",
        "/cases/<reference>/letters/<int:letter_id>.pdf",
        "/admin/users/<int:user_id>",
        "/admin/mail/<int:message_id>/resend",
    } <= rules


@pytest.mark.parametrize("number", HUGE)
def test_an_id_beyond_the_database_answers_not_found_on_every_route(
    app, client, login_as, place_case, number
):
    reference = place_case()
    login_as("practice_manager")  # signs in `client`
    answers = {}
    for rule, method in routes_with_an_id(app):

        def filled(match, rule=rule):
            if match["converter"] == "int":
                return number
            if match["name"] == "reference":
                return reference
            if match["name"] == "kind":  # a network: a PCN (or an ICB)
                return "pcn"
            raise AssertionError(f"{rule}: say what to put in <{match['name']}> for this test")

        url = PART.sub(filled, rule)
        answers[url] = client.open(url, method=method).status_code
    assert answers and set(answers.values()) == {404}, answers


@pytest.mark.parametrize("url", ["/admin/mail?page={}", "/admin/audit?page={}", "/?page={}"])
def test_a_page_number_beyond_the_database_shows_the_last_page(client, login_as, url):
    login_as("practice_manager")
    response = client.get(url.format(HUGE[0]))
    assert response.status_code == 200
    assert "<h1" in response.get_data(as_text=True)
