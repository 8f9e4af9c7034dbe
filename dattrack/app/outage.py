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


def subjects(names: Iterable[str], noun: str) -> str:
    """'20 prices (A, B, …)': the count, and the first few by name."""
    names = sorted(dict.fromkeys(names))
    shown = ", ".join(names[:SHOWN]) + (", …" if len(names) > SHOWN else "")
    return f"{len(names)} {noun if len(names) != 1 else noun.rstrip('s')} ({shown})"


def failure_lines(failures: Mapping[str, str], offline: Mapping[str, Iterable[str]], *, noun: str,
                  prefix: str = "failed") -> list[str]:
    """One line naming every unreachable host, one naming what that cost (`noun`: "prices",
    "companies"), then `prefix NAME: cause` for each failure the network alone does not explain."""
    hosts = [host for name in sorted(offline) for host in offline[name]]
    lines = []
    if hosts:
        lines.append(no_network_line(hosts))
        lines.append(f"not fetched (no network): {subjects(offline, noun)}")
    lines += [f"{prefix} {name}: {cause}" for name, cause in sorted(failures.items()) if name not in offline]
    return lines
