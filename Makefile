# Orbit: the README's commands live here.
#   make test    build (release, tuned for this CPU) and run every test; also checks file sizes
#   make bench   the kernel benchmarks, one JSON line per case (compare with ../shared/bench/compare.py)
#   make lines   file-size report; fails when a Swift file is over the budget

SWIFT ?= swift
LINE_BUDGET ?= 400
# Without a target CPU, Swift compiles for baseline x86-64, where SIMD fma is a library call (~50x slower).
NATIVE := -Xswiftc -target-cpu -Xswiftc native
RELEASE := -c release $(NATIVE)

.PHONY: test bench lines build

build:
	$(SWIFT) build $(RELEASE)

test: lines
	$(SWIFT) test $(RELEASE) -Xswiftc -enable-testing

bench:
	$(SWIFT) run $(RELEASE) OrbitBenchmarks $(CASES)

lines:
	@find Sources Tests Benchmarks -name '*.swift' -print0 | xargs -0 wc -l | sort -n | awk -v budget=$(LINE_BUDGET) '\
	  $$2 == "total" { total = $$1; next } \
	  { n++; lines[n] = $$1; if ($$1 > budget) { over++; printf "over budget (%d > %d): %s\n", $$1, budget, $$2 } } \
	  END { printf "%d Swift files, %d lines, median %d, largest %d (budget %d)\n", n, total, lines[int((n+1)/2)], lines[n], budget; \
	        if (over) { printf "%d file(s) over the line budget\n", over; exit 1 } }'
	@for target in Sources/* Tests/* Benchmarks/*; do \
	  [ -d "$$target" ] && printf '  %-40s %6d lines\n' "$$target" "$$(find $$target -name '*.swift' -print0 | xargs -0 cat 2>/dev/null | wc -l)"; \
	done; true
