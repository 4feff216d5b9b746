# Second Opinion Tracker: `make run` for the demo (and its mail worker), `make test` for every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
TEST_DATABASE_URL ?=
PYTEST_ARGS ?=

export TRACKER_ENV ?= demo

.PHONY: install run test test-sqlite test-postgres lint format clean screenshots bench bench-compare \
	bench-load bench-practices own-words-hashes safety-case run-with-nhs-sign-in

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The demo: its address is printed once it answers, with the demo sign-ins; Ctrl+C stops
# the server and the mail worker beside it.
run: install
	$(BIN)/flask --app wsgi db upgrade heads
	$(BIN)/flask --app wsgi tracker seed-demo --if-empty
	@APP_BASE_URL=http://$(HOST):$(PORT) $(BIN)/flask --app wsgi tracker serve-demo \
		--host $(HOST) --port $(PORT) --mail-interval 10

# The demo with "Sign in with NHSmail" at the tests' OpenID provider on loopback (README,
# "Signing in with NHSmail or an NHS smartcard"); Ctrl+C stops both.
run-with-nhs-sign-in: install
	$(BIN)/python -m tests.oidc.demo --host $(HOST) --port $(PORT)

# Every test on SQLite, then on PostgreSQL too when TEST_DATABASE_URL is set.
test: install
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$(TEST_DATABASE_URL)" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped (make test-postgres runs it)."; fi

test-sqlite: install
	TEST_DATABASE_URL= $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	TEST_DATABASE_URL=$(or $(TEST_DATABASE_URL),postgresql://postgres@127.0.0.1:5432/test) \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

# The own-words check (tests/foundation/test_own_words.py) holds the patient leaflet only as
# hashes of its 8-word runs. Make them again from a copy of the leaflet:
#   make own-words-hashes LEAFLET=path/to/second-opinion-leaflet.txt
own-words-hashes:
	@test -n "$(LEAFLET)" || { echo "Say where the leaflet is: make own-words-hashes LEAFLET=path/to/leaflet.txt"; exit 2; }
	$(BIN)/python -m tests.own_words "$(LEAFLET)"

# The clinical safety case (docs/safety/): the hazard log and the safety case report, Markdown
# and PDF, made from docs/safety/hazards.yaml; a test fails when they are out of date.
safety-case: install
	$(BIN)/python -m tracker.safety

# Screenshots of the main pages for the README (needs Debian's Chromium).
screenshots: install
	$(BIN)/python docs/make_screenshots.py

# The benchmark (bench/README.md): N cases on SQLite and PostgreSQL, and 1,000 for the ratios.
# DATABASES=sqlite or postgresql for one only (each command has its own default).
N ?= 100000
DATABASES ?=
bench_databases = $(if $(DATABASES),--databases $(DATABASES))
bench: install
	$(BIN)/python -m bench.run --n $(N) $(bench_databases)
	$(BIN)/python -m bench.practices $(bench_databases)

# One install of many practices against a practice on its own (bench/README.md): 200 practices
# and 1,000,000 cases on PostgreSQL, 20 of 5,000 cases on SQLite, against one of 5,000.
bench-practices: install
	$(BIN)/python -m bench.practices $(bench_databases)

# The working tree against BASE (default origin/main, else the merge base with main) on the
# same generated cases, N = 10,000 unless N is given; SQLite unless DATABASES says otherwise.
# The load test's staff and seconds: LOAD_STAFF (50) and LOAD_SECONDS (60).
BASE ?=
LOAD_STAFF ?= 50
LOAD_SECONDS ?= 60
compare_n = $(if $(filter command line environment,$(origin N)),$(N),10000)
bench-compare: install
	$(BIN)/python -m bench.compare --n $(compare_n) $(if $(BASE),--base $(BASE)) \
		$(bench_databases) --staff $(LOAD_STAFF) --seconds $(LOAD_SECONDS)

# The load test alone, on the working tree: SQLite and PostgreSQL, N = 10,000 unless given.
bench-load: install
	$(BIN)/python -m bench.load --n $(compare_n) $(bench_databases) \
		--staff $(LOAD_STAFF) --seconds $(LOAD_SECONDS)

# Style, formatting, and the layers contract in pyproject.toml (no upward imports).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
