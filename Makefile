PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip
	$(BIN)/pip install -qq -e '.[test]'
	touch $(STAMP)

# The bundled data set, no network: who holds what, who trades under its crypto, who is selling, who is next, what
# the sources disagree on, and the HTML report. Valued as of the newest day every bundled price has a close.
DT := $(BIN)/dattrack --db demo.db
demo: $(STAMP)
	@rm -f demo.db demo.db-wal demo.db-shm demo-snapshot.log
	$(DT) init --seed
	@day=$$($(DT) price coverage --common) || exit 1; \
	echo; echo "== Valuing as of $$day: the newest day on which every bundled price has a close,"; \
	echo "   so no figure pairs closes of different days (see: dattrack price coverage)."; \
	$(DT) snapshot --offline --quiet --since 2025-10-01 --date $$day 2> demo-snapshot.log; \
	echo "== Daily snapshots 2025-10-01..$$day stored for the charts (notes: demo-snapshot.log)"; echo; \
	$(DT) holdings --as-of $$day && echo && \
	$(DT) mnav --as-of $$day && echo && \
	$(DT) risk --as-of $$day && echo && \
	$(DT) risk MSTR --claims --as-of $$day && echo && \
	$(DT) risk MSTR --claims --as-of $$day --price 25000 && echo && \
	$(DT) flows --as-of $$day --since 2025-10-01 && echo && \
	{ $(DT) check --failing || echo "(check exits 1: the sources disagree here; data/README.md explains)"; } && echo && \
	$(DT) report --as-of $$day --out demo-report.html

test: $(STAMP)
	$(BIN)/python -m pytest

# Every figure of the performance targets: the ledger over 1M events, price fetch, snapshot, start-up, the reader.
bench: $(STAMP)
	$(BIN)/python bench/ledger.py
	-$(BIN)/python bench/prices.py   # exits 1 over its target; the others still run
	$(BIN)/python bench/snapshot.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/filings.py
	$(BIN)/python bench/upgrade.py
	$(BIN)/python bench/capital.py
	$(BIN)/python bench/reader.py
	$(BIN)/python bench/periodic.py
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo-snapshot.log demo-report.html build *.egg-info bench/out
