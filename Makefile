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

# The bundled data set, no network: holdings, who trades under its crypto, who is next to sell, and what the sources disagree on.
demo: $(STAMP)
	@rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/dattrack --db demo.db init --seed
	$(BIN)/dattrack --db demo.db holdings
	$(BIN)/dattrack --db demo.db mnav
	$(BIN)/dattrack --db demo.db risk
	@$(BIN)/dattrack --db demo.db check CANG ETHZ || echo "(check exits 1: these disclosures disagree with the events, as data/README.md explains)"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/ledger.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm build *.egg-info bench/out
