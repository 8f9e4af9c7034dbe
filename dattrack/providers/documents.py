"""Documents: SEC EDGAR archives (a filing's index.json, its primary document and its press-release
exhibits) and any other document address, with a cache that never fetches a filing twice.

EDGAR (PROVIDERS.md "Documents"): the submissions feed `{sec}/submissions/CIK##########.json` lists
the filings (older ones in the pages of its `files`); a filing's files are at
`{sec_files}/Archives/edgar/data/{cik}/{accession without dashes}/`, listed by `index.json`. The
primary document is the feed's `primaryDocument`; press releases are exhibits whose names carry
`ex99`, `ex-99` or `exhibit99` (any case).

Every SEC request of a run shares one budget (`sec.SEC_RATE`, 8 a second, threads included),
sends the User-Agent EDGAR asks for and keeps to the run's deadline (`http.run_bound`). A body is
bounded (`MAX_DOCUMENT_BYTES`, decoded bytes, so a gzip bomb is cut at the cap).

The cache (`DATTRACK_CACHE`, else the user cache directory): filings never change, so each
document and each index.json is kept by CIK, accession and file name, written atomically (a
half-written file never exists under its name) and never fetched again. The submissions feed is
fetched once per run (new filings appear); the copy last fetched is kept for `offline` runs, which
read only the cache and never open a connection.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from dattrack.errors import BadInput
from dattrack.providers.http import ProviderError, base_url, get
from dattrack.providers.sec import PROVIDER, SEC_RATE, RateLimiter, _Paced, pad_cik, user_agent
from dattrack.providers.sec_disclosures import filings as parse_filings

CACHE_VARIABLE = "DATTRACK_CACHE"
SEC_ARCHIVES = "https://www.sec.gov"   # where a cited document lives, whatever base a run fetches from
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024   # Strategy's largest 10-K is ~4 MB; a 50 MB "document" is refused
MAX_INDEX_BYTES = 2 * 1024 * 1024
MAX_SUBMISSIONS_BYTES = 16 * 1024 * 1024
# The forms read for disclosures (amendments too): current reports and the periodic ones.
READ_FORMS = ("8-K", "6-K", "10-Q", "10-K")
EXHIBIT = re.compile(r"ex-?99|exhibit-?99", re.IGNORECASE)
DOCUMENT_SUFFIXES = (".htm", ".html", ".xhtml", ".txt", ".pdf")
# A file name as EDGAR writes them; anything else (a path, "..", a control character) is refused.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}")
ACCESSION = re.compile(r"(\d{10})-?(\d{2})-?(\d{6})")
ARCHIVE_PATH = re.compile(r"/Archives/edgar/data/(\d{1,10})/(\d{18})/([^/?#]+)")


@dataclass(frozen=True)
class FilingRef:
    """One filing of the submissions feed."""

    cik: str                 # ten digits
    form: str
    filed: str               # ISO filing date (the day it became public)
    report_date: str | None
    accession: str           # with dashes: 0001050446-25-000123
    items: str | None
    primary_document: str | None

    @property
    def reads_exhibits(self) -> bool:
        """Current reports carry their press releases as EX-99 exhibits; periodic reports are read whole."""
        return base_form(self.form) in ("8-K", "6-K")


@dataclass(frozen=True)
class Document:
    """A document's bytes and where they came from."""

    name: str                # file name (the reader guesses the media type from it)
    url: str
    data: bytes
    cik: str | None = None           # ten digits, for an EDGAR document
    accession: str | None = None
    cached: bool = False             # read from the cache, not fetched


def base_form(form: str) -> str:
    return form.strip().upper().removesuffix("/A")


def is_read_form(form: str) -> bool:
    return base_form(form) in READ_FORMS


def is_exhibit(name: str) -> bool:
    return bool(EXHIBIT.search(name)) and name.lower().endswith(DOCUMENT_SUFFIXES)


def dashed(accession: str) -> str:
    match = ACCESSION.fullmatch(accession.strip())
    if match is None:
        raise BadInput(f"{accession!r} is not an SEC accession number (0001050446-25-000123)")
    return "-".join(match.groups())


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where fetched documents are kept: DATTRACK_CACHE, else the user cache directory."""
    env = os.environ if env is None else env
    chosen = (env.get(CACHE_VARIABLE) or "").strip()
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_dir  # only when no place was given

    return Path(user_cache_dir("dattrack", appauthor=False))


class DocumentCache:
    """Files kept for good under `root/edgar/{cik}/{accession}/{name}`; submissions under
    `root/edgar/{cik}/submissions/`."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def filing_file(self, cik: str, accession: str, name: str) -> Path:
        return self.root / "edgar" / str(int(cik)) / dashed(accession).replace("-", "") / _safe_name(name)

    def submissions_file(self, cik: str, name: str) -> Path:
        return self.root / "edgar" / str(int(cik)) / "submissions" / _safe_name(name)

    @staticmethod
    def read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ProviderError("cache", f"cannot read {path}: {exc.strerror or exc}") from None

    @staticmethod
    def write(path: Path, data: bytes) -> None:
        """Atomically: a temporary file in the same directory, then renamed over the name."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".part-", dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise ProviderError("cache", f"cannot write {path}: {exc.strerror or exc}") from None


def _safe_name(name: str) -> str:
    if not FILE_NAME.fullmatch(name) or ".." in name:
        raise ProviderError(PROVIDER, f"refused a file name that is not a plain EDGAR name: {name[:80]!r}")
    return name


EVERYTHING = "0001-01-01"   # `since` that reaches back to the first filing


@dataclass(frozen=True)
class _Page:
    """An older page of the submissions feed (`files`), with the last filing date it holds."""

    name: str
    filed_to: str | None

    def wanted(self, since: str | None, oldest: str | None) -> bool:
        if since is None or (oldest is not None and since >= oldest):
            return False
        return self.filed_to is None or self.filed_to >= since


class _Feed:
    """One company's feed as read so far in this run: filings newest first, no accession twice."""

    def __init__(self) -> None:
        self.filings: list[FilingRef] = []
        self.pages: list[_Page] = []
        self.loaded: set[str] = set()

    @property
    def oldest(self) -> str | None:
        return self.filings[-1].filed if self.filings else None

    def add(self, refs: list[FilingRef]) -> None:
        seen = {f.accession for f in self.filings}
        self.filings += [r for r in refs if r.accession not in seen]
        self.filings.sort(key=lambda f: (f.filed, f.accession), reverse=True)


class EdgarArchive:
    """A run's view of EDGAR: submissions fetched once per CIK, filing files from the cache or fetched
    once (then kept). Thread-safe: a run may read several filings at a time."""

    def __init__(self, http, env: Mapping[str, str] | None = None, *, cache: DocumentCache | None = None,
                 offline: bool = False, limiter: RateLimiter = SEC_RATE, sleep=None):
        env = os.environ if env is None else env
        self.offline = offline
        self.cache = cache or DocumentCache(cache_dir(env))
        self._headers = {} if offline else {"User-Agent": user_agent(env)}  # refused before any request
        self._data_url, self._files_url = base_url("sec", env), base_url("sec_files", env)
        self._http = None if offline else _Paced(http, limiter)
        self._sleep = sleep
        self._feeds: dict[str, _Feed] = {}
        self._lock = threading.Lock()
        self.fetched = 0   # requests answered (tries excluded): what a run cost
        self._count_lock = threading.Lock()

    @property
    def files_url(self) -> str:
        return self._files_url

    def url(self, cik: str, accession: str, name: str) -> str:
        """The document's address as cited: on www.sec.gov, wherever this run fetches from."""
        return canonical_url(ArchiveAddress(cik, accession, name))

    def _address(self, cik: str, accession: str, name: str) -> str:
        return f"{self._files_url}/Archives/edgar/data/{int(cik)}/{dashed(accession).replace('-', '')}/{name}"

    # -- the submissions feed ----------------------------------------------------------------

    def filings(self, cik: str | int, since: str | None = None) -> list[FilingRef]:
        """The company's filings, newest first. The recent list is fetched once per run (per CIK);
        the older pages of the feed only when `since` reaches before it (EVERYTHING: all of them)."""
        cik = pad_cik(cik)
        with self._lock:
            feed = self._feeds.get(cik)
            if feed is None:
                feed = self._feeds[cik] = self._recent(cik)
            for page in [p for p in feed.pages if p.name not in feed.loaded and p.wanted(since, feed.oldest)]:
                body = self._submissions(cik, f"{self._data_url}/submissions/{page.name}", page.name)
                feed.loaded.add(page.name)
                if body is not None:
                    feed.add(self._parse({"filings": {"recent": body}}, cik))
            return list(feed.filings)

    def filing(self, cik: str | int, accession: str) -> FilingRef | None:
        """One filing of the company's feed (the older pages are read only when it is not recent)."""
        accession = dashed(accession)
        for reach in (None, EVERYTHING):
            found = next((f for f in self.filings(cik, since=reach) if f.accession == accession), None)
            if found is not None:
                return found
        return None

    def _recent(self, cik: str) -> _Feed:
        name = f"CIK{cik}.json"
        document = self._submissions(cik, f"{self._data_url}/submissions/{name}", name)
        if document is None:
            return _Feed()
        feed = _Feed()
        feed.add(self._parse(document, cik))
        older = (document.get("filings") or {}).get("files") or []
        feed.pages = [_Page(p["name"], p.get("filingTo") if isinstance(p.get("filingTo"), str) else None)
                      for p in (older if isinstance(older, list) else [])
                      if isinstance(p, dict) and isinstance(p.get("name"), str)]
        return feed

    def _submissions(self, cik: str, url: str, name: str) -> dict | None:
        path = self.cache.submissions_file(cik, name)
        if self.offline:
            data = self.cache.read(path)
            if data is None:
                raise ProviderError(PROVIDER, f"offline: CIK {int(cik)}'s filing list is not in the cache "
                                              f"({self.cache.root}); run once without --offline")
        else:
            data = self._fetch(url, MAX_SUBMISSIONS_BYTES)
            if data is None:
                return None
        document = _json(data, f"submissions {name}")
        if not self.offline:
            self.cache.write(path, data)  # only for a later offline run: online runs always ask again
        return document

    def _parse(self, document: dict, cik: str) -> list[FilingRef]:
        refs = []
        for f in parse_filings(document, cik, self._files_url):
            primary = f.url.rsplit("/", 1)[1] if f.url else None
            refs.append(FilingRef(cik, f.form, f.filed, f.report_date, dashed(f.accession), f.items, primary))
        return refs

    # -- one filing's files --------------------------------------------------------------------

    def exhibits(self, filing: FilingRef) -> list[str]:
        """The filing's press-release exhibits (EX-99.x), from its index.json, in the index's order."""
        data, _ = self._file(filing.cik, filing.accession, "index.json", MAX_INDEX_BYTES)
        listing = _json(data, f"index.json of {filing.accession}")
        items = (listing.get("directory") or {}).get("item") if isinstance(listing.get("directory"), dict) else None
        names = []
        for item in items if isinstance(items, list) else []:
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and FILE_NAME.fullmatch(name) and ".." not in name and is_exhibit(name) \
                    and name != filing.primary_document:
                names.append(name)
        return names

    def attachments(self, filing: FilingRef) -> list[str]:
        """What is read of a filing: its primary document, then (current reports) its EX-99 exhibits."""
        names = [filing.primary_document] if filing.primary_document else []
        if filing.reads_exhibits:
            names += [name for name in self.exhibits(filing) if name not in names]
        return names

    def document(self, cik: str | int, accession: str, name: str) -> Document:
        cik = pad_cik(cik)
        data, cached = self._file(cik, accession, name, MAX_DOCUMENT_BYTES)
        return Document(name, self.url(cik, accession, name), data, cik, dashed(accession), cached)

    def _file(self, cik: str, accession: str, name: str, limit: int) -> tuple[bytes, bool]:
        """The file's bytes and whether they came from the cache."""
        path = self.cache.filing_file(cik, accession, name)
        data = self.cache.read(path)
        if data is not None:
            return data, True
        if self.offline:
            raise ProviderError(PROVIDER, f"offline: {name} of {dashed(accession)} is not in the cache")
        data = self._fetch(self._address(cik, accession, name), limit)
        if data is None:
            raise ProviderError(PROVIDER, f"{name} of {dashed(accession)} is not on EDGAR (HTTP 404)")
        self.cache.write(path, data)
        return data, False

    def _fetch(self, url: str, limit: int) -> bytes | None:
        """The body of one EDGAR address (None: 404), under the run's budget and deadline."""
        import httpx

        response = get(self._http, url, provider=PROVIDER, headers=self._headers, sleep=self._sleep, max_bytes=limit)
        with self._count_lock:
            self.fetched += 1
        path = httpx.URL(url).path
        if response.status_code == 404:
            return None
        if response.status_code == 403:
            raise ProviderError(PROVIDER, f"HTTP 403 on {path}: EDGAR refuses requests whose User-Agent does not "
                                          "name a person and an email (or above 10 requests a second)")
        if response.status_code != 200:
            raise ProviderError(PROVIDER, f"HTTP {response.status_code} on {path}")
        return response.content


def _json(data: bytes, what: str) -> dict:
    try:
        document = json.loads(data, parse_float=Decimal)
    except ValueError:
        raise ProviderError(PROVIDER, f"{what} is not JSON") from None
    if not isinstance(document, dict):
        raise ProviderError(PROVIDER, f"{what} is JSON of an unexpected shape")
    return document


# -- any address ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArchiveAddress:
    cik: str
    accession: str
    name: str


def canonical_url(address: ArchiveAddress) -> str:
    folder = dashed(address.accession).replace("-", "")
    return f"{SEC_ARCHIVES}/Archives/edgar/data/{int(address.cik)}/{folder}/{address.name}"


def archive_address(url: str, env: Mapping[str, str] | None = None) -> ArchiveAddress | None:
    """The CIK, accession and file name of an address in EDGAR's archives (www.sec.gov, or the
    DATTRACK_SEC_FILES_URL base), else None."""
    import httpx

    try:
        target, home = httpx.URL(url), httpx.URL(base_url("sec_files", env))
    except httpx.InvalidURL:
        return None
    path = target.path
    if (target.host, target.port) == (home.host, home.port) and path.startswith(home.path.rstrip("/") + "/"):
        path = path[len(home.path.rstrip("/")):]
    elif target.host not in ("www.sec.gov", "sec.gov"):
        return None
    match = ARCHIVE_PATH.fullmatch(path)
    if match is None:
        return None
    cik, accession, name = match.groups()
    return ArchiveAddress(pad_cik(cik), dashed(accession), name)


def fetch_url(http, url: str, env: Mapping[str, str] | None = None, *, archive: EdgarArchive | None = None,
              offline: bool = False) -> Document:
    """One document by address: EDGAR's archives through the cache, anything else fetched once
    (http or https only) with the same size cap and deadline."""
    import httpx

    env = os.environ if env is None else env
    address = archive_address(url, env)
    if address is not None:
        archive = archive or EdgarArchive(http, env, offline=offline)
        return archive.document(address.cik, address.accession, address.name)
    try:
        target = httpx.URL(url)
    except httpx.InvalidURL:
        raise BadInput(f"{url[:120]!r} is not a URL") from None
    if target.scheme not in ("http", "https") or not target.host:
        raise BadInput(f"{url[:120]!r}: only http and https addresses are read")
    if offline:
        raise BadInput(f"offline: {target.host} is not SEC EDGAR, and only EDGAR documents are kept in the cache")
    response = get(http, url, provider=target.host, max_bytes=MAX_DOCUMENT_BYTES)
    if response.status_code != 200:
        raise ProviderError(target.host, f"HTTP {response.status_code} on {target.path}")
    name = target.path.rstrip("/").rsplit("/", 1)[-1] or target.host
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip() or None
    return _with_media_type(Document(name, url, response.content), media_type)


def _with_media_type(document: Document, media_type: str | None) -> Document:
    """A name the reader can tell the kind from, when the address has no suffix (…/press-release)."""
    if document.name.lower().endswith(DOCUMENT_SUFFIXES) or not media_type:
        return document
    suffix = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
              "text/plain": ".txt"}.get(media_type)
    if suffix is None:
        return document
    return Document(document.name + suffix, document.url, document.data, document.cik, document.accession,
                    document.cached)


def filed_on(filing: FilingRef) -> dt.date:
    return dt.date.fromisoformat(filing.filed)
