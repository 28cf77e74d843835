"""The stylesheet the charts need."""

from __future__ import annotations

from typing import Final

__all__ = ["CHART_CSS"]

CHART_CSS: Final = """\
.chart { margin: 0 0 4mm; max-width: 190mm; break-inside: avoid; page-break-inside: avoid;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.chart figcaption { font-weight: bold; color: #003087; margin: 0 0 1mm; }
.chart .chart-svg { display: block; width: 100%; height: auto; overflow: visible; }
.chart.compact { max-width: 120mm; }
.chart.score-history { max-width: 100mm; }
.chart .chart-no-data { margin: 0; padding: 3mm; border: 1px dashed #aeb7bd; color: #4c6272; }
.mdc-icon { display: inline-block; width: 2.4em; height: 2.4em; vertical-align: middle; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
"""
"""The stylesheet the charts need; the report's stylesheet includes it."""
