# Set-up and entry points. Every target installs the pinned environment first, so a
# fresh machine needs only Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: install reports test lint format strip-notebooks hooks lab lock bench clean

NOTEBOOK_FILES := $(wildcard notebooks/*.ipynb)
# Notebooks are committed without outputs, execution counts, papermill's injected
# parameters and metadata that changes with every run or Python version. Cell ids stay:
# JupyterLab gives a cell its id when the cell is created, and nbdime pairs cells by it.
NBSTRIPOUT := $(BIN)/nbstripout --keep-id --drop-tagged-cells injected-parameters \
	--extra-keys "metadata.papermill cell.metadata.papermill \
	metadata.language_info.codemirror_mode metadata.language_info.file_extension \
	metadata.language_info.mimetype metadata.language_info.nbconvert_exporter \
	metadata.language_info.pygments_lexer metadata.language_info.version"

# --clear empties .venv first, so a package dropped from the lock leaves the environment.
$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(PIP) install --quiet --require-hashes --no-deps -r requirements.lock
	$(PIP) install --quiet --no-deps --no-build-isolation --editable .
	$(BIN)/python -m lerarenkaart.kernel
	touch $(INSTALLED)

install: $(INSTALLED)

reports: $(INSTALLED)
	$(BIN)/lerarenkaart run --all

# Build what changed, then copy the report versions to DIR (an intranet share, say).
# A failed build stops make before anything is copied.
.PHONY: publish
publish: $(INSTALLED)
	@if [ -z "$(DIR)" ]; then \
		echo "DIR is missing: run make publish DIR=/path/to/share" >&2; exit 2; fi
	$(BIN)/lerarenkaart run --all
	$(BIN)/lerarenkaart publish --to "$(DIR)"

# Test files run in parallel, one pytest-xdist worker per CPU. All tests of a file run
# in the same worker, so a module fixture such as a build runs once. PYTEST_FLAGS adds
# options, e.g. make test PYTEST_FLAGS="-k reproducibility".
PYTEST_FLAGS ?=
test: $(INSTALLED)
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_FLAGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(NBSTRIPOUT) --verify $(NOTEBOOK_FILES)

format: $(INSTALLED) strip-notebooks
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

strip-notebooks: $(INSTALLED)
	$(NBSTRIPOUT) $(NOTEBOOK_FILES)

# Time the build against the papermill command line and plain Python, and write
# docs/benchmarks.md (about 15 minutes on two cores).
bench: $(INSTALLED)
	$(BIN)/python bench/run_benchmark.py

# The pre-commit hook and nbdime's notebook diff and merge drivers, with absolute paths
# into this .venv. Git keeps both in the clone's common .git folder, so they also apply
# to every worktree of the clone.
hooks: $(INSTALLED)
	$(BIN)/pre-commit install
	git config diff.jupyternotebook.command "$(CURDIR)/$(BIN)/git-nbdiffdriver diff"
	git config merge.jupyternotebook.driver \
		"$(CURDIR)/$(BIN)/git-nbmergedriver merge %O %A %B %L %P"
	git config merge.jupyternotebook.name "jupyter notebook merge driver"

# JupyterLab on notebooks/, listening on 127.0.0.1 only, with the project kernel.
# Jupyter does not start as root without --allow-root, which a container needs. More
# options go in LAB_FLAGS, e.g. make lab LAB_FLAGS="--port=8890 --no-browser".
LAB_FLAGS ?=
ALLOW_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(INSTALLED)
	$(BIN)/python -m lerarenkaart.kernel
	$(BIN)/jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_FLAGS)

# Refresh requirements.lock from the ranges in pyproject.toml, with hashes, using the
# uv pinned in the lock. uv keeps the versions already in the lock unless a range
# excludes them; `make lock LOCK_FLAGS=--upgrade` moves every package to its newest
# allowed version.
LOCK_FLAGS ?=
lock: $(INSTALLED)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 --output-file requirements.lock $(LOCK_FLAGS)

clean:
	rm -rf $(VENV) reports/[0-9]* reports/_failed reports/.staging reports/index.html \
		reports/_test-artifacts \
		data/processed/[0-9]*
