# Two entry points from a fresh clone: `make demo` (the main job, on the embedded emulator)
# and `make test` (lint, types, the docs site and every test tier). Both make their own virtualenv, and build
# the Pulumi CLI from Pulumi's Go modules where `go` is on PATH (once: .tools/pulumi/bin).

PYTHON ?= python3
# Every tier over the machine's cores, a test file's tests on one worker (its module fixtures
# made once). `--dist loadgroup` is no help here: pytest 9 ignores the group names pytest-xdist
# 3.8 writes into test ids. `make pytest PYTEST_ARGS="tests/e2e -q"` runs a piece serially.
PYTEST_ARGS ?= -n auto --dist loadfile
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The exact versions installed (the package declares ranges). Exported as PIP_CONSTRAINT too, so
# the e2e tier's `pulumi install` of the examples gets the same ones.
CONSTRAINTS ?= $(CURDIR)/constraints.txt
export PIP_CONSTRAINT := $(CONSTRAINTS)

.PHONY: demo test test-newest lint typecheck docs pytest bench clean pulumi-cli maybe-pulumi-cli segment-sdk \
	typed-constructors

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m segment_unify.demo

test: lint typecheck docs maybe-pulumi-cli segment-sdk pytest test-newest

# The unit, protocol and e2e tiers again with the newest Pulumi SDK the package's range allows
# (a virtualenv of their own; every other pin kept), since users install it beside theirs.
# A slice of each tier, to keep CI's time (a whole second protocol and e2e run would add
# about 10 minutes on 2 cores): the parser and builders, every resource's lifecycle through the
# provider process, and the example stack under the engine (its policy pack included).
# Programs run in .venv-newest too (SEGMENT_UNIFY_PROGRAM_VENV).
NEWEST_TIERS ?= tests/unit tests/protocol/test_lifecycle.py tests/e2e/test_unified_profiles_dev.py

build/constraints-newest.txt: constraints.txt
	mkdir -p build
	grep -v '^pulumi==' constraints.txt > $@

test-newest: build/constraints-newest.txt
	SEGMENT_UNIFY_PROGRAM_VENV=$(CURDIR)/.venv-newest \
	$(MAKE) pytest VENV=.venv-newest CONSTRAINTS=$(CURDIR)/build/constraints-newest.txt \
		PYTEST_ARGS="$(PYTEST_ARGS) $(NEWEST_TIERS)"
	.venv-newest/bin/python -c "import importlib.metadata as m; print('newest pulumi:', m.version('pulumi'))"

# The Pulumi CLI, its Python language host and plugin scripts, from Go modules (tools/).
pulumi-cli:
	tools/build-pulumi-cli.sh

maybe-pulumi-cli:
	@if command -v go >/dev/null; then tools/build-pulumi-cli.sh; \
	elif [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$$PATH" tools/build-pulumi-cli.sh; \
	else echo "no go on PATH: the e2e tier uses pulumi from PATH, or is skipped"; fi

# Segment's published Segment Profiles definition (npm), which the fidelity tier referees with;
# downloaded once into .tools/segment-sdk/ (tests/fidelity/segment_models.py).
segment-sdk: $(STAMP)
	$(PY) -c "from tests.fidelity.segment_models import action_destinations_dir as d; d()"

# The documentation site (mkdocs): docs/, the READMEs, and a reference page per resource and
# component generated from the code, built into build/docs/ (tools/docs/build.py).
# Each resource's typed constructors, from its declaration (tools/typed_constructors.py).
typed-constructors: $(STAMP)
	$(PY) tools/typed_constructors.py

docs: $(STAMP)
	$(PY) tools/docs/build.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy -p segment_unify

pytest: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) .venv-newest build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .tools
