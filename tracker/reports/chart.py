"""The 12-month trend as an SVG drawn on the server: two bars a month, labelled, with a title
and description for screen readers (the data table beside it carries the same numbers)."""

from markupsafe import Markup, escape

from tracker.reports.figures import Month

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 20, 50
RECEIVED_COLOUR = "#005eb8"  # NHS blue
OUTCOME_COLOUR = "#009639"  # NHS green


def trend_svg(points: list[tuple[Month, int, int]]) -> Markup:
    """Grouped bars of requests received and outcomes recorded for each month."""
    peak = max([1] + [max(r, o) for _, r, o in points])
    step = max(1, -(-peak // 5))
    top = step * 5
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(points))
    bar = slot * 0.35
    parts = [
        f'<svg class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="trend-title trend-desc" '
        'xmlns="http://www.w3.org/2000/svg" font-family="Frutiger W01, Arial, sans-serif" font-size="12">',
        '<title id="trend-title">Requests received and outcomes recorded, month by month</title>',
        # Joined as text: adding plain text to Markup would escape the tags themselves.
        '<desc id="trend-desc">'
        + str(escape("; ".join(f"{m.label}: {r} received, {o} outcomes" for m, r, o in points)))
        + "</desc>",
    ]
    for tick in range(0, top + 1, step):
        y = TOP + plot_h - plot_h * tick / top
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde0"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#4c6272">{tick}</text>'
        )
    for i, (month, received, outcomes) in enumerate(points):
        x = LEFT + i * slot + slot * 0.15
        for offset, value, colour in (
            (0, received, RECEIVED_COLOUR),
            (bar, outcomes, OUTCOME_COLOUR),
        ):
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#212b32">{escape(month.short_label)}</text>'
        )
    legend_y = HEIGHT - 14
    parts.append(
        f'<rect x="{LEFT}" y="{legend_y - 10}" width="12" height="12" fill="{RECEIVED_COLOUR}"/>'
    )
    parts.append(f'<text x="{LEFT + 18}" y="{legend_y}" fill="#212b32">Requests received</text>')
    parts.append(
        f'<rect x="{LEFT + 160}" y="{legend_y - 10}" width="12" height="12" fill="{OUTCOME_COLOUR}"/>'
    )
    parts.append(f'<text x="{LEFT + 178}" y="{legend_y}" fill="#212b32">Outcomes recorded</text>')
    parts.append("</svg>")
    # Every value above is a number or passed through escape(), so the joined markup is safe.
    return Markup("".join(parts))  # noqa: S704
