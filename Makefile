# infobank: `make run` starts the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core for the browser tests' accessibility checks (npm registry, pinned in package-lock.json)
NODE_STAMP := node_modules/.package-lock.json

.PHONY: run test check lint format bench clean messages screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

run: $(STAMP)
	$(BIN)/infobank demo

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples
	$(BIN)/ruff format --check src tests bench examples
	$(BIN)/mypy src

check: lint test

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench examples
	$(BIN)/ruff format src tests bench examples

# Page messages: extract from templates and web code, merge into each catalogue, then translate.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --omit-header \
		-o src/infobank/locale/messages.pot .
	$(BIN)/pybabel update -i src/infobank/locale/messages.pot -d src/infobank/locale \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date -w 100

# Full-page screenshots of every person and staff page at phone width (390 px), named by page,
# into docs/screenshots; the browser tests write them only when asked like this. pngquant
# (Debian package) keeps each file small enough for the repository.
screenshots: $(STAMP) $(NODE_STAMP)
	@command -v pngquant >/dev/null || { echo "needs pngquant: apt-get install pngquant"; exit 1; }
	INFOBANK_SCREENSHOTS=1 INFOBANK_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -p no:randomly \
		tests/e2e/test_web_browser.py -k every_page
	pngquant --force --ext .png --speed 1 --strip docs/screenshots/*.png

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache infobank-demo.db* infobank-demo-pg
