"""The printable summary as a real PDF, made without a browser (matplotlib's PDF backend).

A4 pages of wrapped text; no new dependency. Only the Figure API is used (no pyplot), so it is
safe to call from the server's worker threads.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from backcheck.web.summary import sections

A4 = (8.27, 11.69)
TOP, BOTTOM, LEFT = 0.95, 0.05, 0.08
LINE = 0.0165
WRAP = 95


def _lines(
    text: str | None, answers: dict[str, str], result: dict[str, Any], created: str
) -> list[tuple[str, str]]:
    """(style, text) lines: a title, headings and wrapped body text."""
    out = [("title", "backcheck summary for a physiotherapist or doctor"), ("gap", "")]
    for heading, body in sections(text, answers, result, created):
        out.append(("heading", heading))
        for line in body:
            wrapped = textwrap.wrap(line, WRAP) or [""]
            out.append(("body", "- " + wrapped[0]))
            out.extend(("body", "  " + more) for more in wrapped[1:])
        out.append(("gap", ""))
    return out


STYLE = {
    "title": {"fontsize": 14, "fontweight": "bold"},
    "heading": {"fontsize": 11, "fontweight": "bold"},
    "body": {"fontsize": 9},
    "gap": {"fontsize": 9},
}


def summary_pdf(
    text: str | None, answers: dict[str, str], result: dict[str, Any], created: str
) -> bytes:
    """The whole summary as PDF bytes, as many pages as it needs."""
    buffer = io.BytesIO()
    lines = _lines(text, answers, result, created)
    with PdfPages(buffer, metadata={"Title": "backcheck summary", "Creator": "backcheck"}) as pdf:
        page = 0
        while lines:
            fig = Figure(figsize=A4)
            y = TOP
            while lines and y > BOTTOM:
                style, line = lines.pop(0)
                fig.text(LEFT, y, line, family="DejaVu Sans", va="top", **STYLE[style])
                y -= LINE * (1.6 if style in ("title", "heading") else 1.0)
            page += 1
            fig.text(0.5, 0.02, f"Not a diagnosis. Page {page}", ha="center", fontsize=7)
            pdf.savefig(fig)
    return buffer.getvalue()
