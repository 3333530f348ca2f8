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
                "#AA4499", "#DDDDDD")
"""Paul Tol's 'muted' scheme for the items of the stacked bars (with hatches cycling beside it)."""
ITEM_HATCHES = ("", "///", "...", "xxx", "\\\\\\")

# --------------------------------------------------------------------------- axes in euros

def euro_formatter(lang: str = "en"):
    """Return a matplotlib FuncFormatter writing axis ticks as euros in ``lang``'s style."""
    from matplotlib.ticker import FuncFormatter

    check_lang(lang)
    return FuncFormatter(lambda x, _pos: format_eur(x, lang))


def percent_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{100 * x:.0f}%")


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


def one_axes(ax, width: float, height: float):
    """Return (figure, axes): ``ax`` and its figure when given, else a new Figure with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(width, height)
    return fig, fig.add_subplot()
