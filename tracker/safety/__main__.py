"""`python -m tracker.safety` (`make safety-case`): check the hazard log and the data inventory,
then write the hazard log and the clinical safety case report (Markdown and PDF) into
docs/safety/, and the DPIA draft and the security controls into docs/dtac/."""

import sys

import tracker.models  # noqa: F401 - every table, for the data inventory's check
from tracker.extensions import db
from tracker.safety import dtac
from tracker.safety.documents import write_all
from tracker.safety.hazards import load, problems


def main() -> int:
    log = load()
    found = problems(log) + dtac.data_problems(dtac.load_data(), db.metadata)
    if found:
        print("Not ready:", *found, sep="\n  ", file=sys.stderr)
        return 1
    written = write_all(log)
    for path, text in dtac.made().items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for path in written:
        print(f"Wrote {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
