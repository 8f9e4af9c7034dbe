"""`dattrack filings`: the SEC filing index per company, newest first, with `in_ledger`."""

from __future__ import annotations

from tests.fakes.disclosures import submissions

MSTR_FILINGS = [
    ("0001050446-25-000101", "2025-11-03", "8-K", "7.01,8.01,9.01", "mstr-20251103.htm"),
    ("0001050446-25-000110", "2025-11-10", "8-K", "8.01", "mstr-20251110.htm"),
    ("0001050446-25-000120", "2025-11-17", "8-K", "8.01,9.01", "mstr-20251117.htm"),
    ("0001050446-25-000099", "2025-10-30", "10-Q", "", "mstr-20250930.htm"),
    ("0001050446-25-000098", "2025-10-29", "4", "", "form4.xml"),
]


def setup_mstr(cli, fake):
    fake.sec_tickers = {"MSTR": 1050446}
    fake.submissions["0001050446"] = submissions(1050446, MSTR_FILINGS)
    cli.ok("company", "add", "MSTR", "--name", "Strategy")
    # One event cites an accession with dashes, a fact cites another without.
    cli.ok("event", "add", "MSTR", "buy", "8178", "--date", "2025-11-17", "--total", "835554438",
           "--source", "8-K 0001050446-25-000120")
    cli.ok("fact", "set", "MSTR", "shares_basic", "267468000", "--date", "2025-10-27",
           "--source", "10-Q accession 000105044625000099")


def test_filings_newest_first_with_in_ledger(cli, fake):
    setup_mstr(cli, fake)
    rows = cli.json("filings", "MSTR", "--form", "8-K")
    assert [(r["filed"], r["accession"], r["in_ledger"]) for r in rows] == [
        ("2025-11-17", "0001050446-25-000120", True),
        ("2025-11-10", "0001050446-25-000110", False),
        ("2025-11-03", "0001050446-25-000101", False)]
    assert rows[0]["url"] == f"{fake.url}/sec_files/Archives/edgar/data/1050446/000105044625000120/mstr-20251117.htm"
    assert rows[0]["items"] == "8.01,9.01"


def test_filings_default_forms_and_since(cli, fake):
    setup_mstr(cli, fake)
    rows = cli.json("filings", "MSTR", "--since", "2025-10-30")
    assert [(r["form"], r["in_ledger"]) for r in rows] == [("8-K", True), ("8-K", False), ("8-K", False),
                                                            ("10-Q", True)]   # the Form 4 is not a disclosure


def test_filings_of_a_company_not_on_edgar_is_a_note(cli, fake):
    setup_mstr(cli, fake)
    cli.ok("company", "add", "METAPLANET", "--name", "Metaplanet", "--currency", "JPY")
    result = cli("filings", "--format", "json")
    assert result.exit_code == 0
    assert "METAPLANET: not on EDGAR" in result.stderr


def test_filings_sends_the_user_agent_and_fails_by_name(cli, fake):
    setup_mstr(cli, fake)
    cli.ok("filings", "MSTR")
    assert all(entry.headers["user-agent"] == "Jane Doe jane@example.com" for entry in fake.log
               if entry.provider.startswith("sec"))
    fake.fail("sec:0001050446", 500, times=None)
    result = cli("filings", "MSTR")
    assert result.exit_code == 1 and "failed MSTR: SEC EDGAR" in result.stderr


def test_filings_cited_by_synced_purchases_are_in_the_ledger(cli, fake):
    from tests.fakes.disclosures import strategy_transactions

    fake.treasury["strategy"] = strategy_transactions(weeks=2)   # cite 0001050446-25-000000 and -000001
    fake.sec_tickers = {"MSTR": 1050446}
    fake.submissions["0001050446"] = submissions(1050446, [
        ("0001050446-25-000000", "2025-09-02", "8-K", "8.01", "a.htm"),
        ("0001050446-25-000001", "2025-09-09", "8-K", "8.01", "b.htm"),
        ("0001050446-25-000002", "2025-09-16", "8-K", "8.01", "c.htm")])
    cli.ok("company", "add", "MSTR", "--name", "Strategy", "--coingecko-id", "strategy")
    cli.ok("sync", "MSTR", "--source", "coingecko")
    rows = cli.json("filings", "MSTR")
    assert [(r["accession"], r["in_ledger"]) for r in rows] == [
        ("0001050446-25-000002", False), ("0001050446-25-000001", True), ("0001050446-25-000000", True)]
