# worktrace — two commands: `make run` (install, migrate, demo province, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/worktrace
STAMP := $(VENV)/.installed

.PHONY: install run test test-sqlite test-postgres lint browser-deps clean

install: $(STAMP) node_modules/.package-lock.json
	@cd worktrace && ../$(BIN)/worktrace compilemessages --verbosity 0
	@$(BIN)/worktrace collectstatic --noinput --verbosity 0
	@echo "Installed: $(BIN)/worktrace"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# `worktrace demo` serves the site with the task queue's consumer beside it (roster uploads); Ctrl+C stops both.
run: install
	$(BIN)/worktrace migrate --noinput
	$(BIN)/worktrace demo

# Chromium for the browser tests comes from Debian (Playwright's own download is not reachable offline).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Cần cài Chromium: sudo apt-get install chromium"; exit 1; fi; }

test: install browser-deps lint test-sqlite test-postgres

# mypy (django-stubs) covers the service and access layers; views and tests are checked by ruff only.
TYPED := worktrace/accounts/access.py worktrace/accounts/masking.py worktrace/accounts/services.py worktrace/audit/services.py worktrace/text.py \
	worktrace/bulk.py worktrace/registry/selectors.py worktrace/registry/admin_units.py worktrace/demo/generator \
	worktrace/tracing/engine.py worktrace/tracing/services.py worktrace/tracing/selectors.py worktrace/tracing/results.py worktrace/tracing/export.py worktrace/tracing/graph.py worktrace/tracing/params.py worktrace/api/services.py \
	worktrace/ratelimits.py worktrace/headers.py worktrace/errors.py worktrace/env.py \
	worktrace/spreadsheets.py worktrace/rosters/parse.py worktrace/rosters/rows.py worktrace/rosters/rules.py \
	worktrace/rosters/sheets.py worktrace/rosters/crossrows.py worktrace/rosters/formulas.py \
	worktrace/rosters/normalize.py worktrace/rosters/columns.py worktrace/rosters/reader.py \
	worktrace/rosters/messages.py worktrace/rosters/report.py worktrace/rosters/workbook.py worktrace/rosters/export.py
TYPED += worktrace/rosters/apply worktrace/rosters/conflicts.py worktrace/rosters/company.py worktrace/rosters/preview.py worktrace/rosters/undo.py
TYPED += worktrace/notifications/services.py worktrace/notifications/delivery.py worktrace/notifications/triggers.py \
	worktrace/notifications/kinds.py worktrace/notifications/models.py
TYPED += worktrace/tracing/investigations.py

lint:
	$(BIN)/ruff check worktrace conftest.py
	$(BIN)/ruff format --check worktrace conftest.py
	$(BIN)/mypy $(TYPED)

test-sqlite:
	$(BIN)/pytest

# PostgreSQL is the production database: the suite runs there too. Under CI=true a missing server fails.
test-postgres:
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres').close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL không chạy trên 127.0.0.1:5432 (CI=true): thất bại."; exit 1; \
	else echo "CẢNH BÁO: không có PostgreSQL trên 127.0.0.1:5432, bỏ qua bộ kiểm thử PostgreSQL."; fi

clean:
	rm -rf $(VENV) node_modules var
