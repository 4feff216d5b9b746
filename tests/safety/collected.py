"""Whether the tests a document names by pytest node id are ones `make test` collects: from
this run's own collection when it collected their files, else from a collection of those files
alone (a run of a few test files)."""

import functools
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from tests.conftest import COLLECTED

ROOT = Path(__file__).resolve().parents[2]


def is_collected(test: str, collected: set[str]) -> bool:
    """Whether a node id is among those collected: the test itself, or (named without its
    parameters) any of its parametrized cases."""
    return test in collected or any(node.startswith(test + "[") for node in collected)


@functools.cache
def _collected_elsewhere(files: frozenset[str]) -> frozenset[str]:
    done = subprocess.run(  # noqa: S603 - pytest on the project's own test files
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        + sorted(files),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return frozenset(line.strip() for line in done.stdout.splitlines() if "::" in line)


def not_collected(config, named: Iterable[str]) -> list[str]:
    """The node ids among `named` that pytest does not collect (renamed or removed tests)."""
    named = set(named)
    collected = config.stash.get(COLLECTED, set())
    files = {test.split("::")[0] for test in named}
    absent = frozenset(
        f
        for f in files
        if (ROOT / f).is_file() and not any(node.startswith(f + "::") for node in collected)
    )
    known = collected | (_collected_elsewhere(absent) if absent else set())
    return sorted(test for test in named if not is_collected(test, known))
