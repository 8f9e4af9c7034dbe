"""The one output object: a command hands it rows and columns, it decides table, JSON or CSV."""

from __future__ import annotations

import contextlib
import csv
import os
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from itertools import chain, islice
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from dattrack.render.encode import csv_cell, json_chunks
from dattrack.render.safe import printable
from dattrack.secrets import configured, scrub



class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass(frozen=True)
class Column:
    """How one key shows in a table. kind: text, qty (as entered), computed (a quotient: 8 decimals at
    most), money, pct, ratio, sats, date, bool, int.
    flag: the key of a boolean that marks this cell (e.g. a stale price): `(flag_text)` with --wide,
    `mark` in the default view (None: not marked there).
    wide: shown only with --wide (or when picked with --columns); the default view answers the
    report's question in 80 columns."""

    key: str
    header: str
    kind: str = "text"
    flag: str | None = None
    flag_text: str = "stale"
    wide: bool = False
    mark: str | None = "*"  # the flag in the default view: one character, explained under the table
    kind_key: str | None = None  # a row's key that names its own kind for this cell (alert values: ratio or qty)

    def kind_of(self, row: dict) -> str:
        return (row.get(self.kind_key) if self.kind_key else None) or self.kind


@dataclass(frozen=True)
class View:
    """What a listing command's --wide and --columns asked for (see cli.common.listing)."""

    wide: bool = False
    columns: tuple[str, ...] | None = None


_view: ContextVar[View] = ContextVar("dattrack_view", default=View())


def set_view(view: View):
    return _view.set(view)


def reset_view(token) -> None:
    _view.reset(token)


def current_view() -> View:
    return _view.get()


def emit(rows: Iterable[dict], columns: list[Column], fmt: Format, *, title: str | None = None,
         empty: str = "nothing to show", row_style=None, footer: str | None = None,
         header: str | None = None) -> None:
    """JSON and CSV carry every key of every row (or the keys --columns picked); the table shows the
    report's default columns, every column with --wide, or the picked ones. `rows` may be a stream:
    JSON and CSV are written as the rows come, and a long piped table is drawn line by line. `header`:
    the line under the title that says what the figures rest on (a table only: JSON and CSV carry the
    dates in their keys)."""
    view = current_view()
    if fmt is Format.json:
        # json_value escapes every control character; scrub() blanks a key a provider echoed back
        # (a key lies within one value, so within one row's chunk)
        keys = configured()
        write = sys.stdout.write
        for chunk in json_chunks(picked_rows(rows, columns, view)):
            write(scrub(chunk, keys) if keys else chunk)
        write("\n")
    elif fmt is Format.csv:
        first, rows = _peek(picked_rows(rows, columns, view))
        keys = list(first.keys()) if first is not None else list(view.columns or [c.key for c in columns])
        writer = csv.writer(sys.stdout, lineterminator="\r\n")  # RFC 4180: a bare CR in a cell gets quoted
        writer.writerow(keys)
        for row in rows:
            writer.writerow([printable(csv_cell(row.get(k)), cell=True) for k in keys])
    else:
        stream = iter(rows)
        head = list(islice(stream, LONG_TABLE_FROM + 1))
        shown = shown_columns(columns, head, view)
        if len(head) > LONG_TABLE_FROM and row_style is None and terminal_width() is None:
            print_long_table(chain(head, stream), shown, title=title, compact=not view.wide, footer=footer,
                             header=header)
            return
        print_table(head + list(stream), shown, title=title, empty=empty, row_style=row_style,
                    compact=not view.wide, footer=footer, header=header)


def _peek(rows: Iterable[dict]) -> tuple[dict | None, Iterator[dict]]:
    """The first row (None if there is none) and all the rows, the first included."""
    stream = iter(rows)
    first = next(stream, None)
    return first, (stream if first is None else chain([first], stream))


def picked_rows(rows: Iterable[dict], columns: list[Column], view: View) -> Iterable[dict]:
    if not view.columns:
        return rows
    first, rows = _peek(rows)
    keys = _checked_keys(view.columns, columns, [] if first is None else [first])
    return ({k: row.get(k) for k in keys} for row in rows)


def shown_columns(columns: list[Column], rows: list[dict], view: View) -> list[Column]:
    if view.columns:
        by_key = {c.key: c for c in columns}
        return [by_key.get(k) or Column(k, k, _kind_of(k, rows)) for k in _checked_keys(view.columns, columns, rows)]
    return list(columns) if view.wide else [c for c in columns if not c.wide]


def _checked_keys(keys: tuple[str, ...], columns: list[Column], rows: list[dict]) -> list[str]:
    known = list(dict.fromkeys([c.key for c in columns] + [k for row in rows[:1] for k in row]))
    unknown = [k for k in keys if k not in known]
    if unknown:
        from dattrack.errors import BadInput

        raise BadInput(f"unknown column {', '.join(unknown)}; choose from {', '.join(known)}")
    return list(dict.fromkeys(keys))


def _kind_of(key: str, rows: list[dict]) -> str:
    value = next((row.get(key) for row in rows if row.get(key) is not None), None)
    if isinstance(value, bool):
        return "bool"
    return "qty" if isinstance(value, (Decimal, int)) else "text"


def terminal_width() -> int | None:
    """The width a table must fit: the terminal's, or None when output is piped (no limit)."""
    if not sys.stdout.isatty():
        return None
    return console().width


def console(width: int | None = None):
    from rich.console import Console

    class PipedConsole(Console):
        def on_broken_pipe(self) -> None:  # rich exits 1; a closed pipe is the CLI boundary's to end quietly
            self.quiet = True
            raise BrokenPipeError

    columns = terminal_columns()
    if width is None and not sys.stdout.isatty():
        width = columns or 200
    return PipedConsole(width=width, highlight=False, soft_wrap=False)


def message_width() -> int | None:
    """The width a line on stderr should keep to: the terminal's when stderr is one, else None."""
    if not sys.stderr.isatty():
        return None
    import shutil

    return terminal_columns() or shutil.get_terminal_size().columns


def terminal_columns() -> int | None:
    """COLUMNS, when set: a positive whole number (garbage is a one-line error, not a crash)."""
    raw = os.environ.get("COLUMNS", "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        from dattrack.errors import BadInput

        raise BadInput(f"COLUMNS={printable(raw[:20], inline=True)!r} is not a terminal width (a whole number of columns)")
    return int(raw)


TEXT_MIN = 12  # a text column (name, source, note) may be cut to this, with an ellipsis; figures never are
LONG_TABLE_FROM = 1000  # rows; a longer piped table is drawn line by line (rich lays out ~1 ms a row)


def print_table(rows: list[dict], columns: list[Column], *, title: str | None = None, empty: str = "nothing to show",
                row_style=None, compact: bool = False, footer: str | None = None, header: str | None = None) -> None:
    """A table that fits the terminal: text columns are cut with an ellipsis, then the rightmost
    columns are left out (named in a line under the table) before a figure is ever cut or a row wraps.
    Piped output has no width limit. row_style: a function of a row giving its rich style."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if not rows:
        if header:
            console().print(escape_markup(header))
        console().print(f"[dim]{escape_markup(empty)}[/dim]")
        return
    limit = terminal_width()
    cells = [[cell(row, column, compact) for column in columns] for row in rows]
    widths = [max(Text.from_markup(column.header).cell_len, *(Text.from_markup(line[i]).cell_len for line in cells))
              for i, column in enumerate(columns)]
    shown = list(range(len(columns)))
    hidden: list[str] = []
    if limit is not None:
        while len(shown) > 2 and _needed(columns, widths, shown, TEXT_MIN) > limit:
            hidden.insert(0, columns[shown.pop()].key)
    room = None if limit is None else limit - _needed(columns, widths, shown, 0) + sum(
        widths[i] for i in shown if columns[i].kind == "text")
    text_cols = [i for i in shown if columns[i].kind == "text"]
    caps = _text_caps([widths[i] for i in text_cols], room) if room is not None else None
    table = Table(header_style="bold", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  collapse_padding=True)
    for i in shown:
        column = columns[i]
        width = widths[i]
        if caps is not None and column.kind == "text":
            width = caps[text_cols.index(i)]
        table.add_column(column.header, justify="left" if column.kind in ("text", "date", "bool") else "right",
                         no_wrap=True, overflow="ellipsis", min_width=width, max_width=width)
    for row, line in zip(rows, cells):
        table.add_row(*(line[i] for i in shown), style=row_style(row) if row_style else None)
    flagged = [columns[i] for i in shown if columns[i].flag and any(row.get(columns[i].flag) for row in rows)]
    notes = _table_notes(footer, flagged if compact else [], hidden)
    out = _table_console(limit, _needed(columns, widths, shown, 0), title, notes)
    if title:
        out.print(f"[bold]{escape_markup(title)}[/bold]")
    if header:
        out.print(escape_markup(header), soft_wrap=limit is None)
    out.print(table)
    for note in notes:
        out.print(f"[dim]{escape_markup(note)}[/dim]")


def _table_notes(footer: str | None, flagged: list[Column], hidden: list[str]) -> list[str]:
    """The lines under a table: its footer, what each mark of a flagged column means, the columns
    left out for the terminal's width."""
    notes = [footer] if footer else []
    notes += sorted({f"{column.mark} {column.flag_text}" for column in flagged if column.mark})
    if hidden:
        notes.append(f"{len(hidden)} more column{'s' if len(hidden) > 1 else ''} with --wide: {', '.join(hidden)}")
    return notes


def _table_console(limit: int | None, table_width: int, title: str | None, notes: list[str]):
    """A terminal's width; piped, as wide as the table, its title and its notes need (nothing wraps)."""
    from rich.cells import cell_len

    if limit is not None:
        return console(width=limit)
    return console(width=max([table_width, *(cell_len(line) for line in [title or "", *notes])]))


def print_long_table(rows: Iterable[dict], columns: list[Column], *, title: str | None = None,
                     compact: bool = False, footer: str | None = None, header: str | None = None) -> None:
    """The piped table print_table draws (no width limit, so nothing is cut or left out), drawn
    line by line: same layout, alignment and styles. The cells are spooled to a temporary file
    while the widths are measured, so memory stays flat however many rows come."""
    import marshal
    import tempfile

    from rich.cells import cell_len
    from rich.console import COLOR_SYSTEMS
    from rich.style import Style

    def width_of(text: str) -> int:
        return len(text) if text.isascii() else cell_len(text)

    widths = [cell_len(column.header) for column in columns]
    right = [column.kind not in ("text", "date", "bool") for column in columns]
    flagged: set[int] = set()
    count = 0
    with tempfile.TemporaryFile() as spool:
        dump = marshal.dump
        for row in rows:
            line = [_cell_parts(row, column, compact) for column in columns]
            for index, (text, _) in enumerate(line):
                size = width_of(text)
                if size > widths[index]:
                    widths[index] = size
            for index, column in enumerate(columns):
                if column.flag and row.get(column.flag):
                    flagged.add(index)
            dump(line, spool)
            count += 1
        spool.seek(0)
        notes = _table_notes(footer, [columns[i] for i in flagged] if compact else [], [])
        table_width = _needed(columns, widths, list(range(len(columns))), 0)
        out = _table_console(None, table_width, title, notes)
        color_system = COLOR_SYSTEMS[out.color_system] if out.color_system else None
        styles: dict = {}

        def paint(text: str, style: str | None) -> str:
            if not style or color_system is None:
                return text
            if style not in styles:
                parsed = Style.parse(style)
                styles[style] = parsed.without_color if out.no_color else parsed
            return styles[style].render(text, color_system=color_system)

        if title:
            out.print(f"[bold]{escape_markup(title)}[/bold]")
        if header:
            out.print(escape_markup(header), soft_wrap=True)
        write = out.file.write
        last = len(columns) - 1
        header = []
        for index, (column, width, at_right) in enumerate(zip(columns, widths, right)):
            gap = " " * (width - cell_len(column.header))
            header.append(paint(gap + column.header if at_right else column.header + gap, "bold")
                          + ("" if index == last else paint(" ", "bold") + " "))
        write("".join(header) + "\n")
        write("─" * table_width + "\n")
        load = marshal.load
        layout = list(zip(widths, right))
        for _ in range(count):
            parts = []
            for (text, runs), (width, at_right) in zip(load(spool), layout):
                if runs is None:
                    shown = text
                elif isinstance(runs, list):
                    shown = "".join(paint(t, style) for t, style in runs)
                else:
                    shown = paint(text, runs)
                gap = " " * (width - width_of(text))
                parts.append(gap + shown if at_right else shown + gap)
            write("  ".join(parts) + "\n")
    for note in notes:
        out.print(f"[dim]{escape_markup(note)}[/dim]")


def _cell_parts(row: dict, column: Column, compact: bool) -> tuple[str, str | list | None]:
    """cell() as plain text and its style: None (plain), a style, or a list of (text, style) runs."""
    value = row.get(column.key)
    if value is None:
        parts = [("—", "dim")]
    elif isinstance(value, bool):
        parts = [("yes", None) if value else ("no", "yellow")]
    else:
        text = readable(value, column.kind_of(row), compact)
        parts = [(text if isinstance(value, (Decimal, int)) else printable(text, inline=True), None)]
    if column.flag and row.get(column.flag):
        if not compact:
            parts += [(" ", None), (f"({column.flag_text})", "yellow")]
        elif column.mark:
            parts.append((column.mark, "yellow"))
    if column.kind in ("money", "pct") and isinstance(value, Decimal) and value < 0:
        parts = [(t, style or "red") for t, style in parts]
    if len(parts) == 1:
        return parts[0]
    runs = [parts[0]]  # neighbours of one style are one run, as rich writes them
    for text, style in parts[1:]:
        if runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + text, style)
        else:
            runs.append((text, style))
    return "".join(t for t, _ in runs), runs


def _needed(columns: list[Column], widths: list[int], shown: list[int], text_min: int) -> int:
    """Characters a table of these columns takes: borders, padding, and each column's width (text
    columns counted at text_min when that is smaller)."""
    total = -2  # no outer edge: two spaces between columns
    for i in shown:
        width = min(widths[i], text_min) if text_min and columns[i].kind == "text" else widths[i]
        total += width + 2
    return max(total, 1)


def _text_caps(widths: list[int], room: int) -> list[int]:
    """Share `room` characters among text columns: the narrow ones keep their width, the widest are cut."""
    caps = list(widths)
    while sum(caps) > room and max(caps, default=0) > TEXT_MIN:
        widest = max(range(len(caps)), key=lambda i: caps[i])
        caps[widest] = max(TEXT_MIN, caps[widest] - max(1, sum(caps) - room))
    return caps


def cell(row: dict, column: Column, compact: bool = False) -> str:
    value = row.get(column.key)
    text = display(value, column.kind_of(row), compact)
    if column.flag and row.get(column.flag):
        if not compact:
            text += f" [yellow]({column.flag_text})[/yellow]"
        elif column.mark:
            text += f"[yellow]{column.mark}[/yellow]"
    if column.kind in ("money", "pct") and isinstance(value, Decimal) and value < 0:
        text = f"[red]{text}[/red]"
    return text


SUFFIXES = ((Decimal("1e12"), "T"), (Decimal("1e9"), "B"), (Decimal("1e6"), "M"))
FRACTION_DIGITS = 8  # a computed quantity (a quotient) shows this many decimals at most in a table


def display(value, kind: str = "text", compact: bool = False) -> str:
    """readable() as rich markup: unknown dimmed, a false flag in yellow, text escaped."""
    if value is None:
        return "[dim]—[/dim]"
    if isinstance(value, bool):
        return "yes" if value else "[yellow]no[/yellow]"
    text = readable(value, kind, compact)
    return text if isinstance(value, (Decimal, int)) else escape_markup(text)


def readable(value, kind: str = "text", compact: bool = False) -> str:
    """A value as a person reads it (tables and the HTML report): grouped digits, money to the cent
    (compact: a million or more with a suffix, 57.87B, 305.0M), ratios to 3 decimals, '—' for unknown."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        if kind == "money":
            return short_money(value) if compact and abs(value) >= SUFFIXES[-1][0] else f"{value:,.2f}"
        if kind == "pct":
            return f"{value:,.2f}%"
        if kind == "ratio":
            return f"{value:,.3f}"
        if kind == "int":
            return f"{value:,.0f}"
        if kind == "sats":
            return f"{value:,.0f} sats" if abs(value) >= 100 else f"{value:,.2f} sats"
        if value == value.to_integral():
            return format(value.normalize(), ",f")
        if kind == "computed" and -value.as_tuple().exponent > FRACTION_DIGITS:  # a quotient, not a disclosed figure
            value = value.quantize(Decimal(1).scaleb(-FRACTION_DIGITS)).normalize()
        return format(value, ",f")
    if isinstance(value, int) and kind != "text":
        return f"{value:,}"
    return str(value)


def short_money(value: Decimal) -> str:
    """Four significant digits and a suffix: 57,868,633,243.89 -> 57.87B; 305,012,345 -> 305.0M."""
    index = next((i for i, (size, _) in enumerate(SUFFIXES) if abs(value) >= size), len(SUFFIXES) - 1)
    size, suffix = SUFFIXES[index]
    scaled = value / size
    text = f"{scaled:,.{max(0, 4 - len(str(int(abs(scaled)))))}f}"
    if index > 0 and abs(Decimal(text.replace(",", ""))) >= 1000:  # 999.96M rounds up: say 1.000B
        size, suffix = SUFFIXES[index - 1]
        text = f"{value / size:,.3f}"
    return text + suffix


def unit_kind(unit: str, currency: str) -> str:
    """How a figure of this unit reads (the kinds of readable()): money in USD or in the company's
    currency — whichever ISO code that is —, a price per unit in either (USD/BTC) too; ratios; other
    quotients (BTC/share) with their decimals; units as disclosed."""
    if unit in ("x", "fraction"):
        return "ratio"
    money = {"USD", currency}
    if unit in money or unit.split("/", 1)[0] in money:
        return "money"
    return "computed" if "/" in unit else "qty"


def escape_markup(text: str) -> str:
    """Text as rich markup that shows it literally: no markup, no raw control characters, no keys."""
    from rich.markup import escape

    return escape(printable(text, inline=True))


def plain(value, kind: str = "text") -> str:
    """A value as the tables show it, without markup (for lines that cron mails)."""
    if value is None:
        return "—"
    from rich.text import Text

    return Text.from_markup(display(value, kind)).plain


class SourceNumbers:
    """Each source cited once: numbered in the order it is first cited, listed once at the end
    (explain in the terminal, each company of the HTML report)."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, source) -> int | None:
        """The source's number, or None when there is no source."""
        key = str(source or "").strip()
        return self.numbers.setdefault(key, len(self.numbers) + 1) if key else None


def message(text: str) -> None:
    """A line for a person on stderr (confirmations go to stdout via emit/print_line)."""
    sys.stderr.write(printable(text) + "\n")


def print_line(text: str) -> None:
    sys.stdout.write(printable(text) + "\n")


def write_file(path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, renamed over it when complete."""
    import tempfile
    from pathlib import Path

    from dattrack.errors import BadInput, OperationFailed

    target = Path(path).expanduser()
    if target.is_dir():
        raise BadInput(f"{target} is a directory: give a file name")
    if not target.parent.is_dir():
        raise BadInput(f"cannot write {target}: directory {target.parent} does not exist")
    real = Path(os.path.realpath(target))  # through a symlink: the file it names is replaced, not the link
    if real.exists() and not real.is_file():  # /dev/stdout, a FIFO, a device: written to, never replaced
        try:
            with open(real, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise OperationFailed(f"cannot write {target}: {exc.strerror or exc}") from None
        return
    target = real
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp", delete=False) as handle:
            temporary = Path(handle.name)
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file would be, not the temp file's 0600
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(NameError, OSError):
            temporary.unlink()
        raise OperationFailed(f"cannot write {target}: {exc.strerror or exc}") from exc


def alert_line(alert) -> str:
    """`ALERT TICKER METRIC VALUE OP LIMIT DATE` (VALUE as the tables show it), then what is stale under
    it: `stale: prices of 2026-10-06` (SPEC 10)."""
    from dattrack.numbers import to_text

    line = f"ALERT {alert.ticker} {alert.metric} {plain(alert.value, alert.kind)} {alert.op} {to_text(alert.limit)} " \
           f"{alert.date}"
    if not alert.stale:
        return line
    dates = sorted({date for _, date in alert.stale})
    if len(dates) == 1:
        return f"{line} stale: prices of {dates[0]}"
    return f"{line} stale: " + ", ".join(f"{name} of {date}" for name, date in alert.stale)


# ---------------------------------------------------------------- honest dates (SPEC 10)

PRICE_WORDS = {"crypto": "crypto prices", "stock": "share closes", "fx": "FX"}


def as_of_words(as_of: str, known_on: str | None = None) -> str:
    """'as of D' and, when only what was public then counts, ', as known on K'."""
    return f"as of {as_of}" + (f", as known on {known_on}" if known_on else "")


def inputs_line(dates, *, sentence: bool = True) -> str:
    """The header line of a report (freshness.InputDates in): the date of its prices, of each kind where
    they differ, with their age where it is not the valuation date and `(stale)` past the thresholds —
    'Prices of 2026-10-06, 59 days old (stale)' — then the span of its facts and how many are stale.
    `sentence`: capitalised, to start a line."""
    priced = dates.of("crypto", "stock", "fx")
    parts = []
    if not priced:
        parts.append(f"no prices on or before {dates.as_of}")
    elif len({group.date for group in priced}) == 1:
        parts.append("prices of" + _dated(priced[0], dates.as_of))
    else:
        for kind, words in PRICE_WORDS.items():
            groups = dates.of(kind)
            if not groups:
                continue
            if kind == "fx" and len(groups) == 1 and len(groups[0].names) <= 3:
                words = ", ".join(groups[0].names)
            if len(groups) > 2:   # many dates: their span, how old, how many stale
                parts.append(f"{words} of {groups[0].date} to {groups[-1].date}" + _ages(groups, dates.as_of))
                continue
            named = len(groups) > 1
            parts.append(f"{words} of" + ";".join(_dated(group, dates.as_of, named) for group in groups))
    facts = dates.of("fact")
    if facts:
        first, last = facts[0].date, facts[-1].date
        stale = sum(len(group.names) for group in facts if group.stale)
        parts.append(f"facts of {first}" + (f" to {last}" if last != first else "")
                     + (f", {stale} stale" if stale else ""))
    text = " · ".join(parts)
    return text[:1].upper() + text[1:] if sentence else text


def _ages(groups, as_of: str) -> str:
    """' (56 to 140 days old, 12 of 16 stale)' for a span of input dates."""
    ages = [group.age_days for group in groups]
    count = sum(len(group.names) for group in groups)
    stale = sum(len(group.names) for group in groups if group.stale)
    which = "all stale" if stale == count else f"{stale} of {count} stale" if stale else ""
    return f" ({min(ages)} to {max(ages)} days old" + (f", {which}" if which else "") + ")"


def _dated(group, as_of: str, named: bool = False) -> str:
    names = ""
    if named:
        names = f" ({', '.join(group.names)})" if len(group.names) <= 3 else f" ({len(group.names)})"
    age = "" if group.date == as_of else f", {group.age_days} day{'' if group.age_days == 1 else 's'} old"
    return f" {group.date}{names}{age}" + (" (stale)" if group.stale else "")
