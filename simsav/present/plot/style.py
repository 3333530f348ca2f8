"""What every simsav figure shares: party styles, euro axes, new Figures.

Kept apart from the figures themselves so that the result, sensitivity and sharing figures
(``plot/__init__``, ``plot/sensitivity``, ``plot/sharing``) draw parties and euros the same way
without importing one another.
Parties keep one style everywhere (:func:`party_style`): a colour from the Okabe-Ito palette
(safe for colour-blind readers) by the party's position in the Dataset, and a hatch, line
style and marker as well, so the figures still read when printed in grey. Figures are built
on ``matplotlib.figure.Figure`` rather than pyplot: no GUI backend needed, and a notebook
shows each figure once. matplotlib is imported inside the functions.
"""
from __future__ import annotations

import math

import numpy as np

from ..formats import format_eur, format_number, format_percent  # noqa: F401  (re-exported for the figures)
from ..texts import LANGS, check_lang  # noqa: F401

PARTY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
"""Okabe-Ito colours, in the order of the parties (blue, orange, bluish green, ...)."""
PARTY_HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++", "--")
PARTY_LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)), (0, (3, 1, 3, 4)))
PARTY_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
TOTAL_STYLE = {"color": "#000000", "hatch": "", "linestyle": "-", "marker": "h"}
"""All parties together: black."""

ITEM_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
                "#AA4499", "#EE7733", "#0077BB", "#BBBBBB", "#EE3377", "#FFAABB", "#BBCC33", "#663300")
"""Colours of the items of the stacked bars: Paul Tol's 'muted' scheme, then his 'vibrant' and
'light' colours that differ from those. Every item label gets a colour of its own while there
are colours left, and never one that an item in the same bar has (see ``costs_savings_bars``)."""
ITEM_HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "++", "--", "||", "**")
"""Hatches of the items, the second cue beside colour: items in one bar never share one, so
the bars still read when printed in grey."""

# --------------------------------------------------------------------------- text from a config

ELLIPSIS = "\u2026"


def literal(text) -> str:
    """Return ``text`` so that matplotlib draws it as it is, never as mathtext: the one place
    where user text is made safe for a figure.

    Outside ``$...$`` matplotlib gives no character a meaning but ``$`` (an even number of
    unescaped dollars switches a text to mathtext, where ``\\``, ``^``, ``_``, ``{`` and ``}``
    are commands and ``\\frac{1}{`` crashes the renderer). So every ``$`` is escaped (``\\$``,
    which matplotlib draws as ``$`` in a text with no unescaped dollar), and with no unescaped
    dollar the other specials stay plain characters. Characters that are not printable (a
    tab, a NUL, terminal escape codes) become spaces; newlines are kept.

    Every text that comes from a config or a Dataset (party names, item labels, titles,
    parameter names and labels, dates) goes through here, or through :func:`label`, before it
    is drawn (titles, legends, tick labels, annotations): a party called ``UWV $\\frac{1}{$``
    must not crash a figure nor turn into a formula. Texts from ``texts.py`` are plain already.
    """
    s = "".join(c if c.isprintable() or c == "\n" else " " for c in str(text))
    return s.replace("$", r"\$")


def label(text, width: int | None = 22, lines: int | None = 3) -> str:
    """Return ``text`` wrapped at ``width`` characters (long words broken too), cut to ``lines``
    lines with an ellipsis, and :func:`literal`: how a name from a config is drawn.

    Words are kept whole up to twice ``width`` (a long Dutch compound reads better whole on
    one line than split); longer ones are broken. Newlines in
    ``text`` count as spaces (a name is wrapped to fit, not where it was typed).
    A text that would start with ``_`` gets a hair space in front: matplotlib leaves labels
    starting with ``_`` out of a legend.
    """
    import textwrap

    s = "".join(c if c.isprintable() else " " for c in str(text)).strip()
    if width:
        rows = []
        for row in textwrap.wrap(s, width, break_long_words=False) or [s]:
            rows += textwrap.wrap(row, width, break_long_words=True) if len(row) > 2 * width else [row]
    else:
        rows = [s]
    if lines and len(rows) > lines:
        rows = rows[:lines]
        rows[-1] = rows[-1][: max(1, (width or len(rows[-1])) - 1)].rstrip() + ELLIPSIS
    s = "\n".join(rows)
    if s.startswith("_"):
        s = "\u200a" + s
    return literal(s)


# --------------------------------------------------------------------------- axes in euros

def euro_formatter(lang: str = "en"):
    """Return a matplotlib FuncFormatter writing axis ticks as euros in ``lang``'s style."""
    from matplotlib.ticker import FuncFormatter

    check_lang(lang)
    return FuncFormatter(lambda x, _pos: format_eur(x, lang))


def euro_axis(axis, lang: str = "en", fontsize: float = 8, max_ticks: int = 8) -> None:
    """Write ``axis`` (an x or y axis) in euros, with no more ticks than fit: on an x axis the
    number of ticks follows the axis' width and the length of the labels, so neighbouring
    euro labels (EUR -1,250,000) never run into each other, in either language."""
    check_lang(lang)
    axis.set_major_locator(_fitting_locator(lang, fontsize, max_ticks))
    axis.set_major_formatter(euro_formatter(lang))
    axis.set_tick_params(labelsize=fontsize)


def _fitting_locator(lang: str, fontsize: float, max_ticks: int):
    from matplotlib.ticker import MaxNLocator

    class FittingLocator(MaxNLocator):
        """MaxNLocator whose number of bins leaves room for each euro label on an x axis."""

        def tick_values(self, vmin, vmax):
            axis = self.axis
            if axis is None or getattr(axis, "axis_name", "") != "x" or axis.axes is None or vmax == vmin:
                return super().tick_values(vmin, vmax)
            from matplotlib.font_manager import FontProperties
            from matplotlib.textpath import text_to_path

            prop = FontProperties(size=fontsize)
            px_per_unit = axis.axes.bbox.width / abs(vmax - vmin)
            points_to_px = axis.get_figure(root=True).dpi / 72
            lo, hi = sorted((vmin, vmax))
            # the most ticks whose labels, measured in the axis' font, leave a gap of at least
            # a quarter of the widest label between neighbours
            for nbins in range(max_ticks, 0, -1):
                self.set_params(nbins=nbins)
                ticks = super().tick_values(vmin, vmax)
                shown = [v for v in ticks if lo - 1e-9 * (hi - lo) <= v <= hi + 1e-9 * (hi - lo)]
                if len(shown) < 2:
                    return ticks
                widest = max(text_to_path.get_text_width_height_descent(format_eur(v, lang), prop, ismath=False)[0]
                             for v in shown) * points_to_px
                if abs(ticks[1] - ticks[0]) * px_per_unit >= 1.25 * widest:
                    return ticks
            # even the fewest bins crowd the axis: keep every k-th tick, 0 among them
            k = math.ceil(1.25 * widest / (abs(ticks[1] - ticks[0]) * px_per_unit))
            zero = int(np.argmin(np.abs(ticks)))
            return ticks[zero % k::k]

    return FittingLocator(nbins=max_ticks, steps=[1, 2, 2.5, 5, 10])


def percent_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{100 * x:.0f}%")


def number_formatter(lang: str = "en"):
    """Return a tick formatter for plain numbers (a probability, a number of months) in
    ``lang``'s style: matplotlib's own choice of digits, with a decimal comma in Dutch (0,25)."""
    from matplotlib.ticker import ScalarFormatter

    check_lang(lang)

    class LangFormatter(ScalarFormatter):
        def __call__(self, x, pos=None):
            return _decimal_style(super().__call__(x, pos), lang)

        def get_offset(self):
            return _decimal_style(super().get_offset(), lang)

    formatter = LangFormatter(useOffset=False)
    formatter.set_powerlimits((-4, 6))
    return formatter


def _decimal_style(s: str, lang: str) -> str:
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "nl" else s


def number_axis(axis, lang: str = "en", fontsize: float | None = None) -> None:
    """Write ``axis`` (plain numbers) in ``lang``'s style (see :func:`number_formatter`)."""
    axis.set_major_formatter(number_formatter(lang))
    if fontsize:
        axis.set_tick_params(labelsize=fontsize)


# --------------------------------------------------------------------------- parties

def party_style(position: int) -> dict:
    """Return the style of the party at ``position`` in the Dataset: colour, hatch, linestyle, marker."""
    k = position % len(PARTY_COLOURS)
    return {"color": PARTY_COLOURS[k], "hatch": PARTY_HATCHES[k], "linestyle": PARTY_LINESTYLES[k],
            "marker": PARTY_MARKERS[k]}


def party_names(ds, names=None) -> dict[str, str]:
    """Return display names per party id: from ``names`` (a dict or a Config), the Dataset's
    ``party_name`` coordinate, or the ids themselves."""
    ids = [str(p) for p in ds["party"].values]
    if names is not None and hasattr(names, "parties"):
        names = {p.id: p.name for p in names.parties}
    if names is None and "party_name" in ds.coords:
        names = dict(zip(ids, (str(n) for n in ds["party_name"].values)))
    names = names or {}
    return {p: str(names.get(p, p)) for p in ids}


def party_styles(ds) -> dict[str, dict]:
    """Return the style of each party of ``ds`` by id (see :func:`party_style`)."""
    return {str(p): party_style(k) for k, p in enumerate(ds["party"].values)}


# --------------------------------------------------------------------------- helpers

def new_figure(width: float, height: float):
    """Return a new constrained-layout Figure (no pyplot, so nothing stays registered)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def panel_grid(n: int, extra_height: float = 0.8):
    """Return (figure, axes, columns) of ``n`` panels, one per party (or series): two columns (one
    for a single panel), 2.9 inches a row plus ``extra_height`` for titles and legend; the axes in
    one flat array, the spare ones hidden."""
    import math

    ncols = 1 if n == 1 else 2
    nrows = math.ceil(n / ncols)
    fig = new_figure(11.0 if ncols == 2 else 7.0, 2.9 * nrows + extra_height)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for a in axes[n:]:
        a.set_visible(False)
    return fig, axes, ncols


def one_axes(ax, width: float, height: float):
    """Return (figure, axes): ``ax`` and its figure when given, else a new Figure with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(width, height)
    return fig, fig.add_subplot()
