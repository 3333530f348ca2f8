"""Numbers the way a reader in each language expects them: EUR 1,234,000 (en), EUR 1.234.000 (nl).

The one place numbers become text, for the command line, the figures and the report; and
:func:`plain`, which makes a label from a config safe to print on a terminal.
"""
from __future__ import annotations

import math
import re

from .texts import check_lang

_LINE_BREAKS = re.compile(r"\r\n|[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text, *, keep_breaks: bool = False) -> str:
    """Return ``text`` safe to print as part of one line on a terminal: a line break or tab
    becomes a space, any other control character (ESC of a terminal escape code, a C1 code, a
    bidirectional override) its visible escape (``\\x1b``, ``\\u202e``); printable Unicode stays.
    A label from a config cannot move the cursor, colour the screen or start a fake line.
    ``keep_breaks``: tabs and line breaks stay (a CSV cell, quoted, keeps them as data)."""
    text = str(text)
    if text.isascii() and text.isprintable():
        return text
    if keep_breaks:
        return _CONTROLS.sub(lambda m: m[0] if m[0] in "\t\n\r" else _visible(m[0]), text)
    text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS.sub(lambda m: _visible(m[0]), text)


def _visible(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def format_number(x: float, lang: str = "en", decimals: int = 0) -> str:
    """Return ``x`` with thousands separators: 1,234,567.8 (en) or 1.234.567,8 (nl); '-' when not finite."""
    if x is None or not math.isfinite(x):
        return "-"
    s = f"{x:,.{decimals}f}"
    if s.lstrip("-").strip("0.,") == "":  # -0 -> 0
        s = s.lstrip("-")
    if check_lang(lang) == "nl":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def format_eur(x: float, lang: str = "en", decimals: int = 0) -> str:
    """Return euros as EUR 1,234,000 (en) or EUR 1.234.000 (nl)."""
    return f"EUR {format_number(x, lang, decimals)}"


def format_thousands(x: float, lang: str = "en") -> str:
    """Return euros in thousands, rounded: 1,234 for EUR 1,234,000 ('-' when not finite, never '-0')."""
    return format_number(x / 1000 if x is not None and math.isfinite(x) else x, lang, 0)


def format_percent(p: float, lang: str = "en") -> str:
    """Return a share as a whole percentage ('68%')."""
    return "-" if p is None or not math.isfinite(p) else f"{100 * p:.0f}%"


def format_value(x: float, lang: str = "en") -> str:
    """Return a parameter's value with about three significant digits, in ``lang``'s style
    (0.561, 4,115, 12.5); '-' when not finite."""
    if x is None or not math.isfinite(x):
        return "-"
    if abs(x) >= 100 or x == round(x):
        return format_number(x, lang, 0)
    decimals = 2 if abs(x) >= 1 else 3
    s = format_number(x, lang, decimals)
    sep = "," if lang == "nl" else "."
    return s.rstrip("0").rstrip(sep) if sep in s else s


_DECIMALS = {"se": 2}
"""Decimals of a notice's values by name (the rest are whole numbers)."""
_AS_TYPED = {"need"}
"""Values a reader types on the command line: no thousands separators."""


def notice_text(notice, lang: str = "en") -> str:
    """Return a notice (``simsav.analysis.notices.Notice``) in ``lang``, its numbers in ``lang``'s style."""
    from .texts import text

    values = {k: format_number(v, lang, _DECIMALS.get(k, 0))
              if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in _AS_TYPED else v
              for k, v in notice.values.items()}
    return text(lang, "notices", notice.code, **values)
