"""The one error type users see: bad input, reported as file, field and what is wrong."""
from __future__ import annotations


class InputError(Exception):
    """Bad input (config file, CLI option, data file).

    ``source`` names the file or option, ``problems`` is a list of
    ``(field_path, message)`` pairs; ``str()`` gives one line per problem.
    """

    def __init__(self, source: str, problems: list[tuple[str, str]] | str):
        if isinstance(problems, str):
            problems = [("", problems)]
        self.source = str(source)
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = []
        for field, message in self.problems:
            where = f"{self.source}: {field}: " if field else f"{self.source}: "
            lines.append(where + message)
        return "\n".join(lines)


class ConfigError(InputError):
    """A config file that cannot be read or does not validate.

    A config that extends another (``extend = "base.toml"``) is made of several files, and its
    problems may lie in more than one: ``parts`` is then one ConfigError per file (the extension's
    first), ``source`` and ``problems`` are the first part's, and ``str()`` lists every part. A
    single-file error is its own only part.
    """

    def __init__(self, source: str, problems: list[tuple[str, str]] | str, parts: list["ConfigError"] | None = None):
        self.parts = list(parts) if parts else [self]
        super().__init__(source, problems)

    def __str__(self) -> str:
        parts = getattr(self, "parts", None)
        if parts and len(parts) > 1:
            return "\n".join(InputError.__str__(p) for p in parts)
        return super().__str__()


class OutputError(InputError):
    """A file that cannot be written where it was asked for: a full disk, a read-only or
    unwritable directory, a target that is not a regular file. ``source`` names the file (or
    the option that gave it); like any bad input the command line reports it and exits with 2."""
