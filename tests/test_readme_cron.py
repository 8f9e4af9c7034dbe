"""The README's crontab line works on a fresh account: run it with /bin/sh as cron does, in an
empty home directory where ~/.local/state does not exist yet."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def crontab_lines() -> list[str]:
    blocks = re.findall(r"```cron\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_readme_crontab_line_runs_on_a_fresh_account(tmp_path):
    (line,) = [line for line in crontab_lines() if " snapshot " in line]
    command = line.split(None, 5)[5]  # cron: five time fields, then the command
    home = tmp_path / "fresh"
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "dattrack").symlink_to(Path(sys.executable).parent / "dattrack")
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "DATTRACK_TODAY": "2026-11-21"}  # cron's bare environment
    result = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    log = home / ".local" / "state" / "dattrack-snapshot.log"
    assert log.is_file()  # the folder was made by the line itself
    assert (home / "dattrack.db").is_file()
    assert result.stdout == "" and result.stderr == ""  # --quiet: cron mails nothing when all is well
