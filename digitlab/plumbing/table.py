"""A small table of results that reads well in a notebook, as text or as HTML.

For: showing a handful of computed numbers side by side (accuracy before and after, style
measurements of two sets of digits) without pandas. Rows are plain dicts, so a learner can
pick a number out with ``table.rows[0]["after"]`` or ``table["after"]``.
Not for: storing data or computing anything; the modules that make tables do the computing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .text import unsigned_zero


@dataclass
class Table:
    """Rows of named values, with a format per column (e.g. "{:.1%}") used only for display.

    A value that the format rounds to zero is shown without a sign: "0.0", never "-0.0".
    """

    rows: list
    columns: list
    formats: dict = field(default_factory=dict)
    title: str = ""

    def __post_init__(self):
        for i, row in enumerate(self.rows):
            missing = [c for c in self.columns if c not in row]
            if missing:
                raise ValueError(f"row {i} has no value for column(s) {missing}")

    def __getitem__(self, column):
        """The values of one column, top to bottom."""
        if column not in self.columns:
            raise KeyError(f"no column {column!r}; the columns are {self.columns}")
        return [row[column] for row in self.rows]

    def __len__(self):
        return len(self.rows)

    def row(self, key, column=None) -> dict:
        """The first row whose first column (or ``column``) equals key."""
        column = column or self.columns[0]
        for row in self.rows:
            if row[column] == key:
                return row
        raise KeyError(f"no row with {column} = {key!r}")

    def cell(self, row, column) -> str:
        """One value as displayed."""
        value = row[column]
        fmt = self.formats.get(column)
        if fmt is None or value is None:
            return "" if value is None else str(value)
        return unsigned_zero(fmt.format(value))

    def __str__(self):
        cells = [[str(c) for c in self.columns]] + [[self.cell(r, c) for c in self.columns] for r in self.rows]
        widths = [max(len(line[i]) for line in cells) for i in range(len(self.columns))]
        lines = [self.title] if self.title else []
        for n, line in enumerate(cells):
            lines.append("  ".join(s.ljust(w) if i == 0 else s.rjust(w)
                                   for i, (s, w) in enumerate(zip(line, widths))).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(self.cell(r, c))}</td>" for c in self.columns)
                       + "</tr>" for r in self.rows)
        caption = f"<caption>{html.escape(self.title)}</caption>" if self.title else ""
        return f'<table class="dl-table">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
