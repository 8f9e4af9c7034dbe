"""The header line of a report (SPEC 10): what its figures rest on, said the way a person reads it."""

from __future__ import annotations

from dattrack.freshness import input_dates
from dattrack.render.output import as_of_words, inputs_line


def line(as_of: str, *used: tuple[str, str, str], known_on: str | None = None) -> str:
    return inputs_line(input_dates(as_of, used, known_on))


def test_prices_of_the_valuation_date_need_no_age():
    assert line("2026-07-17", ("crypto", "BTC", "2026-07-17"), ("stock", "MSTR", "2026-07-17")) == "Prices of 2026-07-17"


def test_old_prices_say_how_old_and_that_they_are_stale():
    assert line("2026-12-04", ("crypto", "BTC", "2026-10-06"), ("stock", "MSTR", "2026-10-06"),
                ("fx", "USDJPY", "2026-10-06")) == "Prices of 2026-10-06, 59 days old (stale)"
    assert line("2026-11-23", ("crypto", "BTC", "2026-11-22")) == "Prices of 2026-11-22, 1 day old"


def test_kinds_of_different_dates_are_named_apart():
    text = line("2026-12-04", ("crypto", "BTC", "2026-12-03"), ("crypto", "ETH", "2026-12-03"),
                ("stock", "MSTR", "2026-12-01"), ("stock", "3350.T", "2026-07-17"), ("fx", "USDJPY", "2026-12-03"))
    assert text == ("Crypto prices of 2026-12-03, 1 day old · share closes of 2026-07-17 (3350.T), 140 days old "
                    "(stale); 2026-12-01 (MSTR), 3 days old · USDJPY of 2026-12-03, 1 day old")


def test_many_dates_of_one_kind_are_a_span():
    used = [("stock", f"S{n}", f"2026-11-{n:02d}") for n in range(1, 6)] + [("crypto", "BTC", "2026-12-04")]
    assert line("2026-12-04", *used) == ("Crypto prices of 2026-12-04 · share closes of 2026-11-01 to 2026-11-05 "
                                         "(29 to 33 days old, all stale)")


def test_facts_give_their_span_and_how_many_are_stale():
    text = line("2026-12-04", ("crypto", "BTC", "2026-12-04"), ("fact", "MSTR shares_basic", "2026-09-30"),
                ("fact", "MSTR debt", "2025-12-31"), ("fact", "CANG cash", "2025-12-31"))
    assert text == "Prices of 2026-12-04 · facts of 2025-12-31 to 2026-09-30, 2 stale"
    assert line("2026-12-04") == "No prices on or before 2026-12-04"


def test_as_of_words_say_what_was_known():
    assert as_of_words("2026-02-16") == "as of 2026-02-16"
    assert as_of_words("2026-02-20", "2026-02-16") == "as of 2026-02-20, as known on 2026-02-16"
