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
    """A config file that cannot be read or does not validate."""


class OutputError(InputError):
    """A file that cannot be written where it was asked for: a full disk, a read-only or
    unwritable directory, a target that is not a regular file. ``source`` names the file (or
    the option that gave it); like any bad input the command line reports it and exits with 2."""
