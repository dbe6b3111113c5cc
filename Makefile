# Two entry points for a newcomer (see README):
#   make run   - set up, ingest the bundled corpus, execute the notebooks, write figures/
#   make test  - set up, ingest the bundled corpus, run all tests incl. notebooks (nbval)

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

RAW       ?= data/raw/seeds
PROCESSED ?= data/processed
FIGURES   ?= figures
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

.PHONY: setup ingest run notebooks test bench clean

setup: $(STAMP)

# Re-install only when the dependency list changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 required, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

ingest: setup
	$(BIN)/corpus-tools ingest $(RAW) --out $(PROCESSED)

# Executed copies go to build/notebooks so the committed notebooks stay as reviewed.
run: ingest
	@mkdir -p build/notebooks $(FIGURES)
	@for nb in $(NOTEBOOKS); do \
	  echo "== executing $$nb"; \
	  $(BIN)/papermill --cwd notebooks --progress-bar "$$nb" "build/$$nb" \
	    -p corpus "../$(PROCESSED)" -p raw_dir "../$(RAW)" -p figures_dir "../$(FIGURES)" || exit 1; \
	done
	@echo "Figures written to $(FIGURES)/:"; ls -1 $(FIGURES)

# Refresh the outputs stored in the committed notebooks (developers).
notebooks: ingest
	@for nb in $(NOTEBOOKS); do \
	  (cd notebooks && ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$(basename $$nb)") || exit 1; \
	done

test: ingest
	$(BIN)/python -m pytest tests notebooks --nbval-lax -p no:cacheprovider

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python "$$b" || exit 1; done

clean:
	rm -rf build $(PROCESSED) $(FIGURES)
