"""The trend chart drawn on the server as SVG coordinates (no JavaScript, nothing downloaded): one
line per target, its actual per year against a dashed goal line, 0–100 for percentages."""

from decimal import Decimal

PALETTE = ("#b3261e", "#174ea6", "#1e6b35", "#8a5300", "#6a1b9a", "#00626e", "#5d4037", "#37474f")
WIDTH, HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 640, 260, 44, 12, 36, 16


def trend_chart(series: list[dict], years: list[int]) -> dict | None:
    """`series`: [{"label", "points": [(year, actual or None)], "goal"}]; None when nothing to draw."""
    values = [v for s in series for _, v in s["points"] if v is not None]
    if not values or not years:
        return None
    top = max(Decimal(100), max(values), *[s["goal"] for s in series if s["goal"] is not None])
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM

    def x(year):
        return LEFT + (span_x * (years.index(year)) / max(1, len(years) - 1) if len(years) > 1 else span_x / 2)

    def y(value):
        return TOP + span_y * (1 - float(value) / float(top))

    lines = []
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        pts = [(round(x(yr), 1), round(y(v), 1), yr, v) for yr, v in s["points"] if v is not None]
        lines.append({"label": s["label"], "colour": colour, "points": pts,
                      "path": " ".join(f"{px},{py}" for px, py, _, _ in pts),
                      "goal_y": round(y(s["goal"]), 1) if s["goal"] is not None else None})
    ticks = [{"y": round(y(top * k / 4), 1), "label": f"{float(top * k / 4):g}".replace(".", ",")} for k in range(5)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "lines": lines, "ticks": ticks,
            "years": [{"x": round(x(yr), 1), "label": yr} for yr in years], "base": HEIGHT - BOTTOM + 18}
