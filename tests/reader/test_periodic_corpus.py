"""The 10-Q/10-K reader measured on the committed filings of a dozen DATs (periodic_corpus.py): how many
period-end holdings it finds, and that it reads no number wrong — the filings whose tags are 1,000x
off or in USD included."""

from __future__ import annotations

from tests.reader.periodic_corpus import expected, expected_instruments, fixtures, match_instrument, reading, score

ASSETS_COVERED = {"BTC", "ETH", "SOL", "LTC"}


def test_the_corpus_covers_a_dozen_dats_and_each_document_is_its_filers():
    companies = {f.ticker for f in fixtures()}
    assert len(companies) >= 12
    assert ASSETS_COVERED <= {e.asset for e in expected() if e.kind == "balance"}
    assert "TRON" in companies  # a TRX treasury whose 10-Q states no period-end count: nothing is read for it
    for item in fixtures():
        found = reading(item.file)
        assert found.cik == item.cik and found.form == item.form, item.file


def test_at_least_90_percent_of_period_end_holdings_found_and_no_wrong_number():
    scores = score()
    expected_total = sum(s.expected for s in scores.values())
    found_total = sum(s.found for s in scores.values())
    assert expected_total >= 30
    assert found_total >= 0.9 * expected_total, {t: s.missed for t, s in scores.items() if s.missed}
    assert [w for s in scores.values() for w in s.wrong] == []
    assert [u for s in scores.values() for u in s.unexpected] == []


def test_every_cover_page_share_count_is_read_exactly():
    scores = score()
    covers = {e.key for e in expected() if e.scope == "cover"}
    missed = {line for s in scores.values() for line in s.missed if "shares_basic" in line}
    assert len(covers) == len(fixtures()) and missed == set()


def test_strategys_notes_and_loans_exactly_as_each_10q_states_them():
    """2021: the 2025 and 2027 converts; 2022: with the 2028 secured notes and the 2025 term loan; 2024: six,
    the 2030 notes whose face amount is tagged 800 included."""
    wanted = expected_instruments()
    for file in sorted({w.file for w in wanted}):
        found = reading(file).instruments
        mine = [w for w in wanted if w.file == file]
        assert len(found) == len(mine), (file, [i.name for i in found])
        for want in mine:
            got = match_instrument(want, found)
            assert got is not None, (file, want.instrument)
            assert (got.outstanding, got.rate, got.maturity, got.conversion_price, got.seniority, got.doubt) == (
                want.outstanding, want.rate, want.maturity, want.conversion_price, want.seniority, None), \
                (file, want.instrument, got)
            assert got.basis == "face" and got.currency == "USD" and got.quote
    assert [len([w for w in wanted if w.file.startswith(f"mstr-10q-{y}")]) for y in (2021, 2022, 2024)] == [2, 4, 6]
