"""`dattrack report`: one HTML file that opens anywhere — no script, nothing fetched — with a chart per
company, every figure's source as a link; checked structurally and in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

HOSTILE = '<script>alert("x")</script> & "Co"'


class Page(HTMLParser):
    """Tags, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture
def ledger(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", "1050446")
    cli.ok("company", "add", "EVIL", "--name", HOSTILE)
    cli.ok("event", "add", "MSTR", "buy", "100", "--total", "5000000", "--date", "2026-01-05", "--source", "8-K")
    cli.ok("event", "add", "MSTR", "buy", "50", "--total", "3500000", "--date", "2026-02-05", "--source", "8-K")
    cli.ok("event", "add", "MSTR", "balance", "150", "--date", "2026-02-05",
           "--source", "8-K 0001050446-26-001550 https://www.sec.gov/Archives/edgar/data/1050446/x.htm")
    cli.ok("event", "add", "EVIL", "buy", "1", "--total", "60000", "--date", "2026-03-01",
           "--source", "javascript:alert(1) and <b>bold</b>")
    for day, btc, share in (("2026-11-18", "90000", "300"), ("2026-11-19", "91000", "310"), ("2026-11-20", "92000", "305")):
        cli.ok("price", "set", "BTC", btc, "--date", day)
        cli.ok("price", "set", "MSTR", share, "--date", day)
        cli.ok("price", "set", "EVIL", "1", "--date", day)
    cli.ok("fact", "set", "MSTR", "shares_basic", "100000", "--date", "2026-10-01", "--source", "10-Q cover")
    cli.ok("snapshot", "--offline", "--since", "2026-11-18", "--date", "2026-11-20", "--quiet")
    return cli


def write_report(cli, tmp_path: Path, *args: str) -> str:
    target = tmp_path / "report.html"
    out = cli.ok("report", "--out", str(target), *args)
    assert out.strip() == f"report written: {target}"
    return target.read_text(encoding="utf-8")


def test_one_self_contained_page_with_charts_per_company(ledger, tmp_path):
    text = write_report(ledger, tmp_path, "--as-of", "2026-11-20")
    page = Page(text)
    assert not page.all("script") and "<script" not in text
    assert not page.all("link") and not page.all("img") and not page.all("iframe") and "@import" not in text
    assert "url(" not in text and " src=" not in text  # nothing for a browser to fetch
    articles = {a["id"] for a in page.all("article")}
    assert articles == {"c-MSTR", "c-EVIL"}
    # three charts per company: holdings, mNAV, value
    assert len(page.all("svg")) == 6
    assert len(page.all("polyline")) >= 3
    assert "As of 2026-11-20" in text


def test_hostile_names_and_sources_are_text_not_markup(ledger, tmp_path):
    text = write_report(ledger, tmp_path)
    page = Page(text)
    assert HOSTILE in "".join(page.text)
    hrefs = [a.get("href", "") for a in page.all("a")]
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    assert "<b>bold</b>" not in text and "&lt;b&gt;bold&lt;/b&gt;" in text


def test_sources_are_links(ledger, tmp_path):
    hrefs = [a.get("href") for a in Page(write_report(ledger, tmp_path)).all("a")]
    assert "https://www.sec.gov/Archives/edgar/data/1050446/x.htm" in hrefs
    # an accession number links to the filing's folder under the company's CIK
    assert "https://www.sec.gov/Archives/edgar/data/1050446/000105044626001550/" in hrefs


def test_the_default_file_is_named_for_its_date(ledger, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = ledger.ok("report")
    assert (tmp_path / "dattrack-report-2026-11-21.html").is_file()
    assert out.strip() == "report written: dattrack-report-2026-11-21.html"


def test_a_missing_directory_is_bad_input_and_writes_nothing(ledger, tmp_path):
    result = ledger("report", "--out", str(tmp_path / "no" / "such" / "report.html"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot write") and "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_a_report_replaces_the_old_file_whole(ledger, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old")
    ledger.ok("report", "--out", str(target))
    assert target.read_text().startswith("<!doctype html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []  # no temporary left


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, "HOME": str(tmp_path)})


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (no imaging library needed)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, width, height = 8, b"", 0, 0
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunk = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.skipif(_chromium() is None, reason="no chromium binary (.ci/run installs Debian's chromium)")
def test_chromium_draws_the_page(ledger, tmp_path):
    write_report(ledger, tmp_path, "--as-of", "2026-11-20")
    url = (tmp_path / "report.html").as_uri()
    dom = _run_chromium(tmp_path, "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr
    assert dom.stdout.count("<svg") == 6 and dom.stdout.count("<polyline") >= 3
    assert "<script" not in dom.stdout
    shot = tmp_path / "page.png"
    result = _run_chromium(tmp_path, "--window-size=1024,1400", f"--screenshot={shot}", url)
    assert result.returncode == 0 and shot.is_file(), result.stderr
    width, height, pixels = _png_pixels(shot)
    assert (width, height) == (1024, 1400)
    # a blank page is one colour; a drawn one has text, lines and coloured chart strokes
    assert len(set(pixels)) > 64
    assert pixels.count(0xFF) < len(pixels) * 0.97
