"""What failed in a network run, one line per cause: a machine without network gets

    no network: could not reach api.coingecko.com, query1.finance.yahoo.com
    not fetched (no network): 20 prices (3350.T, ASST, BMNR, BTC, BTDR, CANG, DFDV, EMPD, …)

instead of one 300-character line per symbol or company repeating the same cause. Failures that
were not the network's alone (a 404, an absurd answer) are listed one a line, as they are.
Pure: plain mappings in, lines out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

SHOWN = 8   # subjects named on a summary line; the count says how many there are


def no_network_line(hosts: Iterable[str]) -> str:
    return "no network: could not reach " + ", ".join(dict.fromkeys(hosts))


def subjects(names: Iterable[str], noun: str, room: int | None = None) -> str:
    """'20 prices (A, B, …)': the count, and the first few by name — SHOWN of them, or as many as
    fit in `room` characters (a terminal's line)."""
    names = sorted(dict.fromkeys(names))
    one = {"companies": "company"}.get(noun, noun.removesuffix("s"))
    head = f"{len(names)} {noun if len(names) != 1 else one}"
    count = min(SHOWN, len(names)) if room is None else len(names)
    while True:
        shown = ", ".join(names[:count]) + (", …" if len(names) > count else "")
        text = f"{head} ({shown})" if count else head
        if room is None or len(text) <= room or count == 0:
            return text
        count -= 1


def fitted(prefix: str, names: Iterable[str], noun: str, width: int | None) -> str:
    """`prefix` then the subjects, within `width` characters when one is given."""
    return prefix + subjects(names, noun, None if width is None else width - 1 - len(prefix))


def failure_lines(failures: Mapping[str, str], offline: Mapping[str, Iterable[str]], *, noun: str,
                  prefix: str = "failed", late: Iterable[str] = (), width: int | None = None) -> list[str]:
    """One line naming every unreachable host, one naming what that cost (`noun`: "prices",
    "companies"), one naming what the command's deadline left undone (`late`), then `prefix NAME:
    cause` for each failure neither explains."""
    from dattrack import deadline

    hosts = [host for name in sorted(offline) for host in offline[name]]
    late = [name for name in late if name not in offline]
    lines = []
    if hosts:
        lines.append(no_network_line(hosts))
        lines.append(fitted("not fetched (no network): ", offline, noun, width))
    if late:
        lines.append(fitted(f"not fetched: the command's deadline passed ({deadline.described()}): ", late, noun,
                            width))
    lines += [f"{prefix} {name}: {cause}" for name, cause in sorted(failures.items())
              if name not in offline and name not in late]
    return lines
