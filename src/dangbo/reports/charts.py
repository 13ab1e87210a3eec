"""Server-side SVG bar charts of the statistics (no script, nothing from a CDN): one horizontal bar per
value, its length the share of the total, the count and share written beside it."""

from dangbo.core.numbers import vn_number, vn_percent
from dangbo.reports import rules, tables

CHARTED = ("by_sex", "by_age_band", "by_party_age_band", "by_theory_level")
WIDTH, LABEL, BAR, ROW = 360, 110, 150, 26
COLOURS = ("#1f5f99", "#b23b3b", "#3d7d3d", "#8a5a00", "#5b4a9e", "#006d77", "#7a4e2d")


def charts(report: dict) -> list[dict]:
    total = report["total"]
    titles = dict(rules.BREAKDOWNS)
    out = []
    for name in CHARTED:
        counts = report[name]
        keys = [k for k in tables._ordered(name, counts) if counts.get(k)] or tables._ordered(name, counts)[:1]
        bars = []
        for i, k in enumerate(keys):
            n = counts.get(k, 0)
            w = round(BAR * n / total, 1) if total else 0
            bars.append({"label": tables._label(name, k), "n": vn_number(n),
                         "share": vn_percent(100 * n / total) if total else "—",
                         "y": i * ROW, "ty": i * ROW + 17, "w": w, "vx": LABEL + w + 6,
                         "colour": COLOURS[i % len(COLOURS)]})
        out.append({"title": titles[name], "bars": bars, "height": len(bars) * ROW, "width": WIDTH, "x": LABEL})
    return out
