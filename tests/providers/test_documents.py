"""EDGAR archives and the document cache, against a fake EDGAR on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import threading

import httpx
import pytest

from dattrack.errors import BadInput
from dattrack.providers import documents
from dattrack.providers.documents import DocumentCache, EdgarArchive, archive_address, fetch_url, is_exhibit
from dattrack.providers.http import ProviderError, make_client
from dattrack.providers.sec import RateLimiter
from tests.fakes.edgar_archive import EdgarArchive as FakeEdgar
from tests.fakes.edgar_archive import RawReply

CIK = 1050446
BODY = b"<html><body><p>MicroStrategy acquired approximately 2,574 bitcoins.</p></body></html>"


@pytest.fixture
def edgar():
    with FakeEdgar() as fake:
        fake.add_filing(CIK, "0001050446-25-000123", "8-K", "2025-11-17",
                        {"mstr-20251117.htm": BODY, "mstr-ex99_1.htm": b"<p>press release</p>",
                         "EX-99.2.htm": b"<p>second</p>", "Exhibit99-3.HTM": b"<p>third</p>",
                         "mstr-ex31.htm": b"<p>certification</p>", "ex99_logo.jpg": b"\xff\xd8"})
        fake.add_filing(CIK, "0001050446-25-000100", "10-Q", "2025-11-03", {"mstr-20250930.htm": b"<p>10-Q</p>"})
        yield fake


def archive(fake: FakeEdgar, tmp_path, **kwargs) -> EdgarArchive:
    return EdgarArchive(make_client(), fake.env(), cache=DocumentCache(tmp_path / "cache"), **kwargs)


def test_a_filing_is_read_once_and_kept_for_good(edgar, tmp_path):
    first = archive(edgar, tmp_path)
    filing = next(f for f in first.filings(CIK) if f.form == "8-K")
    assert first.attachments(filing) == ["mstr-20251117.htm", "mstr-ex99_1.htm", "EX-99.2.htm", "Exhibit99-3.HTM"]
    docs = [first.document(CIK, filing.accession, name) for name in first.attachments(filing)]
    assert docs[0].data == BODY and not docs[0].cached
    assert docs[0].url.endswith("/Archives/edgar/data/1050446/000105044625000123/mstr-20251117.htm")
    assert edgar.requests == 1 + 1 + 4          # submissions, index.json, four documents
    kept = tmp_path / "cache" / "edgar" / "1050446" / "000105044625000123"
    assert sorted(p.name for p in kept.iterdir()) == sorted(["index.json", "mstr-20251117.htm", "mstr-ex99_1.htm",
                                                            "EX-99.2.htm", "Exhibit99-3.HTM"])

    second = archive(edgar, tmp_path)           # a new run: the feed again, nothing else
    again = next(f for f in second.filings(CIK) if f.form == "8-K")
    assert [second.document(CIK, again.accession, n).data for n in second.attachments(again)] == [d.data for d in docs]
    assert all(second.document(CIK, again.accession, n).cached for n in second.attachments(again))
    assert edgar.paths()[6:] == ["/sec/submissions/CIK0001050446.json"]


def test_the_feed_is_fetched_once_per_run_however_many_threads_ask(edgar, tmp_path):
    run = archive(edgar, tmp_path)
    threads = [threading.Thread(target=run.filings, args=(CIK,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert edgar.requests == 1


def test_periodic_reports_are_read_without_their_index(edgar, tmp_path):
    run = archive(edgar, tmp_path)
    ten_q = next(f for f in run.filings(CIK) if f.form == "10-Q")
    assert run.attachments(ten_q) == ["mstr-20250930.htm"]
    assert not any("index.json" in path for path in edgar.paths())


def test_offline_reads_only_the_cache(edgar, tmp_path):
    online = archive(edgar, tmp_path)
    filing = next(f for f in online.filings(CIK) if f.form == "8-K")
    online.document(CIK, filing.accession, filing.primary_document)
    before = edgar.requests
    offline = EdgarArchive(None, {}, cache=DocumentCache(tmp_path / "cache"), offline=True)
    assert [f.accession for f in offline.filings(CIK)] == [f.accession for f in online.filings(CIK)]
    assert offline.document(CIK, filing.accession, filing.primary_document).data == BODY
    with pytest.raises(ProviderError, match=r"offline: mstr-ex99_1.htm of 0001050446-25-000123 is not in the cache"):
        offline.document(CIK, filing.accession, "mstr-ex99_1.htm")
    assert edgar.requests == before
    with pytest.raises(ProviderError, match="not in the cache"):
        EdgarArchive(None, {}, cache=DocumentCache(tmp_path / "empty"), offline=True).filings(CIK)


def test_a_user_agent_is_required_before_any_request(edgar, tmp_path):
    env = {k: v for k, v in edgar.env().items() if k != "DATTRACK_SEC_USER_AGENT"}
    with pytest.raises(BadInput, match="DATTRACK_SEC_USER_AGENT"):
        EdgarArchive(make_client(), env, cache=DocumentCache(tmp_path))
    assert edgar.requests == 0


def test_every_request_waits_its_turn_on_the_shared_budget(edgar, tmp_path):
    class Counting(RateLimiter):
        taken = 0

        def begin(self):
            Counting.taken += 1
            return super().begin()

    run = archive(edgar, tmp_path, limiter=Counting())
    filing = next(f for f in run.filings(CIK) if f.form == "8-K")
    for name in run.attachments(filing):
        run.document(CIK, filing.accession, name)
    assert Counting.taken == edgar.requests == 6
    assert EdgarArchive.__init__.__kwdefaults__["limiter"] is documents.SEC_RATE  # the one SecClient uses too


def test_a_document_over_the_cap_is_refused_and_not_kept(edgar, tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1024 * 1024)
    edgar.replace("mstr-20251117.htm", RawReply(200, b"x" * (3 * 1024 * 1024), {"Content-Type": "text/html"}))
    run = archive(edgar, tmp_path)
    with pytest.raises(ProviderError, match="larger than 1 MB"):
        run.document(CIK, "0001050446-25-000123", "mstr-20251117.htm")
    assert not (tmp_path / "cache" / "edgar" / "1050446" / "000105044625000123" / "mstr-20251117.htm").exists()


def test_a_gzip_bomb_is_cut_at_the_cap_of_decoded_bytes(edgar, tmp_path):
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)   # 200 MB decoded, ~200 KB sent
    assert len(bomb) < 1024 * 1024
    edgar.replace("mstr-20251117.htm", RawReply(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    with pytest.raises(ProviderError, match="larger than 32 MB; refused"):
        archive(edgar, tmp_path).document(CIK, "0001050446-25-000123", "mstr-20251117.htm")


def test_a_missing_document_is_named(edgar, tmp_path):
    with pytest.raises(ProviderError, match=r"gone.htm of 0001050446-25-000123 is not on EDGAR \(HTTP 404\)"):
        archive(edgar, tmp_path).document(CIK, "0001050446-25-000123", "gone.htm")


def test_names_that_are_not_plain_edgar_names_are_never_followed(edgar, tmp_path):
    filing = edgar.filings[CIK][0]
    index = edgar.index(filing)
    index["directory"]["item"] += [{"name": "../../ex99_escape.htm"}, {"name": "a/ex99.htm"}, {"name": "ex99\x1b.htm"}]
    edgar.replace("index.json", RawReply(200, json.dumps(index).encode(), {"Content-Type": "application/json"}))
    run = archive(edgar, tmp_path)
    ref = next(f for f in run.filings(CIK) if f.form == "8-K")
    assert all("/" not in n and ".." not in n for n in run.attachments(ref))
    with pytest.raises(ProviderError, match="not a plain EDGAR name"):
        run.document(CIK, ref.accession, "../../etc/passwd")


def test_older_pages_of_the_feed_are_read_only_when_since_reaches_back(tmp_path):
    with FakeEdgar() as edgar:
        edgar.add_filing(CIK, "0001050446-20-000010", "8-K", "2020-08-11", {"a.htm": b"old"})
        edgar.add_filing(CIK, "0001050446-25-000123", "8-K", "2025-11-17", {"b.htm": b"new"})
        edgar.older_pages[CIK] = 1
        assert [f.filed for f in archive(edgar, tmp_path).filings(CIK, since="2025-01-01")] == ["2025-11-17"]
        assert edgar.requests == 1
        assert [f.filed for f in archive(edgar, tmp_path).filings(CIK, since="2020-08-01")] == \
            ["2025-11-17", "2020-08-11"]
        assert edgar.paths()[-1] == "/sec/submissions/CIK0001050446-submissions-001.json"


def test_cache_writes_leave_no_partial_file(tmp_path, monkeypatch):
    cache = DocumentCache(tmp_path)
    path = cache.filing_file("1050446", "0001050446-25-000123", "a.htm")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(documents.os, "replace", broken)
    with pytest.raises(ProviderError, match="cannot write"):
        cache.write(path, b"data")
    assert list(path.parent.iterdir()) == []


def test_the_cache_place(monkeypatch, tmp_path):
    assert documents.cache_dir({"DATTRACK_CACHE": str(tmp_path / "c")}) == tmp_path / "c"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert documents.cache_dir({}) == tmp_path / "xdg" / "dattrack"


def test_archive_addresses():
    found = archive_address("https://www.sec.gov/Archives/edgar/data/1050446/000105044625000123/mstr-20251117.htm")
    assert (found.cik, found.accession, found.name) == ("0001050446", "0001050446-25-000123", "mstr-20251117.htm")
    assert archive_address("https://example.com/Archives/edgar/data/1050446/000105044625000123/a.htm") is None
    assert archive_address("https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany") is None


def test_exhibit_names():
    assert [n for n in ("ex99-1.htm", "EX-99.1.HTM", "exhibit99.htm", "mstr-ex99_1.htm", "ex-10.htm", "ex99.jpg",
                        "r9.htm") if is_exhibit(n)] == ["ex99-1.htm", "EX-99.1.HTM", "exhibit99.htm", "mstr-ex99_1.htm"]


def test_another_address_is_fetched_once_with_the_same_cap(tmp_path, monkeypatch):
    seen = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, content=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"})

    client = httpx.Client(transport=httpx.MockTransport(handle))
    document = fetch_url(client, "https://ir.example.com/news/release-1", {})
    assert (document.name, document.data, seen) == ("release-1.pdf", b"%PDF-1.4 ...", ["/news/release-1"])
    with pytest.raises(BadInput, match="only http and https"):
        fetch_url(client, "file:///etc/passwd", {})
    with pytest.raises(BadInput, match="offline"):
        fetch_url(client, "https://ir.example.com/news/release-1", {}, offline=True)


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        import time

        time.sleep(0.001)          # let the other thread run
        with self.lock:
            self.now += seconds


def test_a_place_in_the_budget_is_held_until_a_second_after_the_answer():
    clock = FakeClock()
    limiter = RateLimiter(8, 1.0, clock=clock, sleep=clock.sleep)
    places = [limiter.begin() for _ in range(8)]
    started = []
    waiting = threading.Thread(target=lambda: (limiter.begin(), started.append(clock.now)), daemon=True)
    waiting.start()
    while clock.now < 3.0:         # eight requests in flight for three seconds: the ninth waits
        threading.Event().wait(0.001)
    assert started == []
    answered = clock.now
    limiter.end(places[0])
    waiting.join(timeout=10)
    assert started and started[0] >= answered + 1.0
