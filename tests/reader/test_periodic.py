"""10-Q/10-K reading, case by case: "tags can be wrong; the text decides" (SPEC 11) on the real filings
that carry each error, and written documents for what the fixtures do not show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dattrack.reader import read_document
from dattrack.reader.placement import Placer
from dattrack.reader.xbrl import read_facts
from tests.reader.ixbrl import context, document
from tests.reader.periodic_corpus import fixture, reading

D = dt.date


def balances(prefix: str) -> dict[tuple[str, dt.date], tuple]:
    item = fixture(prefix)
    return {(f.asset, f.date): (f.quantity, f.amount, f.doubt) for f in reading(item.file).disclosures
            if f.kind == "balance"}


def notes(prefix: str) -> str:
    return "\n".join(reading(fixture(prefix).file).notes)


# --- real filings: the tag is wrong, the text decides --------------------------------------------------------

def test_a_count_tagged_1000_times_too_small_reads_as_its_thousands_column():
    """DeFi Development's Q3 2025 10-Q tags 1,157 SOL (scale 0) in a table headed "(in thousands)":
    1,157,000 SOL, whose fair value $244,271 thousand is $211 a SOL, SOL's price that day."""
    found = balances("dfdv-10q-2025-09-30")
    assert found[("SOL", D(2025, 9, 30))] == (Decimal(1157000), Decimal(169339000), None)
    assert "tagged 1,157, the text states 1,157,000: the text decides" in notes("dfdv-10q-2025-09-30")


def test_a_units_column_under_dollars_in_thousands_is_as_printed():
    """FG Nexus tags 50,778 ETH with scale 3 (50,778,000) under "($ in thousands)": the units are as printed."""
    found = balances("fgnx-10q-2025-09-30")
    assert found == {("ETH", D(2025, 9, 30)): (Decimal(50778), Decimal(195709000), None)}
    assert "tagged 50,778,000, the text states 50,778" in notes("fgnx-10q-2025-09-30")


def test_a_bitcoin_count_tagged_in_usd_and_1000_times_too_large():
    """CleanSpark tags "Number of bitcoin held 5,021" as 5,021,000 USD; its cost row "(in '000s)" is money."""
    found = balances("clsk-10q-2024-03-31")
    assert found == {("BTC", D(2024, 3, 31)): (Decimal(5021), Decimal(210324000), None),
                     ("BTC", D(2023, 9, 30)): (Decimal(2243), Decimal(56241000), None)}


def test_token_counts_tagged_in_usd_under_a_tokens_header():
    """BTCS tags its ETH, SOL and BNB token counts in USD under the wrong concept; the "Tokens" column and
    each row's asset decide; Rocket Pool, no asset dattrack knows, is left out."""
    found = balances("btcs-10q-2025-09-30")
    assert found[("ETH", D(2025, 9, 30))] == (Decimal(70322), Decimal(213513938), None)
    assert found[("SOL", D(2025, 9, 30))] == (Decimal(7355), Decimal(541505), None)
    assert found[("BNB", D(2025, 9, 30))] == (Decimal(68), Decimal(48246), None)
    assert ("ETH", D(2024, 12, 31)) in found and not any(asset is None for asset, _ in found)


def test_a_pledged_amount_as_the_only_plain_fact_is_no_holding():
    """Nakamoto's plain CryptoAssetNumberOfUnits is 2,903: "2,903 of the Company's 5,398 Bitcoin were
    pledged as collateral". The holding is 5,398."""
    found = balances("naka-10q-2025-09-30")
    assert found == {("BTC", D(2025, 9, 30)): (Decimal(5398), Decimal(681247326), None)}
    assert "2903" in notes("naka-10q-2025-09-30") and "pledged" in notes("naka-10q-2025-09-30")


def test_a_face_amount_tagged_800_with_scale_0_reads_as_the_800_million_the_text_states():
    item = fixture("mstr-10q-2024-03-31")
    facts = read_facts(item.data())
    placer = Placer()
    face = next(f for f in facts.named("DebtInstrumentFaceAmount")
                if f.context.member("LongtermDebtTypeAxis") == "mstr:ConvertibleSeniorNotesDueTwentyThirtyMember")
    placement = placer.place(face)
    assert face.value == Decimal("800.0") and placement.reads(face) == Decimal(800000000)
    assert "$800.0 million aggregate principal amount of 0.625% Convertible Senior Notes due 2030" in placement.quote
    notes_2030 = next(i for i in reading(item.file).instruments if i.maturity == D(2030, 3, 15))
    assert notes_2030.outstanding == 800000000 and notes_2030.basis == "face"


def test_a_face_amount_tagged_wrongly_and_nothing_else_is_corrected_by_its_sentence():
    """Written: only the face amount is tagged, as 800 with scale 0, inside "$800.0 million"."""
    member = (("us-gaap:LongtermDebtTypeAxis", "co:ConvertibleSeniorNotesDue2030Member"),)
    body = ('<p>In March 2024, the Company issued $<ix:nonFraction name="us-gaap:DebtInstrumentFaceAmount" '
            'contextRef="N" unitRef="USD" decimals="-5" scale="0" format="ixt:num-dot-decimal">800.0</ix:nonFraction>'
            ' million aggregate principal amount of <ix:nonFraction name="us-gaap:DebtInstrumentInterestRateStated'
            'Percentage" contextRef="N" unitRef="pure" decimals="INF" scale="-2">0.625</ix:nonFraction>% Convertible '
            'Senior Notes due 2030, maturing <ix:nonNumeric name="us-gaap:DebtInstrumentMaturityDate" contextRef="N" '
            'format="ixt:date-monthname-day-year-en">March 15, 2030</ix:nonNumeric>.</p>')
    found = read_document(document(body, contexts=(context("N", instant="2025-09-30", members=member),)))
    [notes_2030] = found.instruments
    assert (notes_2030.outstanding, notes_2030.rate, notes_2030.maturity, notes_2030.kind) == (
        Decimal(800000000), Decimal("0.00625"), D(2030, 3, 15), "convertible")
    assert any("tagged 800.0, the text states 800,000,000" in n for n in found.notes)


def test_contractual_payments_in_the_maturity_schedule_are_not_the_principal():
    """Strategy's Q1 2021 10-Q tags its 2025 notes' payments (principal plus interest, $674.4 million) as
    principal maturities; the face amount outstanding is $650.0 million."""
    item = fixture("mstr-10q-2021-03-31")
    notes_2025 = next(i for i in reading(item.file).instruments if i.maturity == D(2025, 12, 15))
    assert notes_2025.outstanding == 650000000 and notes_2025.tag == "us-gaap:DebtInstrumentFaceAmount"
    assert "sums 674,443,000" in notes("mstr-10q-2021-03-31")


def test_machines_are_no_coins_and_a_row_count_is_read_beside_its_tagged_cost():
    """Bit Digital: "we had 21,357 bitcoin miners" is no BTC; the holdings table's untagged quantities are
    read in the rows whose cost and fair value are tagged."""
    found = balances("btbt-10q-2025-09-30")
    assert found == {("BTC", D(2025, 9, 30)): (Decimal("6.1"), Decimal(679409), None),
                     ("ETH", D(2025, 9, 30)): (Decimal("102023.6"), Decimal(264254817), None),
                     ("BTC", D(2024, 12, 31)): (Decimal("741.9"), None, None)}
    flows = [f for f in reading(fixture("btbt-10q-2025-09-30").file).disclosures if f.kind == "sell"]
    assert all(f.doubt for f in flows)  # "sold 7,900 bitcoin miners" cannot be recorded


def test_parts_of_a_holding_are_not_holdings_of_their_own():
    """Fold's Rewards and Investment Treasuries, and the 800 restricted bitcoin, are parts of 1,575;
    Strategy's 175,721 bitcoins held by MacroStrategy are part of 214,278."""
    assert balances("fld-10q-2025-09-30")[("BTC", D(2025, 9, 30))] == (Decimal(1575), Decimal(114300000), None)
    assert balances("mstr-10q-2024-03-31")[("BTC", D(2024, 3, 31))] == (Decimal(214278), Decimal(7534798000), None)
    assert "175,721 stated beside 214,278 is read as a part of it" in notes("mstr-10q-2024-03-31")


def test_a_total_over_several_assets_is_given_to_none():
    """Bitmine's total row (3,737,333 units: ETH and BTC together) is neither asset's holding."""
    found = balances("bmnr-10q-2025-11-30")
    assert found == {("BTC", D(2025, 11, 30)): (Decimal(193), Decimal(21380000), None),
                     ("ETH", D(2025, 11, 30)): (Decimal(3737140), Decimal(14953824000), None)}


def test_a_table_only_holding_with_the_cost_from_its_sentence():
    """KULR tags no count: its MD&A table has "Bitcoin Held" by date; the cost basis is the tagged
    CryptoAssetCost of a company whose only crypto is bitcoin; the fair value is never the amount."""
    found = balances("kulr-10q-2025-09-30")
    assert found == {("BTC", D(2025, 9, 30)): (Decimal("1056.69"), Decimal(106785454), None),
                     ("BTC", D(2024, 12, 31)): (Decimal("217.18"), None, None)}


def test_the_comparative_column_is_a_disclosure_of_its_own_date():
    found = balances("upxi-10q-2025-09-30")
    assert found == {("SOL", D(2025, 9, 30)): (Decimal(2066827), None, None),
                     ("SOL", D(2025, 6, 30)): (Decimal(744026), None, None)}


def test_cover_page_shares_are_summed_over_classes_at_their_own_date():
    item = fixture("mstr-10q-2024-03-31")
    [shares] = [f for f in reading(item.file).disclosures if f.kind == "fact" and f.name == "shares_basic"]
    assert (shares.value, shares.date, shares.rule) == (Decimal(17737431), D(2024, 4, 24), "cover-shares-outstanding")
    assert "15,773,406 and 1,964,025 shares of class A common stock and class B" in shares.quote


def test_a_quarters_flow_read_from_the_text_with_no_period_goes_to_the_inbox():
    flows = [f for f in reading(fixture("kulr-10q-2025-09-30").file).disclosures if f.kind == "buy"]
    assert flows and all(f.doubt or f.period_start for f in flows)


# --- written documents: generic units, prices, hidden facts ------------------------------------------------

def generic_unit_document(count: str = "5,398", fair_value: str = "615,798,837") -> bytes:
    body = ('<table><tr><td></td><td>Units</td><td>Fair Value</td></tr>'
            f'<tr><td>Digital assets</td><td><ix:nonFraction name="us-gaap:CryptoAssetNumberOfUnits" contextRef="I" '
            f'unitRef="Integer" decimals="0" format="ixt:num-dot-decimal">{count}</ix:nonFraction></td>'
            f'<td>$<ix:nonFraction name="us-gaap:CryptoAssetFairValue" contextRef="I" unitRef="USD" decimals="0" '
            f'format="ixt:num-dot-decimal">{fair_value}</ix:nonFraction></td></tr></table>')
    return document(body)


def test_a_generic_unit_is_matched_to_the_asset_whose_price_fits_within_five_percent():
    prices = {("BTC", D(2025, 9, 30)): Decimal("114057"), ("ETH", D(2025, 9, 30)): Decimal("4145")}
    found = read_document(generic_unit_document(), prices=prices)
    [balance] = [f for f in found.disclosures if f.kind == "balance"]
    assert (balance.asset, balance.quantity, balance.doubt, balance.rule) == ("BTC", 5398, None,
                                                                              "xbrl-fair-value-price")


def test_a_generic_unit_that_fits_no_price_names_no_asset():
    prices = {("BTC", D(2025, 9, 30)): Decimal("60000"), ("ETH", D(2025, 9, 30)): Decimal("4145")}
    found = read_document(generic_unit_document(), prices=prices)
    assert [f for f in found.disclosures if f.kind == "balance"] == []
    assert any("matches no asset's price" in n for n in found.notes)


def test_without_prices_a_generic_unit_with_no_asset_in_its_text_is_not_guessed():
    found = read_document(generic_unit_document())
    assert [f for f in found.disclosures if f.kind == "balance"] == []
    assert any("names no asset" in n for n in found.notes)


def test_a_named_count_that_fair_value_and_price_contradict_goes_to_the_inbox():
    body = ('<table><tr><td></td><td>Units</td><td>Fair Value</td></tr>'
            '<tr><td>Bitcoin</td><td><ix:nonFraction name="us-gaap:CryptoAssetNumberOfUnits" contextRef="I" '
            'unitRef="Bitcoin" decimals="0" format="ixt:num-dot-decimal">5,398</ix:nonFraction></td>'
            '<td>$<ix:nonFraction name="us-gaap:CryptoAssetFairValue" contextRef="I" unitRef="USD" decimals="0" '
            'format="ixt:num-dot-decimal">61,579,883</ix:nonFraction></td></tr></table>')
    found = read_document(document(body), prices={("BTC", D(2025, 9, 30)): Decimal("114057")})
    [balance] = [f for f in found.disclosures if f.kind == "balance"]
    assert balance.doubt and "fair value 61,579,883" in balance.doubt and "5,398" in balance.doubt


def test_a_count_tagged_only_in_hidden_facts_goes_to_the_inbox():
    hidden = ('<ix:nonFraction name="us-gaap:CryptoAssetNumberOfUnits" contextRef="I" unitRef="Bitcoin" '
              'decimals="0">12</ix:nonFraction>')
    found = read_document(document("<p>Our digital assets are described in Note 5.</p>", hidden=hidden))
    [balance] = [f for f in found.disclosures if f.kind == "balance"]
    assert (balance.asset, balance.quantity) == ("BTC", 12) and "hidden" in balance.doubt


def test_a_document_without_inline_xbrl_is_read_by_the_general_rules_alone():
    text = (b"<html><body><p>QUARTERLY REPORT (10-Q)</p><p>As of September 30, 2025, we held 1,000 bitcoin.</p>"
            b"</body></html>")
    found = read_document(text, form="10-Q")
    assert [f.quantity for f in found.disclosures if f.kind == "balance"] == [1000] and found.instruments == ()


def test_a_preferred_series_is_its_shares_times_liquidation_preference_and_junior_to_debt():
    series = (("us-gaap:StatementClassOfStockAxis", "us-gaap:SeriesAPreferredStockMember"),)
    loan = (("us-gaap:DebtInstrumentAxis", "co:SecuredTermLoanDueTwentyTwentySevenMember"),)
    body = ('<table><tr><td>Series A Preferred Shares, $25.00 liquidation preference per share, '
            '<ix:nonFraction name="us-gaap:PreferredStockSharesOutstanding" contextRef="S" unitRef="shares" '
            'decimals="INF" format="ixt:num-dot-decimal">894,580</ix:nonFraction> shares outstanding, dividend rate '
            '<ix:nonFraction name="us-gaap:PreferredStockDividendRatePercentage" contextRef="S" unitRef="pure" '
            'decimals="INF" scale="-2">8.00</ix:nonFraction>%</td></tr></table>'
            '<ix:nonFraction name="us-gaap:PreferredStockLiquidationPreference" contextRef="S" unitRef="USDPerShare" '
            'decimals="INF">25.00</ix:nonFraction>'
            '<p>The secured term loan of $<ix:nonFraction name="us-gaap:DebtInstrumentFaceAmount" contextRef="L" '
            'unitRef="USD" decimals="-5" scale="6">12.5</ix:nonFraction> million bears interest at '
            '<ix:nonFraction name="us-gaap:DebtInstrumentInterestRateStatedPercentage" contextRef="L" unitRef="pure" '
            'decimals="INF" scale="-2">9.5</ix:nonFraction>% and matures on <ix:nonNumeric '
            'name="us-gaap:DebtInstrumentMaturityDate" contextRef="L" format="ixt:date-monthname-day-year-en">'
            'June 30, 2027</ix:nonNumeric>.</p>')
    contexts = (context("S", instant="2025-09-30", members=series), context("L", instant="2025-09-30", members=loan))
    found = read_document(document(body, contexts=contexts))
    loan_found, preferred = found.instruments
    assert (preferred.kind, preferred.shares, preferred.liquidation_preference, preferred.outstanding,
            preferred.rate, preferred.seniority) == ("preferred", 894580, Decimal("25.00"), Decimal("22364500.00"),
                                                     Decimal("0.08"), 4)
    assert (loan_found.kind, loan_found.outstanding, loan_found.rate, loan_found.maturity, loan_found.seniority) == (
        "loan", 12500000, Decimal("0.095"), D(2027, 6, 30), 1)


def test_with_the_days_price_fair_value_confirms_the_text_over_the_tag():
    """DeFi Development's $244,271 thousand of SOL at $211.05 is 1,157,400 SOL: the text's 1,157,000, not
    the tag's 1,157; at a price that fits neither, the figure goes to the inbox with both."""
    item = fixture("dfdv-10q-2025-09-30")
    right = read_document(item.data(), date=item.filed, prices={("SOL", D(2025, 9, 30)): Decimal("211.05")})
    [balance] = [f for f in right.disclosures if f.kind == "balance"]
    assert (balance.quantity, balance.doubt) == (1157000, None)
    wrong = read_document(item.data(), date=item.filed, prices={("SOL", D(2025, 9, 30)): Decimal("150")})
    [balance] = [f for f in wrong.disclosures if f.kind == "balance"]
    assert "1,157,000" in balance.doubt and "1,157 " in balance.doubt + " "
