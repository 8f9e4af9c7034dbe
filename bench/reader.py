"""Reader benchmark: read 200 8-Ks of Strategy's size (about 85 KB on average, up to 1 MB, inline
XBRL) with the document reader, as `sync --source filings` reads a cache of them.

    python bench/reader.py [--documents 200]

The documents are generated from the committed fixtures (tests/fixtures/filings/mstr): every
Strategy 8-K once, then the largest ones again with their figures changed (so that no two are
alike), until there are `--documents` of them. Target: under 10 s on a 2-core machine. Prints the
wall time, the documents' sizes and what was read.
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

FIXTURES = ROOT / "tests" / "fixtures" / "filings" / "mstr"
TARGET_SECONDS = 10.0
FIGURE = re.compile(rb"(?<![\d,])(\d{3}),(\d{3})(?![\d,])")   # "597,325": shifted in each copy


def documents(count: int) -> list[tuple[str, bytes]]:
    """Every fixture once, then the largest again, each copy with its six-digit figures shifted."""
    originals = [(p.name, gzip.decompress(p.read_bytes())) for p in sorted(FIXTURES.glob("*.htm.gz"))]
    out = list(originals[:count])
    largest = sorted(originals, key=lambda item: len(item[1]), reverse=True)
    copy = 0
    while len(out) < count:
        name, data = largest[copy % len(largest[:40])]
        copy += 1
        shifted = FIGURE.sub(lambda m: b"%s,%03d" % (m.group(1), (int(m.group(2)) + copy) % 1000), data)
        out.append((f"copy{copy}-{name}", shifted))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    from dattrack.reader import read_document

    docs = documents(args.documents)
    sizes = [len(data) for _, data in docs]
    read_document(docs[0][1])  # imports and compiled patterns are start-up, not reading
    disclosures = issuance = 0
    start = time.perf_counter()
    for name, data in docs:
        reading = read_document(data, name=name)
        disclosures += len(reading.disclosures)
        issuance += len(reading.issuance)
    wall = time.perf_counter() - start
    print(f"machine: {machine()}")
    print(f"{len(docs)} documents read: {sum(sizes) / len(sizes) / 1024:.0f} KB on average, "
          f"largest {max(sizes) / 1024:.0f} KB, {sum(sizes) / 2**20:.1f} MB in all")
    print(f"read {disclosures} disclosures and {issuance} issuance rows in {wall:.2f} s "
          f"({wall / len(docs) * 1000:.1f} ms a document; target under {TARGET_SECONDS:.0f} s for 200)")
    if args.documents >= 200 and wall > TARGET_SECONDS:
        sys.exit(1)


if __name__ == "__main__":
    main()
