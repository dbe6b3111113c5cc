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
BUILD     ?= build
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

# A misspelt variable (make run PROCESED=...) would otherwise be ignored and the
# default used in its place (the repository's own data/processed): refuse it.
KNOWN_VARS := RAW PROCESSED FIGURES BUILD PYTHON VENV OPENBLAS_CORETYPE NPY_DISABLE_CPU_FEATURES
UNKNOWN_VARS := $(strip $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),$(if $(filter $(v),$(KNOWN_VARS)),,$(v)))))
ifneq ($(UNKNOWN_VARS),)
$(error unknown variable on the command line: $(UNKNOWN_VARS); this Makefile takes $(KNOWN_VARS))
endif

.PHONY: setup lock ingest run notebooks test bench clean figures-manifest

# Byte-identical figures on any x86-64 machine: OpenBLAS and numpy pick their
# kernels by CPU at run time, and AVX-512 kernels round differently from AVX2 ones
# (the last bits of a topic model, then of a figure). Pin both to the AVX2 level.
ifeq ($(shell uname -m),x86_64)
export OPENBLAS_CORETYPE ?= Haswell
export NPY_DISABLE_CPU_FEATURES ?= X86_V4
endif

setup: $(STAMP)

LOCK   := requirements.lock

# Install exactly the locked versions (every package, pinned: same input, same
# figures); re-install only when the lock or the package metadata changes.
$(STAMP): pyproject.toml setup.py src/corpus_tools/crf_kernel.pyx $(LOCK)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 required, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Developers: after changing pyproject.toml, re-lock and regenerate environment.yml.
lock: setup
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
	  -o $(LOCK) pyproject.toml
	$(BIN)/python tools/make_environment.py

ingest: setup
	$(BIN)/corpus-tools ingest $(RAW) --out $(PROCESSED)

# Executed copies go to build/notebooks so the committed notebooks stay as reviewed.
run: ingest
	@mkdir -p $(BUILD)/notebooks $(FIGURES)
	@for nb in $(NOTEBOOKS); do \
	  echo "== executing $$nb"; \
	  $(BIN)/papermill --cwd notebooks --progress-bar "$$nb" "$(BUILD)/$$nb" \
	    -p corpus "$(abspath $(PROCESSED))" -p raw_dir "$(abspath $(RAW))" \
	    -p figures_dir "$(abspath $(FIGURES))" || exit 1; \
	done
	@echo "Figures written to $(FIGURES)/:"; ls -1 $(FIGURES)
	@$(BIN)/python tools/check_figures.py --raw "$(RAW)" --figures "$(FIGURES)"

# Refresh the outputs stored in the committed notebooks (developers).
notebooks: ingest
	@for nb in $(NOTEBOOKS); do \
	  (cd notebooks && ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$(basename $$nb)") || exit 1; \
	done

test: ingest
	$(BIN)/python -m pytest tests notebooks --nbval-lax -p no:cacheprovider

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python "$$b" || exit 1; done

# Developers: record the checksums of the figures of the bundled corpus (after `make run`).
figures-manifest:
	$(BIN)/python tools/check_figures.py --write --figures "$(FIGURES)"

clean:
	rm -rf build $(PROCESSED) $(FIGURES)
