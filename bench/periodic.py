"""Periodic-report benchmark: read a 10-K of about 5 MB (inline XBRL) as `sync --source filings` reads
one from the cache — its facts, the period-end holdings, the cover-page shares and the instruments.

    python bench/periodic.py [--megabytes 5] [--runs 3]

The document is generated from a committed fixture (Upexi's 10-K for fiscal 2025, about 2 MB, in
tests/fixtures/filings/periodic): its body is repeated, figures shifted, until the document is
`--megabytes` large, so that the facts, tables and text grow the way a bigger filer's do. Prints the
best of `--runs` for the inline-XBRL facts alone and for the whole reading (document model, the
general rules and reader.periodic), and the whole reading of each committed 10-Q/10-K. Target: the
5 MB 10-K's inline XBRL (parsed and every fact read) and reader.periodic's own work in well under a
second each on a 2-core machine; the whole reading is mostly the document model's (reader/html.py).
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import machine  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "filings" / "periodic"
BASE = "upxi-10k-2025-06-30-0001477932-25-006996.htm.gz"
TARGET_SECONDS = 1.0
FIGURE = re.compile(rb"(?<![\d,])(\d{1,3}),(\d{3})(?![\d,])")


def ten_k(megabytes: float) -> bytes:
    """The fixture 10-K with its body repeated (each copy's figures shifted) up to `megabytes`."""
    data = gzip.decompress((FIXTURES / BASE).read_bytes())
    start = data.index(b"</ix:header>")
    start = data.index(b"</div>", start) + len(b"</div>")
    end = data.rindex(b"</body>")
    body = data[start:end]
    copies = []
    size = len(data)
    copy = 0
    while size < megabytes * 2**20:
        copy += 1
        shifted = FIGURE.sub(lambda m: b"%s,%03d" % (m.group(1), (int(m.group(2)) + copy) % 1000), body)
        copies.append(shifted)
        size += len(shifted)
    return data[:end] + b"".join(copies) + data[end:]


def best(runs: int, work) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fixtures", type=int, default=None, help="read only this many committed 10-Qs/10-Ks")
    args = parser.parse_args()
    from dattrack.reader import read_document, rules
    from dattrack.reader.periodic import read_periodic
    from dattrack.reader.reading import document_identity, load_document
    from dattrack.reader.model import Reading
    from dattrack.reader.xbrl import read_facts

    document = ten_k(args.megabytes)
    read_document(gzip.decompress((FIXTURES / BASE).read_bytes()))  # imports and patterns: start-up, not reading
    facts_time, facts = best(args.runs, lambda: read_facts(document))
    model_time, model = best(args.runs, lambda: load_document(document))
    general = Reading(disclosures=tuple(rules.read(model)[0]), form=document_identity(model)[1])
    periodic_time, reading = best(args.runs, lambda: read_periodic(model, general, form="10-K"))
    whole_time, _ = best(args.runs, lambda: read_document(document))
    print(f"machine: {machine()}")
    print(f"10-K of {len(document) / 2**20:.1f} MB, best of {args.runs} (target: facts and periodic each under "
          f"{TARGET_SECONDS:.0f} s):")
    print(f"  inline XBRL parsed, {len(facts.facts)} facts read  {facts_time:5.2f} s")
    print(f"  reader.periodic                      {periodic_time:5.2f} s  ({len(reading.disclosures)} disclosures, "
          f"{len(reading.instruments)} instruments)")
    print(f"  document model (reader/html.py)      {model_time:5.2f} s")
    print(f"  read whole (read_document)           {whole_time:5.2f} s")
    total = 0.0
    paths = sorted(FIXTURES.glob("*.htm.gz"))[:args.fixtures]
    for path in paths:
        data = gzip.decompress(path.read_bytes())
        seconds, _ = best(args.runs, lambda: read_document(data))
        total += seconds
        print(f"  {path.name[:40]:40} {len(data) / 2**20:4.1f} MB {seconds:5.2f} s")
    print(f"{len(paths)} committed 10-Qs/10-Ks read in {total:.2f} s")
    if args.megabytes >= 5 and max(facts_time, periodic_time) > TARGET_SECONDS:
        sys.exit(1)


if __name__ == "__main__":
    main()
