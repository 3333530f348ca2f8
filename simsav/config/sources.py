"""Where each number of a config comes from: the source comment the TOML text gives it, and its line.

Every number of a config carries its source in a comment (configs/*.toml). :func:`source_comments`
reads the text with tomlkit, a TOML parser that keeps comments and layout, and returns for every
number, by its path (the dotted path :func:`simsav.config.load.walk_numbers` gives it:
``items.jobcoaching.amount``, ``outcomes.streams.ww.placement_probability``,
``items.zorgkosten_zvw.state_factors.working.reductions.0``), the 1-based line it is written on and
its source: the first that is not empty of

1. its own trailing comment (the comment on its line);
2. the comment lines directly above it;
3. the comment block directly above its ``[table]`` header;
4. its section's comment: the comment block under the nearest ``# ---- title`` divider above it
   (six or more ``-`` or ``=``), prefixed with the title (``"title: block"``).

A blank line ends a block, and so does a divider. A distribution (``{ dist = ... }``) is one number.
A number inside a value written over several lines (a multi-line array, a split inline table) takes
the comments on the lines it spans, else the comment lines above it inside the value, else what its
key would get (the comment on the key's line or after the value, the lines above the key, 3, 4).

tomlkit gives no positions. Each section of the text (the top of the file, then each ``[header]`` to
the next) is rebuilt from the parsed items: ``as_string()`` of comments, whitespace and values, keys
with their separators, headers with the names they are written with; the sections are laid onto the
text in the order they are written there (tomlkit files a ``[[items]]`` entry written after another
table with its array) and must match it character for character. Inside a value (an inline table, an
array) the pieces are checked the same way; a value this cannot read piece by piece puts its numbers
on the line where it starts. A text tomlkit cannot lay back onto itself raises ValueError.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

__all__ = ["Source", "source_comments"]


@dataclass(frozen=True)
class Source:
    """Where one number of a config is written: its 1-based line, and its source comment ('' if none)."""

    line: int
    comment: str


def source_comments(text: str) -> dict[str, Source]:
    """Return the :class:`Source` of every number in a config's TOML ``text``, by its dotted path, in the
    order of the text.

    Raises ValueError when the text is not TOML, or (a bug to report) when tomlkit's items cannot be
    laid back onto the text.
    """
    if not text.strip():
        return {}
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as e:
        raise ValueError(f"invalid TOML: {e}") from None
    layout = _Layout(text)
    layout.read(doc)
    return layout.sources()


# --------------------------------------------------------------------------- rebuilding the text


class _Misfit(Exception):
    """Rebuilt text that differs from the text parsed (a value laid out otherwise than tomlkit renders it)."""


@dataclass
class _Number:
    """One number, its offsets relative to its section until the section is placed."""

    path: tuple
    start: int  # first character of its value
    end: int  # one past its last character
    key: int  # first character of the key it is written under (a [table]'s header for a table)
    key_end: int  # one past the key's value, trailing comment included
    key_comment: str  # the comment after the key's value
    from_header: bool = False  # a distribution written as its own [table]


@dataclass
class _Section:
    """The text from one [header] (or the top of the file) to the next, as the parsed items render it."""

    parts: list[str] = field(default_factory=list)
    size: int = 0
    comments: list[tuple[int, str]] = field(default_factory=list)
    headers: list[int] = field(default_factory=list)
    numbers: list[_Number] = field(default_factory=list)

    def add(self, piece: str) -> int:
        start = self.size
        self.parts.append(piece)
        self.size += len(piece)
        return start

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Layout:
    """Lays the items tomlkit parsed back onto the text, then reads each number's source off its lines."""

    def __init__(self, text: str):
        from tomlkit import items

        self.text = text
        self.items = items
        self.sections: list[_Section] = []
        self.comments: dict[int, tuple[str, bool]] = {}  # line -> (comment, alone on its line)
        self.headers: set[int] = set()
        self.numbers: list[_Number] = []
        self.newlines = []
        k = text.find("\n")
        while k >= 0:
            self.newlines.append(k)
            k = text.find("\n", k + 1)

    # ---- the sections of the document, rebuilt from its items

    def read(self, doc) -> None:
        top = _Section()
        self.sections.append(top)
        self._body(doc.body, (), top, "")
        self._place()

    def _body(self, body, path: tuple, sec: _Section, prefix: str) -> None:
        """Add a table's items to ``sec``; ``prefix`` is the dotted key written before them (``a.b.``)."""
        it = self.items
        for k, v in body:
            if k is None:  # a comment line, whitespace
                start = sec.add(v.as_string())
                if isinstance(v, it.Comment):
                    sec.comments.append((start + len(v.trivia.indent), v.trivia.comment))
            elif isinstance(v, it.AoT):
                for n, table in enumerate(v.body):
                    ident = table.get("id")  # [[parties]], [[streams]], [[items]]: named by their id
                    self._table(table, path + (k.key, ident if isinstance(ident, str) else n), "[[", "]]")
            elif isinstance(v, it.Table) and k.is_dotted():  # a.b = 1: a table `a` holding `b`
                first = len(sec.numbers)
                self._body(v.value.body, path + (k.key,), sec, f"{prefix}{k.as_string()}.")
                if "dist" in v and len(sec.numbers) > first:
                    inner = sec.numbers[first:]
                    del sec.numbers[first:]
                    sec.numbers.append(_Number(path + (k.key,), inner[0].key, inner[-1].key_end, inner[0].key,
                                               inner[-1].key_end, ""))
            elif isinstance(v, it.Table) and v.display_name is not None:
                self._table(v, path + (k.key,), "[", "]")
            elif isinstance(v, it.Table):  # a super table ([a.b] written without [a]): only tables inside
                self._body(v.value.body, path + (k.key,), sec, "")
            else:
                self._key_value(prefix + k.as_string(), k, v, path + (k.key,), sec)

    def _table(self, table, path: tuple, open_: str, close: str) -> None:
        """A [table] or an [[array]] entry: a new section, from its header as written."""
        sec = _Section()
        self.sections.append(sec)
        tv = table.trivia
        sec.add(f"{tv.indent}{open_}{table.display_name}{close}{tv.comment_ws}{tv.comment}{tv.trail}")
        header = len(tv.indent)
        sec.headers.append(header)
        if tv.comment:
            sec.comments.append((sec.size - len(tv.trail) - len(tv.comment), tv.comment))
        first = len(sec.numbers)
        self._body(table.value.body, path, sec, "")
        if "dist" in table:  # a distribution written as a table of its own: one number, at its header
            inner = sec.numbers[first:]
            del sec.numbers[first:]
            end = max((n.key_end for n in inner), default=header + 1)
            sec.numbers.append(_Number(path, header, end, header, end, tv.comment, from_header=True))

    def _key_value(self, key_text: str, k, v, path: tuple, sec: _Section) -> None:
        """``key = value  # comment``: the numbers in the value, and the comments after and inside it."""
        tv = v.trivia
        value = v.as_string()
        start = sec.add(f"{tv.indent}{key_text}{k.sep}{value}{tv.comment_ws}{tv.comment}{tv.trail}")
        key = start + len(tv.indent)
        at = key + len(key_text) + len(k.sep)
        if tv.comment:
            sec.comments.append((at + len(value) + len(tv.comment_ws), tv.comment))
        found: list[_Number] = []
        inner: list[tuple[int, str]] = []
        try:
            self._value(v, at, path, found, inner, value, at)
        except _Misfit:  # laid out in a way this reader does not know: every number at the value's start
            found, inner = [], []
            self._unplaced(v.unwrap(), at, at + len(value), path, found)
        for n in found:
            n.key, n.key_end, n.key_comment = key, sec.size, tv.comment
        sec.numbers.extend(found)
        sec.comments.extend(inner)

    @staticmethod
    def _take(piece: str, pos: int, src: str, origin: int) -> int:
        """Return where ``piece`` starts in a value's text ``src`` (written at offset ``origin``) at offset
        ``pos``, past the commas some tomlkit versions render between items rather than keep as items."""
        k = pos - origin
        while not src.startswith(piece, k) and src.startswith(",", k):
            k += 1
        if not src.startswith(piece, k):
            raise _Misfit
        return origin + k

    def _value(self, v, at: int, path: tuple, found: list[_Number], comments: list, src: str, origin: int) -> int:
        """Add the numbers in value ``v``, written at offset ``at``, to ``found`` and the comments inside it
        to ``comments``, checking each piece against ``src``; return the offset after the value."""
        it = self.items
        end = at + len(v.as_string())
        if isinstance(v, (it.Integer, it.Float)):
            found.append(_Number(path, at, end, 0, 0, ""))
        elif isinstance(v, it.InlineTable):  # a distribution is one number, the comments inside it its own
            dist = "dist" in v
            pos = self._inline(v.value.body, at + 1, path, "", [] if dist else found, comments, src, origin)
            if self._take("}", pos, src, origin) + 1 != end:
                raise _Misfit
            if dist:
                found.append(_Number(path, at, end, 0, 0, ""))
        elif isinstance(v, it.Array):
            groups = getattr(v, "_value", None)  # tomlkit's groups of (indent, value, comma, comment)
            if groups is None:
                raise _Misfit
            pos, n = at + 1, 0
            for group in groups:
                for x in group:
                    start = self._take(x.as_string(), pos, src, origin)
                    if isinstance(x, it.Comment):
                        comments.append((start + len(x.trivia.indent), x.trivia.comment))
                    if isinstance(x, (it.Comment, it.Whitespace, it.Null)):
                        pos = start + len(x.as_string())
                    else:
                        pos = self._value(x, start, path + (n,), found, comments, src, origin)
                        n += 1
            if self._take("]", pos, src, origin) + 1 != end or n != len(v):
                raise _Misfit
        return end

    def _inline(self, body, pos: int, path: tuple, prefix: str, found: list[_Number], comments: list, src: str,
                origin: int) -> int:
        """The items of an inline table from offset ``pos``; return the offset after them."""
        it = self.items
        for k, x in body:
            if k is None:
                start = self._take(x.as_string(), pos, src, origin)
                if isinstance(x, it.Comment):
                    comments.append((start + len(x.trivia.indent), x.trivia.comment))
                pos = start + len(x.as_string())
            elif isinstance(x, it.Table):  # { a.b = 1 }
                first, start = len(found), pos
                pos = self._inline(x.value.body, pos, path + (k.key,), f"{prefix}{k.as_string()}.", found, comments,
                                   src, origin)
                if "dist" in x:
                    del found[first:]
                    found.append(_Number(path + (k.key,), start, pos, 0, 0, ""))
            else:
                t = x.trivia
                head = f"{t.indent}{prefix}{k.as_string()}{k.sep}"
                pos = self._value(x, self._take(head, pos, src, origin) + len(head), path + (k.key,), found, comments,
                                  src, origin)
                tail = f"{t.comment_ws}{t.comment}{t.trail}"
                if tail:
                    start = self._take(tail, pos, src, origin)
                    if t.comment:
                        comments.append((start + len(t.comment_ws), t.comment))
                    pos = start + len(tail)
        return pos

    def _unplaced(self, value, start: int, end: int, path: tuple, found: list[_Number]) -> None:
        """Every number in a plain value, all at the value's offsets."""
        if isinstance(value, dict) and "dist" in value:
            found.append(_Number(path, start, end, 0, 0, ""))
        elif isinstance(value, dict):
            for k, v in value.items():
                self._unplaced(v, start, end, path + (k,), found)
        elif isinstance(value, list):
            for n, v in enumerate(value):
                self._unplaced(v, start, end, path + (n,), found)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            found.append(_Number(path, start, end, 0, 0, ""))

    def _place(self) -> None:
        """Lay the sections onto the text in the order they are written there (tomlkit keeps a [[table]]
        entry written after another table with its array), checking every character."""
        text, pos = self.text, 0
        pending = [(sec, sec.text) for sec in self.sections]
        while pending:
            for k, (sec, written) in enumerate(pending):
                if text.startswith(written, pos):
                    break
            else:
                raise ValueError(f"cannot lay tomlkit's items back onto the TOML text at line {self._line(pos)}")
            pending.pop(k)
            for off, comment in sec.comments:
                off += pos
                self.comments[self._line(off)] = (comment, not text[text.rfind("\n", 0, off) + 1:off].strip())
            self.headers.update(self._line(pos + off) for off in sec.headers)
            for n in sec.numbers:
                n.start, n.end, n.key, n.key_end = n.start + pos, n.end + pos, n.key + pos, n.key_end + pos
                self.numbers.append(n)
            pos += sec.size
        if pos != len(text):
            raise ValueError(f"cannot lay tomlkit's items back onto the TOML text at line {self._line(pos)}")

    def _line(self, offset: int) -> int:
        """The 1-based line of a character offset."""
        return bisect.bisect_left(self.newlines, offset) + 1

    # ---- the source rule, line by line

    def _own(self, line: int) -> str:
        """The comment on a line, without its '#'."""
        comment = self.comments.get(line)
        return comment[0][1:].strip() if comment else ""

    def _alone(self, line: int) -> str | None:
        """The comment of a line that holds nothing else, '#'s stripped; None for any other line."""
        comment = self.comments.get(line)
        return comment[0].lstrip("#").strip() if comment and comment[1] else None

    def _divider(self, line: int) -> str | None:
        """The title of a ``# ------ title`` divider line; None for any other line."""
        comment = self.comments.get(line)
        if not comment or not comment[1]:
            return None
        rest = comment[0][1:].lstrip()
        bar = len(rest) - len(rest.lstrip("-="))
        return rest[bar:].strip() if bar >= 6 else None

    def _block_above(self, line: int) -> str:
        """The comment lines directly above ``line``, joined (a blank line or a divider ends them)."""
        block = []
        k = line - 1
        while k >= 1 and self._alone(k) is not None and self._divider(k) is None:
            block.append(self._alone(k))
            k -= 1
        return " ".join(reversed(block)).strip()

    def _source(self, n: _Number) -> str:
        first, last = self._line(n.start), self._line(max(n.start, n.end - 1))
        key_line = self._line(n.key)
        # 1. its own comment; 2. the comment lines right above it (for a number inside a value written
        # over several lines: then what its key has)
        own = " ".join(c for c in (self._own(k) for k in range(first, last + 1)) if c)
        if own:
            return own
        above = self._block_above(first)
        if above:
            return above
        key_own = self._own(key_line) or n.key_comment[1:].strip()
        if key_own:
            return key_own
        above = self._block_above(key_line)
        if above:
            return above
        # 3. the comment block above its [table] header, unless a divider comes first
        k = key_line if n.from_header else key_line - 1
        while k >= 1 and k not in self.headers and self._divider(k) is None:
            k -= 1
        if k >= 1 and k in self.headers:
            above = self._block_above(k)
            if above:
                return above
        # 4. its section: the title of the divider above it and the comment block under that
        while k >= 1 and self._divider(k) is None:
            k -= 1
        if k < 1:
            return ""
        title = self._divider(k)
        block = []
        k += 1
        while self._alone(k) is not None and self._divider(k) is None:
            block.append(self._alone(k))
            k += 1
        body = " ".join(block).strip()
        return f"{title}: {body}" if title and body else body

    def sources(self) -> dict[str, Source]:
        tables = [n.path for n in self.numbers if n.from_header]  # a distribution's fields are not numbers
        out = {}
        for n in sorted(self.numbers, key=lambda n: n.start):
            if any(n.path[:len(d)] == d and n.path != d for d in tables):
                continue
            out[".".join(str(p) for p in n.path)] = Source(line=self._line(n.start), comment=self._source(n))
        return out
