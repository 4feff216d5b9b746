"""The documents made from the hazard log: the hazard log itself and the clinical safety case
report as Markdown in docs/safety/, and the report as a PDF through the tracker's own PDF
path. `make safety-case` writes them; tests/safety/test_hazard_log.py fails when they are not
what the log makes now."""

from pathlib import Path

from markdown_it import MarkdownIt

from tracker.pdf import pdf_of_html
from tracker.safety.hazards import (
    HIGHEST_ACCEPTED,
    LIKELIHOODS,
    MATRIX,
    RISK_MEANING,
    SAFETY_DIR,
    SEVERITIES,
    Hazard,
    HazardLog,
)

HAZARD_LOG_MD = SAFETY_DIR / "hazard-log.md"
REPORT_MD = SAFETY_DIR / "clinical-safety-case-report.md"
REPORT_PDF = SAFETY_DIR / "clinical-safety-case-report.pdf"

MADE_BY = (
    "Made by `make safety-case` from `docs/safety/hazards.yaml`: edit the YAML, not this file."
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _risk(hazard: Hazard, when: str) -> str:
    assessed = hazard.before if when == "before" else hazard.after
    return f"{assessed.risk} ({assessed.severity.lower()}, {assessed.likelihood.lower()})"


def matrix_markdown() -> list[str]:
    lines = [
        "| Likelihood \\ severity | " + " | ".join(SEVERITIES) + " |",
        "|---|" + "---|" * len(SEVERITIES),
    ]
    for likelihood in reversed(list(MATRIX)):
        lines.append(f"| {likelihood} | " + " | ".join(map(str, MATRIX[likelihood])) + " |")
    lines += ["", "| Risk | What it means |", "|---|---|"]
    lines += [f"| {level} | {meaning} |" for level, meaning in sorted(RISK_MEANING.items())]
    lines += ["", "| Severity | What it means here |", "|---|---|"]
    lines += [f"| {name} | {meaning} |" for name, meaning in SEVERITIES.items()]
    lines += ["", "| Likelihood | What it means |", "|---|---|"]
    lines += [f"| {name} | {meaning} |" for name, meaning in LIKELIHOODS.items()]
    return lines


def summary_markdown(log: HazardLog) -> list[str]:
    lines = [
        "| Hazard | Risk before controls | Residual risk | Status |",
        "|---|---|---|---|",
    ]
    for hazard in log.hazards:
        lines.append(
            f"| {hazard.id} {_cell(hazard.title)} | {_risk(hazard, 'before')} | "
            f"{_risk(hazard, 'after')} | {hazard.status} |"
        )
    return lines


def hazard_markdown(hazard: Hazard) -> list[str]:
    lines = [f"### {hazard.id} {hazard.title}", "", "**Causes**", ""]
    lines += [f"- {cause}" for cause in hazard.causes]
    lines += ["", f"**Effect on the patient.** {hazard.effect}", ""]
    lines += [f"**Before controls:** risk {_risk(hazard, 'before')}.", "", "**Controls**", ""]
    for number, control in enumerate(hazard.controls, start=1):
        lines.append(f"{number}. {control.control}")
        lines += [f"   - proved by `{test}`" for test in control.tests]
    lines += ["", f"**Residual risk:** {_risk(hazard, 'after')}. Status: {hazard.status}."]
    if hazard.deploying_organisation:
        lines += ["", "**For the deploying organisation (DCB0160)**", ""]
        lines += [f"- {action}" for action in hazard.deploying_organisation]
    return lines + [""]


def hazard_log_markdown(log: HazardLog) -> str:
    lines = [
        f"# Clinical hazard log: {log.system}",
        "",
        MADE_BY,
        f"Log version {log.version}; source digest `{log.digest[:16]}`.",
        "",
        "Each hazard's controls name the tests that prove them. `make test` fails, naming the "
        "hazard, when a named test is renamed or removed (`tests/safety/test_hazard_log.py`).",
        "",
        "## Summary",
        "",
        *summary_markdown(log),
        "",
        "## Risk matrix (DCB0129)",
        "",
        *matrix_markdown(),
        "",
        "## Hazards",
        "",
    ]
    for hazard in log.hazards:
        lines += hazard_markdown(hazard)
    return "\n".join(lines).rstrip() + "\n"


def report_markdown(log: HazardLog) -> str:
    highest = max(hazard.after.risk for hazard in log.hazards)
    transferred = [h for h in log.hazards if h.deploying_organisation]
    lines = [
        f"# Clinical safety case report: {log.system}",
        "",
        MADE_BY,
        f"Log version {log.version}; source digest `{log.digest[:16]}`.",
        "",
        "## Purpose",
        "",
        "This report sets out the clinical safety case for the tracker under DCB0129: what it "
        "is for, how its clinical risks were managed, each hazard found and the risk left "
        "once its controls are in place. A deploying organisation uses it, with the hazard "
        "log (`hazard-log.md`), for its own assessment under DCB0160.",
        "",
        "## Intended use",
        "",
        log.intended_use,
        "",
        "## Scope",
        "",
        *[f"- {item}" for item in log.scope],
        "",
        "Out of scope:",
        "",
        *[f"- {item}" for item in log.out_of_scope],
        "",
        "## Clinical risk management plan in brief",
        "",
        "- **Hazard identification.** Each stage of the workflow (logging a request, "
        "assigning, reviewing, recording the outcome, letters, PALS, closing) and each thing "
        "around it (mail, documents, sign-in, practices sharing an install, retention, "
        "backups) was asked: what could go wrong for the patient here?",
        "- **Assessment.** Each hazard's severity and likelihood are judged before and after "
        "controls and read from the DCB0129 matrix below. A residual risk above "
        f"{HIGHEST_ACCEPTED} is not accepted for the tracker as built.",
        "- **Controls and evidence.** Every control names the automated tests that prove it. "
        "They run on SQLite and PostgreSQL with every change (`make test`), and the suite "
        "fails, naming the hazard, if a named test disappears.",
        "- **Keeping it current.** The log is data (`docs/safety/hazards.yaml`); this report "
        "and the hazard log are made from it by `make safety-case`, and a test fails when "
        "they differ from what the log makes. A change that adds a hazard adds it to the log "
        "in the same change.",
        "- **Sign-off.** The manufacturer's Clinical Safety Officer reviews the log and this "
        "report for each release; the deploying organisation names its own CSO and completes "
        "the block at the end.",
        "",
        "## Risk matrix",
        "",
        *matrix_markdown(),
        "",
        "## Hazards and residual risk",
        "",
        *summary_markdown(log),
        "",
        f"The highest residual risk is {highest}: {RISK_MEANING[highest]}",
        "",
    ]
    if transferred:
        lines += [
            "## What the deploying organisation must do",
            "",
            "Some controls rest on how a practice sets the tracker up and works with it. "
            "These carry over into the deploying organisation's DCB0160 assessment:",
            "",
        ]
        for hazard in transferred:
            lines += [f"- **{hazard.id} {hazard.title}**"]
            lines += [f"  - {action}" for action in hazard.deploying_organisation]
        lines.append("")
    lines += [
        "## Conclusion",
        "",
        f"Each of the {len(log.hazards)} hazards has controls proved by automated tests and a "
        f"residual risk of {HIGHEST_ACCEPTED} or below. The tracker is judged acceptably safe "
        "for its intended use, subject to the deploying organisation's actions above and its "
        "own DCB0160 assessment.",
        "",
        "## Sign-off (completed by the deploying organisation)",
        "",
        "| | |",
        "|---|---|",
        "| Deploying organisation | |",
        "| Clinical Safety Officer (name) | |",
        "| Professional registration (body and number) | |",
        "| Signature | |",
        "| Date | |",
        "| Hazard log version reviewed | " + log.version + " |",
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


_PRINT_STYLE = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4; }
h1 { font-size: 18pt; } h2 { font-size: 13pt; margin-top: 14pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
th, td { border: 1px solid #888; padding: 3pt 5pt; text-align: left; vertical-align: top; }
code { font-size: 8pt; overflow-wrap: anywhere; }
h3 { font-size: 11pt; margin-top: 12pt; }
"""


def report_html(log: HazardLog) -> str:
    """The report, with the hazard log's detail of each hazard after it, for the PDF."""
    appendix = ["## Appendix: the hazards in detail", ""]
    for hazard in log.hazards:
        appendix += hazard_markdown(hazard)
    text = report_markdown(log) + "\n" + "\n".join(appendix)
    body = MarkdownIt("commonmark").enable("table").render(text)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Clinical safety case report: {log.system}</title>"
        f"<style>{_PRINT_STYLE}</style></head><body>{body}</body></html>"
    )


def made(log: HazardLog) -> dict[Path, str]:
    """The Markdown documents, by where they are kept."""
    return {HAZARD_LOG_MD: hazard_log_markdown(log), REPORT_MD: report_markdown(log)}


def write_all(log: HazardLog) -> list[Path]:
    written = []
    for path, text in made(log).items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    REPORT_PDF.write_bytes(pdf_of_html(report_html(log)))
    return [*written, REPORT_PDF]
