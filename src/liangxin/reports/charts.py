"""Charts for the documents: matplotlib on the Agg backend, Chinese text in a Noto CJK font.

The font is looked up through matplotlib's font manager, never by a file path, so whatever
Debian's fonts-noto-cjk (scripts/setup-system.sh) put on the machine is found. Without a CJK font
matplotlib would draw boxes (tofu) for every Chinese character, so we refuse instead.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Noto Sans CJK JP", "Noto Serif CJK JP")
EXPECTED_COLOUR = "#8c8c8c"
ACTUAL_COLOUR = "#c0392b"


class ChartFontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def cjk_font() -> font_manager.FontProperties:
    """The first installed Noto CJK family; a clear error when there is none."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return font_manager.FontProperties(family=family)
    raise ChartFontMissing(
        "No Chinese font for the charts: install Debian's fonts-noto-cjk (scripts/setup-system.sh) "
        "so that matplotlib finds “Noto Sans CJK SC” or “Noto Serif CJK SC”."
    )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def trajectory_chart(panels: list[dict], *, dpi: int = 150) -> bytes:
    """A PNG of small multiples, one panel per indicator: the expected trajectory against actual.

    Each panel is {"title", "unit", "labels": [...], "expected": [...], "actual": [...]} with
    Decimal or None values (a gap where nothing is expected or reported).
    """
    font = cjk_font()
    count = max(1, len(panels))
    cols = 1 if count == 1 else 2
    rows = (count + cols - 1) // cols
    fig = Figure(figsize=(7.2 if cols == 2 else 6.0, 2.9 * rows), dpi=dpi)
    axes = fig.subplots(rows, cols, squeeze=False)
    for index, ax in enumerate(axes.flat):
        if index >= len(panels):
            ax.set_visible(False)
            continue
        panel = panels[index]
        xs = list(range(len(panel["labels"])))
        expected = [_float(v) for v in panel["expected"]]
        actual = [_float(v) for v in panel["actual"]]
        ax.plot(
            xs,
            [float("nan") if v is None else v for v in expected],
            color=EXPECTED_COLOUR,
            linestyle="--",
            linewidth=1.4,
            label="序时进度",
        )
        ax.plot(
            xs,
            [float("nan") if v is None else v for v in actual],
            color=ACTUAL_COLOUR,
            marker="o",
            markersize=2.5,
            linewidth=1.6,
            label="实际完成",
        )
        title = panel["title"] if len(panel["title"]) <= 16 else panel["title"][:15] + "…"
        unit = f"（{panel['unit']}）" if panel.get("unit") else ""
        ax.set_title(title + unit, fontproperties=font, fontsize=9)
        step = max(1, len(xs) // 6)
        ticks = xs[::step]
        if xs and ticks[-1] != xs[-1]:
            ticks.append(xs[-1])
        ax.set_xticks(ticks)
        ax.set_xticklabels([panel["labels"][i] for i in ticks], fontproperties=font, fontsize=7, rotation=30)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(True, linewidth=0.4, alpha=0.5)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(prop=font_manager.FontProperties(family=font.get_family(), size=7), frameon=False, loc="best")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()
