"""The shipped guidance, letters and every other text of the project are in its own words: no
run of 8 words repeats the patient leaflet. The leaflet is held only as hashes of its runs
(tests/leaflet-runs.sha256), so the check needs nothing beside the project."""

import pytest

from tests import own_words
from tracker.cases.letters.defaults import DEFAULT_LETTERS
from tracker.guidance.defaults import DEFAULT_TEXTS

SYNTHETIC_LEAFLET = (
    "Ask the practice for another doctor to look again at what was decided, and the practice "
    "will write back within a fortnight to say who that doctor will be."
)


def synthetic_hashes() -> frozenset[str]:
    """A hash file made, as `make own-words-hashes` makes one, from a made-up leaflet."""
    return frozenset(
        line
        for line in own_words.hash_file_text(SYNTHETIC_LEAFLET).splitlines()
        if not line.startswith("#")
    )


def test_the_hash_file_is_in_the_project_and_holds_no_words():
    hashes = own_words.load_hashes()
    assert len(hashes) > 100  # a leaflet of a few hundred words
    assert all(len(h) == 64 and set(h) <= set("0123456789abcdef") for h in hashes)


def test_a_run_copied_from_the_leaflet_is_caught_however_it_is_typed():
    copied = (
        "Staff note. Ask the  practice for ANOTHER doctor to look again at what was decided, "
        "then carry on."
    )
    assert own_words.copied_runs(copied, synthetic_hashes()) == [
        "ask the practice for another doctor to look again at what was decided"
    ]


def test_a_run_of_seven_words_or_the_same_words_reworded_pass():
    ours = (
        "Ask the practice for another doctor to. The practice asks a different doctor "
        "to look again at the decision."
    )
    assert own_words.copied_runs(ours, synthetic_hashes()) == []


def test_the_regenerated_file_matches_the_check():
    text = own_words.hash_file_text(SYNTHETIC_LEAFLET)
    assert SYNTHETIC_LEAFLET.split()[0] not in text  # hashes only, never the leaflet's words
    assert own_words.run_hashes(SYNTHETIC_LEAFLET) == synthetic_hashes()


SHIPPED = {f"guidance-{topic}": text for topic, text in DEFAULT_TEXTS.items()} | {
    f"letter-{kind}": text for kind, text in DEFAULT_LETTERS.items()
}


@pytest.mark.parametrize("name", list(SHIPPED))
def test_no_shipped_guidance_or_letter_copies_the_leaflet(name):
    assert own_words.copied_runs(SHIPPED[name], own_words.load_hashes()) == []


def test_no_file_of_the_project_copies_the_leaflet():
    hashes = own_words.load_hashes()
    files = list(own_words.project_files())
    assert any(path.name == "defaults.py" for path in files)  # the texts are among them
    copied = {
        str(path.relative_to(own_words.ROOT)): found
        for path in files
        if (found := own_words.copied_runs(path.read_text(errors="replace"), hashes))
    }
    assert copied == {}, "rewrite these for staff in the project's own words"
