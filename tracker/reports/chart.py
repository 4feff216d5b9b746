"""The 12-month trend as an SVG drawn on the server: two bars a month, labelled, with a title
and description for screen readers (the data table beside it carries the same numbers)."""

from markupsafe import Markup, escape

from tracker.reports.figures import Month

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 20, 50
# On a phone the chart is drawn narrower with larger text, so its words stay about 12 to 15
# pixels high from 320 px wide up; the month names turn to fit under their bars.
NARROW_WIDTH, NARROW_HEIGHT, NARROW_BOTTOM, NARROW_FONT = 360, 330, 80, 15
RECEIVED_COLOUR = "#005eb8"  # NHS blue
OUTCOME_COLOUR = "#009639"  # NHS green


def trend_svg(points: list[tuple[Month, int, int]]) -> Markup:
    """The chart twice: for wide screens and for phones (CSS shows one; the other is
    display: none, so a screen reader meets one chart)."""
    return trend_chart(points, "wide", WIDTH, HEIGHT, BOTTOM, 12) + trend_chart(
        points, "narrow", NARROW_WIDTH, NARROW_HEIGHT, NARROW_BOTTOM, NARROW_FONT
    )


def trend_chart(
    points: list[tuple[Month, int, int]], name: str, width: int, height: int, bottom: int, font: int
) -> Markup:
    """Grouped bars of requests received and outcomes recorded for each month."""
    peak = max([1] + [max(r, o) for _, r, o in points])
    step = max(1, -(-peak // 5))
    top = step * 5
    left = LEFT if font <= 12 else LEFT + 4
    plot_w, plot_h = width - left - RIGHT, height - TOP - bottom
    slot = plot_w / max(1, len(points))
    bar = slot * 0.35
    turned = name == "narrow"
    parts = [
        f'<svg class="app-chart app-chart--{name}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="trend-title-{name} trend-desc-{name}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="Frutiger W01, Arial, sans-serif" font-size="{font}">',
        f'<title id="trend-title-{name}">Requests received and outcomes recorded, month by month</title>',
        # Joined as text: adding plain text to Markup would escape the tags themselves.
        f'<desc id="trend-desc-{name}">'
        + str(escape("; ".join(f"{m.label}: {r} received, {o} outcomes" for m, r, o in points)))
        + "</desc>",
    ]
    for tick in range(0, top + 1, step):
        y = TOP + plot_h - plot_h * tick / top
        parts.append(
            f'<line x1="{left}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde0"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + font / 3:.1f}" text-anchor="end" fill="#4c6272">{tick}</text>'
        )
    for i, (month, received, outcomes) in enumerate(points):
        x = left + i * slot + slot * 0.15
        for offset, value, colour in (
            (0, received, RECEIVED_COLOUR),
            (bar, outcomes, OUTCOME_COLOUR),
        ):
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
        label_y = height - bottom + font + 4
        if turned:
            parts.append(
                f'<text x="{x + bar:.1f}" y="{label_y - 4}" text-anchor="end" fill="#212b32" '
                f'transform="rotate(-60 {x + bar:.1f} {label_y - 4})">{escape(month.short_label)}</text>'
            )
        else:
            parts.append(
                f'<text x="{x + bar:.1f}" y="{label_y}" text-anchor="middle" fill="#212b32">{escape(month.short_label)}</text>'
            )
    legend_y = height - 8
    second = left + (150 if font <= 12 else 165)
    parts.append(
        f'<rect x="{left}" y="{legend_y - font + 2}" width="{font}" height="{font}" fill="{RECEIVED_COLOUR}"/>'
    )
    parts.append(
        f'<text x="{left + font + 6}" y="{legend_y}" fill="#212b32">Requests received</text>'
    )
    parts.append(
        f'<rect x="{second}" y="{legend_y - font + 2}" width="{font}" height="{font}" fill="{OUTCOME_COLOUR}"/>'
    )
    parts.append(
        f'<text x="{second + font + 6}" y="{legend_y}" fill="#212b32">Outcomes recorded</text>'
    )
    parts.append("</svg>")
    # Every value above is a number or passed through escape(), so the joined markup is safe.
    return Markup("".join(parts))  # noqa: S704
