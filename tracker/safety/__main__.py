"""`python -m tracker.safety` (`make safety-case`): check the hazard log and write the hazard
log and the clinical safety case report (Markdown and PDF) into docs/safety/."""

import sys

from tracker.safety.documents import write_all
from tracker.safety.hazards import load, problems


def main() -> int:
    log = load()
    found = problems(log)
    if found:
        print("The hazard log is not ready:", *found, sep="\n  ", file=sys.stderr)
        return 1
    for path in write_all(log):
        print(f"Wrote {path.relative_to(path.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
