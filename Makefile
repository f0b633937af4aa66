# nanokeras developer tasks. On a fresh machine (python3 with venv and pip) each target sets up what it needs:
#   make demo  -> .venv-demo: nanokeras + the [examples] extra only, then the Keras tutorial
#   make test  -> .venv:      nanokeras + the [dev,examples] extras (real Keras 3, JAX, TensorFlow), then the suite
PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.install.stamp
DEMO_VENV := .venv-demo
DEMO_PY := $(DEMO_VENV)/bin/python
DEMO_STAMP := $(DEMO_VENV)/.install.stamp
# Where the demo writes its plots.
OUT ?= out
# -qq: errors only. (-q still prints the build backend's notes and pip's notices about the
# machine's own index configuration; a failed install is still shown in full.)
PIP_QUIET := --disable-pip-version-check --progress-bar off -qq
# Test processes (pytest-xdist, from the dev extra). Each one imports Keras, JAX and TensorFlow
# for the parity tests (~1.3 GB), so the default stays at 2 whatever the number of cores.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?= -q -n $(PYTEST_WORKERS)
# Versions for `make test-pythons`; each needs an interpreter from pyenv (or pythonX.Y on PATH).
TEST_PYTHONS ?= 3.9 3.13
# Set to 1 to treat pytest's "no tests collected" (exit 5) as success, with a note.
ALLOW_NO_TESTS ?= 0

.PHONY: venv demo playground test test-pythons bench bench-peers clean

venv: $(STAMP)

# Reinstalls whenever pyproject.toml changes (its dependencies may have).
$(STAMP): pyproject.toml
	@test -x $(VENV_PY) || { echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version 2>&1))"; $(PYTHON) -m venv $(VENV); }
	@echo "Installing nanokeras[dev,examples] into $(VENV) (Keras 3, JAX, TensorFlow for the parity tests: ~2.2 GB) ..."
	@$(VENV_PY) -m pip install $(PIP_QUIET) --upgrade pip
	@$(VENV_PY) -m pip install $(PIP_QUIET) -e '.[dev,examples]'
	@# tf-keras (Keras 2) for the Keras-2 and legacy .h5 parity tests, matched to the installed TensorFlow;
	@# --no-deps because its metadata asks for the full `tensorflow` next to tensorflow-cpu.
	@tfv=$$($(VENV_PY) -c "import importlib.metadata as m; print(m.version('tensorflow-cpu'))" 2>/dev/null); \
	if [ -n "$$tfv" ]; then \
	  $(VENV_PY) -m pip install $(PIP_QUIET) --no-deps "tf-keras==$${tfv%.*}.*" \
	    || echo "!! tf-keras $${tfv%.*}.* not installable: the Keras 2 parity tests will skip (and fail under CI=true)"; \
	fi
	@touch $@

$(DEMO_STAMP): pyproject.toml
	@test -x $(DEMO_PY) || { echo "Creating $(DEMO_VENV) with $(PYTHON) ($$($(PYTHON) --version 2>&1))"; $(PYTHON) -m venv $(DEMO_VENV); }
	@echo "Installing nanokeras[examples] into $(DEMO_VENV) (numpy, h5py, scikit-learn, matplotlib: ~400 MB) ..."
	@$(DEMO_PY) -m pip install $(PIP_QUIET) --upgrade pip
	@$(DEMO_PY) -m pip install $(PIP_QUIET) -e '.[examples]'
	@touch $@

demo: $(DEMO_STAMP)
	@$(DEMO_PY) examples/seed_tutorial.py --out $(OUT)

# The playground in the browser (http://127.0.0.1:8765/); PLAYGROUND_ARGS="--no-browser --port 9000" to change.
playground: $(DEMO_STAMP)
	@$(DEMO_PY) -m nanokeras.playground $(PLAYGROUND_ARGS)

test: venv
	@echo "Running: $(VENV_PY) -m pytest $(PYTEST_ARGS)  (tests/ and the docstring examples in nanokeras/)"
	@rc=0; $(VENV_PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then \
	  echo "NOTE: pytest collected no tests (exit code 5)."; \
	  if [ "$(ALLOW_NO_TESTS)" = "1" ]; then echo "NOTE: ALLOW_NO_TESTS=1, treating as success."; rc=0; fi; \
	fi; \
	exit $$rc

# One venv per interpreter (.venv-3.9, .venv-3.13); parity tests skip loudly where Keras 3 cannot install.
test-pythons:
	@failed=""; \
	for v in $(TEST_PYTHONS); do \
	  py=""; \
	  if command -v pyenv >/dev/null 2>&1; then \
	    full=$$(pyenv versions --bare | grep -E "^$$v\.[0-9]+$$" | sort -t. -k3,3n | tail -n 1); \
	    if [ -n "$$full" ]; then py="$$(pyenv root)/versions/$$full/bin/python"; fi; \
	  fi; \
	  if [ -z "$$py" ]; then py=$$(command -v python$$v || true); fi; \
	  if [ -z "$$py" ] || [ ! -x "$$py" ]; then echo "!! Python $$v not found (pyenv or python$$v on PATH)"; failed="$$failed $$v"; continue; fi; \
	  venv=.venv-$$v; \
	  echo "=== Python $$v: $$py -> $$venv ==="; \
	  if [ ! -f $$venv/.install.stamp ] || [ pyproject.toml -nt $$venv/.install.stamp ]; then \
	    { test -x $$venv/bin/python || $$py -m venv $$venv; } && \
	    $$venv/bin/python -m pip install $(PIP_QUIET) --upgrade pip && \
	    $$venv/bin/python -m pip install $(PIP_QUIET) -e '.[dev]' && \
	    touch $$venv/.install.stamp || { echo "!! install failed on Python $$v"; failed="$$failed $$v"; continue; }; \
	  fi; \
	  $$venv/bin/python -m pytest $(PYTEST_ARGS) || failed="$$failed $$v"; \
	done; \
	if [ -n "$$failed" ]; then echo "!! test-pythons failed on:$$failed"; exit 1; fi; \
	echo "test-pythons: all of $(TEST_PYTHONS) passed"

bench: venv
	$(VENV_PY) benchmarks/run.py

# A separate venv with nanokeras plus the peers that `make bench` compares against (Keras 3 on
# JAX / TensorFlow / torch, PyTorch, scikit-learn). `make bench` uses it when it exists.
# torch: only a CPU build is installed (TORCH_SPEC must resolve to a "+cpu" file, e.g. the local
# wheel pip finds through PIP_FIND_LINKS); otherwise torch is skipped rather than pulling a
# multi-GB CUDA build. Each optional peer that fails to install is skipped with a note.
PEERS_VENV := .venv-peers
PEERS_PY := $(PEERS_VENV)/bin/python
PEERS_PIP := $(PEERS_PY) -m pip --disable-pip-version-check
TORCH_SPEC ?= torch==2.13.0

bench-peers: $(PEERS_VENV)/.install.stamp

$(PEERS_VENV)/.install.stamp: pyproject.toml
	@test -x $(PEERS_PY) || { echo "Creating $(PEERS_VENV) with $(PYTHON)"; $(PYTHON) -m venv $(PEERS_VENV); }
	$(PEERS_PIP) install --progress-bar off -q --upgrade pip
	$(PEERS_PIP) install --progress-bar off -e . scikit-learn threadpoolctl
	@if $(PEERS_PIP) install --dry-run --no-deps -q --report - '$(TORCH_SPEC)' 2>/dev/null | grep -q '+cpu'; then \
	  $(PEERS_PIP) install --progress-bar off '$(TORCH_SPEC)' || echo "!! torch install failed: PyTorch peers skipped"; \
	else echo "!! no CPU build of $(TORCH_SPEC) found: PyTorch peers skipped (set TORCH_SPEC to a CPU wheel)"; fi
	$(PEERS_PIP) install --progress-bar off keras 'jax[cpu]'
	@$(PEERS_PIP) install --progress-bar off tensorflow-cpu || echo "!! tensorflow-cpu not installable here: Keras-on-TensorFlow peer skipped"
	@touch $@

clean:
	rm -rf $(VENV) .venv-* build dist out .pytest_cache *.egg-info .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
