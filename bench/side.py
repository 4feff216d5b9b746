"""The bench's work that needs the app's own code, done for another checkout of the app.

bench-compare measures two checkouts with one bench: this script runs in a process that imports
`tracker` from the checkout given first (its models and app factory, matching its migrations)
and `bench` from this bench, so both sides get the same generated data and the same counting.

    python bench/side.py <checkout> generate <database url> '{"n": 10000, "now": "..."}'
    python bench/side.py <checkout> count <database url> '{"emails": {...}, "pages": {...}}'

It prints one line of JSON: what was generated, or the statements counted per page.
"""

import dataclasses
import importlib.util
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def dumps(value) -> str:
    def plain(v):
        if isinstance(v, datetime):
            return v.isoformat()
        if isinstance(v, set):
            return sorted(v)
        raise TypeError(f"not JSON: {type(v)}")

    return json.dumps(value, default=plain)


def loads(line: str):
    return json.loads(line)


def generated_as_dict(generated) -> dict:
    found = {f.name: getattr(generated, f.name) for f in dataclasses.fields(generated)}
    found.update({k: dict(v) for k, v in found.items() if isinstance(v, Counter)})
    found["staff"] = dataclasses.asdict(generated.staff)
    return found


def generated_from_dict(found: dict):
    from bench.generate import Generated, Staff

    staff = found.pop("staff")
    analysed = found.pop("analyse_seconds", 0.0)
    generated = Generated(**found)
    for name in ("stages", "routes", "outcomes", "reviewers", "years"):
        setattr(generated, name, Counter(getattr(generated, name)))
    generated.staff = Staff(**{**staff, "two_factor": set(staff["two_factor"])})
    generated.analyse_seconds = analysed
    return generated


def _generate(url: str, arguments: dict) -> dict:
    from bench.server import fill

    now = datetime.fromisoformat(arguments["now"]) if arguments.get("now") else None
    generated, analysed = fill(url, arguments["n"], now)
    return {**generated_as_dict(generated), "analyse_seconds": analysed}


def _count(url: str, arguments: dict) -> dict:
    from bench.measure import Pages, count_statements

    pages = Pages(**arguments["pages"])
    return count_statements(url, arguments["emails"], pages, arguments.get("downloads", True))


def _use_checkout(root: Path) -> None:
    """`tracker` (and `wsgi`) from the checkout, `bench` from this bench."""
    sys.path[0] = str(root)
    spec = importlib.util.spec_from_file_location(
        "bench", BENCH / "__init__.py", submodule_search_locations=[str(BENCH)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = package
    spec.loader.exec_module(package)


def main(argv: list[str]) -> int:
    root, command, url, arguments = Path(argv[0]).resolve(), argv[1], argv[2], loads(argv[3])
    _use_checkout(root)
    found = {"generate": _generate, "count": _count}[command](url, arguments)
    print(dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
