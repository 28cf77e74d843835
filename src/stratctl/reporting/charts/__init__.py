"""Inline SVG charts for the HTML Board papers: a measure over time, a BAF risk's score history,
and the Making Data Count variation and assurance icons.

Every chart is a `markupsafe.Markup` fragment that is well-formed XML: no script, no external
reference, no randomness. The same input always gives the same bytes: numbers are written with a
fixed number of decimals (needless zeros stripped), ids are the caller's prefix plus a fixed
suffix, and nothing depends on the clock, the locale or hash order.

Colour never carries meaning alone. A special-cause point has its own marker shape as well as its
Making Data Count colour; every line is labelled in words beside the plot; each chart has an svg
`<title>` and `<desc>` and, after the svg, a visually hidden table of every point for screen readers.
Sizes come from the viewBox, so a chart scales to its container; since its text scales too, a
measure chart for a table cell says `compact=True` (fewer units across, the same type size).

One job a module. What callers use:

- `model`: what a chart is given (`MeasureChart`, `Point`, `ScoreHistory` ...), checked on creation;
- `words`: the SPC, variation and assurance readings in words;
- `measure`: `measure_chart` and the `measure_axis` it draws;
- `score`: `score_history` and its `score_axis`;
- `icons`: the Making Data Count `variation_icon` and `assurance_icon`;
- `css`: `CHART_CSS`, the stylesheet the charts need.

And what the charts are drawn with: `svg` (escaped text, coordinates, the palette, text widths and
the shared svg elements), `timeline` (periods placed on the x axis), `axes` (the y axis and its
ticks) and `layout` (labels in the gutter, x positions and ticks).
"""
