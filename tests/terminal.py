"""Run the real dattrack command in a pseudo-terminal of a given size, as a person's terminal would."""

from __future__ import annotations

import fcntl
import os
import re
import pty
import struct
import subprocess
import sys
import termios


def run_in_terminal(args: list[str], *, columns: int, env: dict | None = None, timeout: float = 60) -> tuple[int, str]:
    """(exit code, what the terminal received, CRLF folded to LF). COLUMNS is removed from the
    environment so the width comes from the terminal itself."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 200, columns, 0, 0))
    environment = {k: v for k, v in (env or os.environ).items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen([sys.executable, "-m", "dattrack", *args], stdin=follower, stdout=follower,
                               stderr=follower, env=environment, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    code = process.wait(timeout=timeout)
    os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def visible(text: str) -> str:
    """What the terminal shows: styling sequences removed."""
    return ANSI.sub("", text)


def widest(text: str) -> int:
    return max((len(line) for line in visible(text).splitlines()), default=0)
