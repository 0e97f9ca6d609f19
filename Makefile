# offstage: `make dev` runs the local stack, `make test` runs every test. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
SHARED ?= ../shared
CORPUS := $(SHARED)/reference/docassemble/examples
PORT ?= 3000

.PHONY: dev test unit lint bench browser libreoffice venv clean validate peer conformance assets

venv: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml requirements-dev.txt layers/runtime/requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) (python 3.11+) on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt -e .
	touch $@

# Bootstrap, jQuery and Font Awesome for the pages, axe-core for the browser tests: npm packages (versions pinned in
# assets/package-lock.json), never committed. The page's files are copied into offstage/web/vendor/,
# which `sam build` packs into the runtime layer with the rest of the working tree.
ASSETS := layers/runtime/offstage/web/vendor
assets: $(ASSETS)/.installed

$(ASSETS)/.installed: assets/package.json assets/package-lock.json
	@if ! command -v npm >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq npm >/dev/null; \
	fi
	npm ci --prefix assets --no-audit --no-fund --silent
	mkdir -p $(ASSETS)
	cp assets/node_modules/bootstrap/dist/css/bootstrap.min.css assets/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   assets/node_modules/jquery/dist/jquery.min.js $(ASSETS)/
	cp assets/node_modules/@fortawesome/fontawesome-free/css/all.min.css $(ASSETS)/fontawesome.min.css
	cp assets/node_modules/@fortawesome/fontawesome-free/webfonts/*.woff2 $(ASSETS)/
	touch $@

# The local stack: emulated AWS in-process, the sample interviews and, when ../shared is there, the corpus.
# development: an error in interview code shows the author's error page (block, file, line, traceback)
dev: venv libreoffice
	OFFSTAGE_DEBUG=$${OFFSTAGE_DEBUG:-1} $(VENV)/bin/offstage serve --port $(PORT) $(if $(wildcard $(CORPUS)),--interviews $(CORPUS))

# Headless Chromium for the browser tests (Debian's package; the test tool never downloads browsers).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# LibreOffice (DOCX -> PDF for attachments) and poppler-utils (pdftotext, which the document tests read
# PDFs with): Debian's packages, as for the browser. In AWS the conversion needs a container image (docs).
libreoffice:
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null || ! command -v gs >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core poppler-utils ghostscript >/dev/null; \
	fi

# docassemble's own engine in bench/.peer (../shared's setup script): the benches' reference, and the
# source of docassemble's 803 example interviews that the conformance tests read
peer:
	@[ -x bench/.peer/venv/bin/python ] || bash $(SHARED)/peers/docassemble/setup.sh bench/.peer

# `sam validate --lint` with SAM CLI in its own venv (its pins differ from the test tools')
validate: .sam-venv/.installed
	AWS_DEFAULT_REGION=us-east-1 SAM_CLI_TELEMETRY=0 .sam-venv/bin/sam validate --lint -t template.yaml

.sam-venv/.installed:
	$(PYTHON) -m venv .sam-venv
	.sam-venv/bin/pip install -q aws-sam-cli
	touch $@

test: venv browser libreoffice validate peer
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	@# a few integration tests stop interview code at a time limit (seconds of wall clock): on a loaded
	@# machine one may miss it, so a failed test runs once more, reported as a rerun in the summary
	$(PY) -m pytest -q -p no:cacheprovider -n 3 --reruns 1 -r aR tests/unit tests/integration
	@# the browser scenarios wait in real time (docassemble's own waits): fewer at once keeps a 2-core
	@# machine responsive, and a scenario that misses a timing window on a loaded machine runs again (at most twice more)
	@# (reported as a rerun in the summary, never hidden)
	$(PY) -m pytest -q -p no:cacheprovider -n 2 --reruns 2 -r aR tests/e2e

unit: venv peer
	$(PY) -m pytest -q tests/unit

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

bench: venv libreoffice
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .sam-venv .pytest_cache assets/node_modules $(ASSETS)

# A report, not a test: the first screen of each of docassemble.base's examples in docassemble (the peer,
# installed in bench/.peer when missing) and in offstage -> docs/conformance.md. `ARGS=--pin` also
# rewrites tests/conformance_agree.txt (the files that agree, which the unit tests keep agreeing).
conformance: venv
	$(PY) bench/conformance.py $(ARGS)
