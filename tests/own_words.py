"""The own-words check: no text in the project repeats the patient leaflet word for word.

The project holds the leaflet only as the sha256 of each run of RUN consecutive words
(tests/leaflet-runs.sha256), never its text. A run of the project's text whose hash is in that
file was copied from the leaflet. To make the file again from a copy of the leaflet:

    make own-words-hashes LEAFLET=path/to/second-opinion-leaflet.txt

(or `python -m tests.own_words path/to/second-opinion-leaflet.txt`).
"""

import hashlib
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

RUN = 8  # words: a shorter run is common phrasing, a longer one is copying
ROOT = Path(__file__).resolve().parents[1]
HASHES = ROOT / "tests" / "leaflet-runs.sha256"
TEXT_SUFFIXES = frozenset(
    {
        ".py",
        ".jinja",
        ".html",
        ".md",
        ".txt",
        ".json",
        ".yaml",
        ".yml",
        ".toml",
        ".csv",
        ".js",
        ".css",
    }
)
NOT_OURS = frozenset({".venv", "node_modules", ".git", "instance", "build", "dist"})


def words(text: str) -> list[str]:
    """The text's words, lower case, with a curly apostrophe read as a straight one."""
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def run_hash(run: Iterable[str]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()


def run_hashes(text: str, n: int = RUN) -> set[str]:
    """The hash of every run of n consecutive words of the text."""
    found = words(text)
    return {run_hash(found[i : i + n]) for i in range(len(found) - n + 1)}


def hash_file_text(text: str, n: int = RUN) -> str:
    """The hash file for this leaflet text: a comment saying what it is, then sorted hashes."""
    lines = [
        f"# sha256 of each run of {n} words of the patient leaflet, as tests/own_words.py",
        "# normalises them. Made by `make own-words-hashes LEAFLET=...`: do not edit.",
        *sorted(run_hashes(text, n)),
    ]
    return "\n".join(lines) + "\n"


def load_hashes(path: Path = HASHES) -> frozenset[str]:
    return frozenset(
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def copied_runs(text: str, hashes: frozenset[str], n: int = RUN) -> list[str]:
    """Each passage of the text made of runs whose hashes are in `hashes`, as its words."""
    found = words(text)
    passages, i = [], 0
    while i <= len(found) - n:
        if run_hash(found[i : i + n]) in hashes:
            j = i + n
            while j < len(found) and run_hash(found[j - n + 1 : j + 1]) in hashes:
                j += 1
            passages.append(" ".join(found[i:j]))
            i = j
        else:
            i += 1
    return passages


def project_files(root: Path = ROOT) -> Iterator[Path]:
    """The project's text files: those git knows of (tracked, or new and not ignored), or
    every file outside the installed packages when the copy is not a git checkout."""
    listed = subprocess.run(  # noqa: S603 - git, with fixed arguments
        ["git", "-C", str(root), "ls-files", "-co", "--exclude-standard"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if listed.returncode == 0:
        paths = (root / name for name in listed.stdout.splitlines())
    else:
        paths = (
            path
            for path in root.rglob("*")
            if not NOT_OURS.intersection(path.relative_to(root).parts)
        )
    for path in paths:
        if path.suffix in TEXT_SUFFIXES and path.is_file() and not path.is_symlink():
            yield path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("Usage: python -m tests.own_words LEAFLET\n")
        return 2
    leaflet = Path(argv[0])
    HASHES.write_text(hash_file_text(leaflet.read_text(encoding="utf-8", errors="replace")))
    sys.stdout.write(f"{HASHES.relative_to(ROOT)}: made from {leaflet}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
