# concord — the two commands of the README, and the steps they are made of.
#   make demo   installs missing Debian packages, builds, opens the workbench on the bundled demo
#   make test   the same set-up, then every test
#   make bench  release build, then the benchmarks; figures go to BENCHMARKS.md

SHELL := /bin/bash
SWIFT ?= swift
SWIFT_FLAGS ?=
BIN_DEBUG = .build/debug
BIN_RELEASE = .build/release

.PHONY: all deps test-deps bench-deps build release test bench soak demo clean fuzz

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test
	@scripts/venv.sh

bench-deps:
	@scripts/deps.sh bench
	@scripts/venv.sh

build: deps
	$(SWIFT) build $(SWIFT_FLAGS) --product concord

release: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product concord
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product agreement-bench
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product store-bench
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product preview-bench
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product workbench-bench

# Tests write their projects, clips and screenshots under TMPDIR: one fresh directory per
# run (mode 1777 like /tmp: some tests run concord as another user), removed afterwards
# whatever the outcome, so repeated runs do not fill /tmp. A PostgreSQL cluster a crashed test
# process left running there (tests start private ones under TMPDIR) is stopped first.
# The runner prints a line per test; the last lines repeat the result, the failing tests
# by name and the time taken, so nobody has to scroll back for them.
test: test-deps
	@start=$$(date +%s); \
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests || exit $$?; \
	dir=$$(mktemp -d /tmp/concord-make-test.XXXXXX); chmod 1777 $$dir; log=$$(mktemp /tmp/concord-make-test-log.XXXXXX); \
	CONCORD_TEST_PYTHON=$(CURDIR)/.build-venv/bin/python3 TMPDIR=$$dir $(SWIFT) test $(SWIFT_FLAGS) --skip-build 2>&1 | tee $$log; \
	status=$${PIPESTATUS[0]}; \
	for d in $$dir/concord-pg-*/data; do [ -f $$d/postmaster.pid ] && runuser -u concord-pg -- /usr/lib/postgresql/15/bin/pg_ctl -D $$d -m immediate -w stop >/dev/null 2>&1 || true; done; \
	rm -rf $$dir; \
	echo; echo "make test: summary"; \
	grep -E '^[^ ]+ Test .* failed|recorded an issue at' $$log | grep -v 'Test run with' | head -20; \
	grep -E '^[^ ]+ Test run with [0-9]+ tests' $$log | tail -1; \
	total=$$(grep -oE 'Test run with [0-9]+ tests' $$log | grep -oE '[0-9]+' | tail -1); \
	failed=$$(grep -E '^[^ ]+ Test .* failed after' $$log | grep -vc 'Test run with'); \
	skipped=$$(grep -cE '^[^ ]+ Test .* skipped' $$log); \
	if [ $$status -eq 0 ]; then echo "make test: passed in $$(( $$(date +%s) - start )) s (build included)"; \
	else echo "make test: FAILED (exit $$status) after $$(( $$(date +%s) - start )) s"; fi; \
	if [ -n "$$total" ]; then echo "tests: $$(( total - failed - skipped )) passed, $$failed failed, $$skipped skipped"; \
	else echo "tests: the test run did not finish (no summary from swift test)"; fi; \
	rm -f $$log; exit $$status

bench: bench-deps release
	.build-venv/bin/python3 bench/run.py
	.build-venv/bin/python3 bench/run_store.py
	.build-venv/bin/python3 bench/run_store_pg.py
	.build-venv/bin/python3 bench/run_preview.py
	.build-venv/bin/python3 bench/run_rate.py
	.build-venv/bin/python3 bench/run_slowlink.py
	.build-venv/bin/python3 bench/run_dashboard.py
	.build-venv/bin/python3 bench/run_dashboard_pg.py
	.build-venv/bin/python3 bench/run_report.py
	.build-venv/bin/python3 bench/run_mos.py
	.build-venv/bin/python3 bench/run_aggregate.py
	.build-venv/bin/python3 bench/run_drift.py
	.build-venv/bin/python3 bench/run_pairwise.py
	.build-venv/bin/python3 bench/run_pairplay.py

# The long crash soak (issue 9): 10 minutes of SIGKILLs among 8 writers; figures to RELIABILITY.md.
soak: bench-deps release
	.build-venv/bin/python3 scripts/soak.py --seconds $${SOAK_SECONDS:-600} --markdown RELIABILITY.md \
		--concord $(BIN_RELEASE)/concord --driver $(BIN_RELEASE)/store-bench

# The long fuzzing run (issue 9): Tests/FuzzTests with many iterations, then the libFuzzer
# harnesses; figures to fuzz/RESULTS.md. FUZZ_ITERATIONS and FUZZ_SECONDS scale it.
fuzz: test-deps
	SWIFT="$(SWIFT)" SWIFT_FLAGS="$(SWIFT_FLAGS)" fuzz/run.sh

demo: build
	$(BIN_DEBUG)/concord demo

clean:
	rm -rf .build .build-venv
