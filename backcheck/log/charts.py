"""Charts as PNG bytes (matplotlib's Agg canvas, no pyplot state) and as JSON series.

PNG for the terminal's `--out DIR` and for pages without JavaScript; the JSON series carry the
same numbers for the web app's interactive charts.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from backcheck.errors import InputError
from backcheck.log.analytics.report import LogReport

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_LIFTS = 6
SIZE = (9, 4)


def _days(dates: list[str]) -> np.ndarray:
    return np.array(dates, dtype="datetime64[D]")


def _figure() -> Figure:
    """A figure on the Agg canvas; matplotlib is imported only when a chart is drawn (it costs
    ~30 MB and a few hundred ms that imports, reports and the web app's other pages don't need)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZE)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return buf.getvalue()


def spinal_load_png(rep: LogReport) -> bytes:
    """Weekly spinal load as bars, with a marker on each day a symptom was logged."""
    fig = _figure()
    ax = fig.add_subplot()
    weeks, load = _days(rep.spinal["weeks"]), np.array(rep.spinal["load"], dtype=float)
    ax.bar(weeks, load, width=6, align="edge", color="#4a78a8", label="spinal load per week")
    sym = _days(rep.spinal["symptom_dates"])
    if sym.size:
        top = float(load.max()) if load.size else 1.0
        ax.plot(sym, np.full(sym.size, top * 1.05), "v", color="#c0392b", label="symptom")
    ax.set_ylabel("kg x reps x exercise weight")
    ax.set_title("Weekly spinal load")
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    return _png(fig)


def ratio_png(rep: LogReport) -> bytes:
    """EWMA and uncoupled acute:chronic ratios with the usual band shaded."""
    fig = _figure()
    ax = fig.add_subplot()
    days = _days(rep.ratio["dates"])
    lo, hi = rep.ratio["band"]
    ax.axhspan(lo, hi, color="#dfeedd", label=f"usual band {lo}-{hi}")
    for key, style in (("ewma", "-"), ("uncoupled", "--")):
        y = np.array([np.nan if v is None else v for v in rep.ratio[key]], dtype=float)
        ax.plot(days, y, style, linewidth=1, label=f"{key} ratio")
    ax.set_ylim(0, 2.5)
    ax.set_title("Acute:chronic spinal-load ratio (descriptive, not a risk score)")
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    return _png(fig)


def e1rm_png(rep: LogReport) -> bytes:
    """Best estimated 1RM per session for the main lifts."""
    fig = _figure()
    ax = fig.add_subplot()
    shown = [lift for lift in rep.lifts if lift["e1rm"]["kg"]][:MAX_LIFTS]
    for lift in shown:
        ax.plot(
            _days(lift["e1rm"]["dates"]),
            lift["e1rm"]["kg"],
            ".-",
            markersize=3,
            linewidth=1,
            label=lift["name"],
        )
    ax.set_ylabel("kg (Epley)")
    ax.set_title("Estimated 1RM per lift")
    if shown:
        ax.legend(loc="upper left", fontsize="small")
    fig.autofmt_xdate()
    return _png(fig)


CHARTS = {"spinal_load.png": spinal_load_png, "ratio.png": ratio_png, "e1rm.png": e1rm_png}


def write_charts(rep: LogReport, out_dir: Path) -> list[Path]:
    """Write every chart into `out_dir` (created if missing); returns the paths."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create chart folder {out_dir}: {exc.strerror}") from exc
    paths = []
    for name, draw in CHARTS.items():
        path = out_dir / name
        path.write_bytes(draw(rep))
        paths.append(path)
    return paths


def chart_series(rep: LogReport) -> dict[str, Any]:
    """The numbers behind the charts, for interactive charts in the web app."""
    return {
        "spinal_load": {
            "weeks": rep.spinal["weeks"],
            "load": rep.spinal["load"],
            "symptom_dates": rep.spinal["symptom_dates"],
        },
        "ratio": {k: rep.ratio[k] for k in ("dates", "ewma", "uncoupled", "band")},
        "e1rm": [
            {"exercise": lift["exercise"], "name": lift["name"], **lift["e1rm"]}
            for lift in rep.lifts
            if lift["e1rm"]["kg"]
        ],
    }
