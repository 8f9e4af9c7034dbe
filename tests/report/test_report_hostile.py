"""The HTML report of a database full of hostile names, notes, sources and URLs: parsed, it holds
no script, no event handler, no link with a scheme other than http(s), and no external resource."""

from __future__ import annotations

from html.parser import HTMLParser

HOSTILE = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)' x='",
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/x.js",
    "https://ok.example/\"onmouseover=\"alert(1)",
    "https://ok.example/a?b=<script>",
    "</style><script>alert(1)</script>",
    "<svg onload=alert(1)><use href=\"https://evil.example/s.svg#x\"/></svg>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<iframe src=https://evil.example></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "style=\"background:url(https://evil.example/p.png)\"",
    "@import url(https://evil.example/x.css);",
    "0001050446-25-000123\" onclick=\"alert(1)",
    "github.com/x/y/blob/abc/<script>.csv",
]
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "link", "img", "base", "form", "frame", "frameset",
                  "audio", "video", "source", "applet"}


class Collected(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def build(cli) -> None:
    for n, text in enumerate(HOSTILE):
        ticker = f"EVIL{n}"
        cli.ok("company", "add", ticker, "--name", text, "--note", text, "--source", text,
               "--cik", str(1050446 + n))
        cli.ok("event", "add", ticker, "buy", "10", "--date", "2026-01-05", "--total", "500000", "--source", text,
               "--note", text)
        cli.ok("event", "add", ticker, "balance", "11", "--date", "2026-02-05", "--source", text, "--note", text)
        cli.ok("fact", "set", ticker, "shares_basic", "1000", "--date", "2026-01-31", "--source", text)
        cli.ok("fact", "set", ticker, "cash", "5000", "--date", "2026-01-31", "--source", text)
        cli.ok("instrument", "add", ticker, f"{text} {n}", "--kind", "loan", "--outstanding", "100",
               "--date", "2026-02-01", "--collateral", "2", "--margin-ltv", "0.5", "--source", text)
        cli.ok("price", "set", ticker, "2", "--date", "2026-11-09")
    cli.ok("price", "set", "BTC", "100000", "--date", "2026-11-09")
    cli.ok("snapshot", "--offline", "--quiet", "--since", "2026-11-10")


def test_the_report_of_a_hostile_database_is_inert(cli, tmp_path):
    build(cli)
    out = tmp_path / "report.html"
    cli.ok("report", "--out", str(out))
    html = out.read_text()
    parsed = Collected()
    parsed.feed(html)
    parsed.close()
    tags = [tag for tag, _ in parsed.tags]
    assert "article" in tags and tags.count("article") == len(HOSTILE)    # every company is there...
    assert not FORBIDDEN_TAGS & set(tags), FORBIDDEN_TAGS & set(tags)    # ...and none of their markup
    for tag, attrs in parsed.tags:                                           # no refresh, no redirect
        if tag == "meta":
            assert {name for name, _ in attrs} <= {"charset", "name", "content"}, attrs
    links = []
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)            # no event handler
            assert name.lower() not in ("src", "srcdoc", "action", "formaction", "xlink:href", "style",
                                        "background", "poster"), (tag, name, value)
            if name.lower() == "href":
                links.append(value)
    assert links and all(v.startswith("#") or v.startswith(("https://", "http://")) for v in links), \
        [v for v in links if not v.startswith(("#", "https://", "http://"))]
    external = [v for v in links if not v.startswith("#")]
    assert external and all(tag == "a" for tag, attrs in parsed.tags for n, v in attrs if n == "href" and v in external)
    for style in parsed.styles:                                               # CSS: inline and inert
        assert "url(" not in style and "@import" not in style and "expression(" not in style
    assert "javascript:alert(document.cookie)" in html or "javascript:alert(document.cookie)".replace(":", "&#x3a;") in html
