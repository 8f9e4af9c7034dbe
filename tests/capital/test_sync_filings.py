"""Issue 19's "Done when", through `sync --source filings` against a local EDGAR serving Strategy's real
filings: its 10-Qs of 2021, 2022 and 2024 give each note and loan exactly as stated (periodic/
instruments.csv, typed from the documents), `instrument list --as-of` each period end shows what was
outstanding then; its weekly 8-Ks give every "ATM Update" row to `issuance`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dattrack.providers import sec
from tests.fakes.edgar_archive import EdgarArchive
from tests.reader import corpus, periodic_corpus

D = Decimal
CIK = 1050446
PERIOD_ENDS = ("2021-03-31", "2022-03-31", "2024-03-31")


def serve(monkeypatch, tmp_path, filings):
    monkeypatch.setattr(sec.SEC_RATE, "limit", 10_000)
    fake = EdgarArchive()
    for form, accession, filed, name, data in filings:
        fake.add_filing(CIK, accession, form, filed, {name: data})
    fake.__enter__()
    for key, value in fake.env(DATTRACK_CACHE=str(tmp_path / "cache")).items():
        monkeypatch.setenv(key, value)
    return fake


@pytest.fixture
def ten_qs(monkeypatch, tmp_path):
    found = [f for f in periodic_corpus.fixtures("MSTR")]
    assert [f.filed.year for f in found] == [2021, 2022, 2024]
    fake = serve(monkeypatch, tmp_path, [(f.form, f.accession, f.filed.isoformat(), f.url.rsplit("/", 1)[-1], f.data())
                                         for f in found])
    yield found
    fake.__exit__(None, None, None)


@pytest.fixture
def eight_ks(monkeypatch, tmp_path):
    found = corpus.fixtures("MSTR")
    fake = serve(monkeypatch, tmp_path, [(f.form, f.accession, f.filed.isoformat(), f.document, f.data())
                                         for f in found])
    yield found
    fake.__exit__(None, None, None)


def strategy(cli):
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--cik", str(CIK))


def test_strategys_10qs_give_each_note_and_loan_as_stated_at_each_period_end(cli, ten_qs):
    strategy(cli)
    result = cli("sync", "MSTR", "--source", "filings", "--since", "2021-01-01")
    assert result.exit_code == 0, result.stderr
    assert "instrument amounts from 10-Q/10-K recorded" in result.stderr
    stated = periodic_corpus.expected_instruments()
    by_file = {f.file: f for f in ten_qs}
    for day in PERIOD_ENDS:
        listed = [r for r in cli.json("instrument", "list", "MSTR", "--as-of", day) if r["outstanding"]]
        wanted = [w for w in stated if w.date.isoformat() == day]
        assert len(listed) == len(wanted) == {"2021-03-31": 2, "2022-03-31": 4, "2024-03-31": 6}[day]
        for want in wanted:
            (row,) = [r for r in listed if r["maturity"] == (want.maturity.isoformat() if want.maturity else None)
                      and r["kind"] == want.kind]
            assert (row["outstanding"], row["outstanding_date"], row["rate"], row["seniority"]) == (
                want.outstanding, day, want.rate, want.seniority), (day, want.instrument)
            if want.conversion_price is not None:       # stated in 2021 and 2024 (pre-split prices)
                assert row["conversion_price"] == want.conversion_price
            filing = by_file[want.file]
            form, accession, url = row["source"].split("; ")[0].split(" ")
            assert (form, accession, url) == ("10-Q", filing.accession, filing.url)
            assert row["origin"] == "filing" and row["basis"] == "face" and row["known_on"] == filing.filed.isoformat()
            assert row["member"].startswith("mstr:")
    # The 2030 notes' face amount is tagged 800 (scale 0) inside "$800.0 million": the text decides.
    (notes_2030,) = [r for r in cli.json("instrument", "list", "MSTR", "--as-of", "2024-03-31")
                     if r["maturity"] == "2030-03-15"]
    assert notes_2030["outstanding"] == 800000000
    # The 2021 10-Q tags the 2025 notes' payments (674.4M with interest) as maturities: the face, 650M, counts.
    (notes_2025,) = [r for r in cli.json("instrument", "list", "MSTR", "--as-of", "2021-03-31")
                     if r["maturity"] == "2025-12-15"]
    assert notes_2025["outstanding"] == 650000000
    # The term loan the 2024 10-Q no longer lists: repaid, 0 at that period end (and 205M before it).
    loans = {r["outstanding_date"]: r for r in cli.json("instrument", "list", "MSTR", "--as-of", "2024-03-31")
             if r["maturity"] == "2025-03-23"}
    (loan,) = loans.values()
    assert (loan["outstanding"], loan["outstanding_date"]) == (0, "2024-03-31")
    assert "no longer listed at 2024-03-31" in loan["source"]
    (before,) = [r for r in cli.json("instrument", "list", "MSTR", "--as-of", "2023-12-31")
                 if r["maturity"] == "2025-03-23"]
    assert before["outstanding"] == 205000000
    # The crypto units and cover-page share counts of the same 10-Qs are recorded by the filings writer.
    balances = {(e["date"], e["quantity"]) for e in cli.json("event", "list", "MSTR", "--kind", "balance")}
    assert {("2021-03-31", 91326), ("2022-03-31", 129218), ("2024-03-31", 214278)} <= balances
    shares = {(f["date"], f["value"]) for f in cli.json("fact", "list", "MSTR", "--name", "shares_basic")}
    assert {("2021-04-22", 9745593), ("2022-04-26", 11297548), ("2024-04-24", 17737431)} <= shares
    # Running it again adds nothing.
    again = cli("sync", "MSTR", "--source", "filings", "--since", "2021-01-01")
    assert again.exit_code == 0 and "instrument amounts from 10-Q/10-K recorded" not in again.stderr
    assert len(cli.json("instrument", "list", "MSTR")) == 7


def test_a_hand_typed_instrument_is_never_overwritten_and_explain_shows_both(cli, ten_qs):
    strategy(cli)
    cli.ok("instrument", "add", "MSTR", "2028 secured notes (typed)", "--kind", "note", "--outstanding",
           "500000000", "--date", "2021-06-14", "--rate", "0.06125", "--maturity", "2028-06-15", "--seniority",
           "1", "--source", "8-K of 2021-06-14")
    cli.ok("instrument", "set", "1", "--outstanding", "500000000", "--date", "2024-06-30", "--source", "typed later")
    cli.ok("sync", "MSTR", "--source", "filings", "--since", "2021-01-01")
    listed = {r["name"]: r for r in cli.json("instrument", "list", "MSTR", "--as-of", "2024-03-31")}
    typed, filed = listed["2028 secured notes (typed)"], listed["Secured Notes due 2028"]
    assert typed["origin"] == "manual" and typed["source"] == "8-K of 2021-06-14"    # untouched
    assert filed["matches"] == typed["id"] and filed["outstanding_date"] == "2024-03-31"
    cli.ok("event", "add", "MSTR", "balance", "214278", "--date", "2024-03-31", "--allow-duplicate")
    cli.ok("price", "set", "BTC", "70000", "--date", "2024-03-31")
    # On 2024-03-31 the filing's amount is the newer one: it counts, once; the typed one is named beside it.
    (row,) = cli.json("risk", "MSTR", "--as-of", "2024-03-31")
    assert row["debt"] == 500000000 + 10200000 + 650000000 + 1050000000 + 800000000 + 603750000
    stack = {x["figure"]: x for x in cli.json("explain", "MSTR", "--as-of", "2024-03-31")
             if x["section"] == "capital_stack"}
    assert "btc_rating 2028 secured notes (typed)" not in stack
    chosen = [n["text"] for n in stack["btc_rating Secured Notes due 2028"]["notes"] if n["kind"] == "chosen"]
    assert chosen and "also recorded as '2028 secured notes (typed)' (typed by hand" in chosen[0]
    assert "this one (from a filing) is used — its amount is newer" in chosen[0]
    # After 2024-06-30 the typed amount is the newer: it counts, and the filing's is named.
    stack = {x["figure"]: x for x in cli.json("explain", "MSTR", "--as-of", "2024-07-31")
             if x["section"] == "capital_stack"}
    assert "btc_rating Secured Notes due 2028" not in stack
    assert any("also recorded as 'Secured Notes due 2028' (from a filing" in n["text"]
               for n in stack["btc_rating 2028 secured notes (typed)"]["notes"])


def test_every_atm_update_row_of_strategys_8ks_reaches_issuance(cli, eight_ks):
    from dattrack.reader import read_document

    strategy(cli)
    dry = cli("sync", "MSTR", "--source", "filings", "--since", "2020-08-01", "--dry-run")
    assert dry.exit_code == 0 and "192 issuance rows would be recorded" in dry.stderr
    assert cli.json("issuance", "MSTR") == []
    result = cli("sync", "MSTR", "--source", "filings", "--since", "2020-08-01")
    assert result.exit_code == 0, result.stderr
    assert "192 issuance rows recorded" in result.stderr
    rows = cli.json("issuance", "MSTR")
    stored = {(r["date"], r["period_start"], r["security"], r["shares"], r["notional"], r["net_proceeds"],
               r["capacity_left"], r["source"].split(" ")[1], r["known_on"]) for r in rows}
    read = set()
    for f in eight_ks:
        for row in read_document(f.data(), name=f.document, date=f.filed, form=f.form).issuance:
            security = "MSTR" if row.security == "common" else row.security
            read.add((row.date.isoformat(), row.period_start and row.period_start.isoformat(), security, row.shares,
                      None if security == "MSTR" and row.notional == 0 else row.notional, row.net_proceeds,
                      row.capacity_left, f.accession, f.filed.isoformat()))
    assert len(rows) == len(stored) == len(read) == 192 and stored == read
    assert all(r["origin"] == "filing" and r["source"].startswith("8-K ") and r["quote"] for r in rows)
    # A few rows as the documents print them (typed from the 8-Ks).
    assert ("2024-11-17", "2024-11-11", "MSTR", 13593865, None, D("4.6E9"), D("15.3E9"), "0001193125-24-260452",
            "2024-11-18") in stored
    may = {(r["security"], r["shares"], r["net_proceeds"], r["capacity_left"]) for r in rows if r["date"] == "2025-05-04"}
    assert may == {("MSTR", 0, 0, D("21E9")), ("MSTR", 353825, D("128.5E6"), 0), ("STRK", 575392, D("51.8E6"),
                                                                                     D("20.87E9"))}
    assert ("2026-01-11", "2026-01-05", "STRC", 1192262, D("119.2E6"), D("119.1E6"), D("3923.1E6"),
            "0001193125-26-009811", "2026-01-12") in stored
    # Running it again records nothing; the bundled rows would be known too.
    again = cli("sync", "MSTR", "--source", "filings", "--since", "2020-08-01")
    assert again.exit_code == 0 and "issuance rows recorded" not in again.stderr
    assert len(cli.json("issuance", "MSTR")) == 192


def test_read_record_sends_a_10qs_instruments_and_an_8ks_issuance_to_the_capital_stack(cli, tmp_path):
    strategy(cli)
    q = periodic_corpus.fixture("mstr-10q-2022-03-31")
    path = tmp_path / "mstr-10q_20220331.htm"
    path.write_bytes(q.data())
    looked = cli("read", str(path), "--ticker", "MSTR", "--date", q.filed.isoformat())
    assert "4 instrument amounts from 10-Q/10-K new: --record records them" in looked.stderr
    assert cli.json("instrument", "list", "MSTR") == []
    recorded = cli("read", str(path), "--ticker", "MSTR", "--date", q.filed.isoformat(), "--record")
    assert recorded.exit_code == 0 and "4 instrument amounts from 10-Q/10-K recorded" in recorded.stderr
    assert {r["outstanding"] for r in cli.json("instrument", "list", "MSTR", "--as-of", "2022-03-31")} == {
        D(205000000), D(500000000), D(650000000), D(1050000000)}
    eight_k = next(f for f in corpus.fixtures("MSTR") if f.accession == "0001193125-26-009811")
    path = tmp_path / eight_k.document
    path.write_bytes(eight_k.data())
    assert "5 issuance rows recorded" in cli("read", str(path), "--ticker", "MSTR", "--date", "2026-01-12",
                                             "--record").stderr
    assert {r["security"] for r in cli.json("issuance", "MSTR")} == {"MSTR", "STRC", "STRD", "STRF", "STRK"}


def test_the_10qs_instruments_match_the_bundled_ones_of_the_same_claims(seeded, ten_qs):
    seeded.ok("sync", "MSTR", "--source", "filings", "--since", "2021-01-01")
    rows = seeded.json("instrument", "list", "MSTR", "--as-of", "2024-03-31")
    names = {r["id"]: r["name"] for r in rows}
    pairs = {r["name"]: names[r["matches"]] for r in rows if r["origin"] == "filing" and r["matches"]}
    assert pairs == {"Secured Notes due 2028": "6.125% Senior Secured Notes due 2028",
                     "Secured Term Loan due 2025": "2025 Secured Term Loan (Silvergate)",
                     "Convertible Senior Notes due 2030": "0.625% Convertible Senior Notes due 2030 (2030A)",
                     "Convertible Senior Notes due 2031": "0.875% Convertible Senior Notes due 2031",
                     "Other Long Term Secured Debt": "Other secured debt"}
    # The bundled amounts of 2026 are newer than the 10-Qs': they count, and none twice.
    (row,) = seeded.json("risk", "MSTR", "--as-of", "2026-07-17")
    typed = [r for r in seeded.json("instrument", "list", "MSTR", "--as-of", "2026-07-17")
             if r["origin"] == "seed" and r["kind"] != "preferred"]
    # What the 10-Qs list and the bundled data never had (the 2025 and 2027 notes, converted and redeemed
    # after 2024) stays at its last amount until a newer filing no longer lists it.
    unmatched = [r for r in seeded.json("instrument", "list", "MSTR", "--as-of", "2026-07-17")
                 if r["origin"] == "filing" and not r["matches"]]
    assert sorted(r["maturity"] for r in unmatched) == ["2025-12-15", "2027-02-15"]
    assert row["debt"] == sum(r["outstanding"] for r in typed) + sum(r["outstanding"] for r in unmatched)
