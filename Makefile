# Orbit: the README's commands live here.
#   make run     the main job: a G-RNN and a FERNN on Translating MNIST, compared (ARGS="--help" for options)
#   make experiments  the FERNN paper's experiments at a reduced scale (Docs/results/; ~50 min on 2 cores, estimated)
#   make campaign  issue 14: the FERNN campaign behind the shipped models (Docs/FlowEquivariance.md section 4; 10.9 h on 2 cores, measured: 1 digit 5.2 h, 2 digits 2.3 h, the velocity grid 3.4 h)
#   make experiments-imperfect  issue 17: velocities between generators, imperfect flows (Docs/FlowEquivariance.md section 9; ~50 min idle, 2-4 h shared, estimated)
#   make experiments-approx  the approximate-equivariance experiments (Docs/ApproximateEquivariance.md; 4-5 h, from the results' per-run times)
#   make experiments-approx-reference  issue 16: section 5.2 at the reference's settings, the alpha sweep, Table 1 against the budget (~14 h, estimated)
#   make mnist   train the classic MNIST CNN (ARGS="--full" for the 15-epoch recipe, 99.30%)
#   make test    build (release, tuned for this CPU) and run every test; also checks file sizes
#   make bench   the kernel benchmarks, one JSON line per case (compare with ../shared/bench/compare.py)
#   make lines   file-size report; fails when a Swift file is over the budget
#   make run-distributed  the main job on RANKS MPI processes (ORBIT_MPI=1 build; Docs/Distributed.md)
#   make test-distributed  the MPI checks under mpirun on loopback (needs libopenmpi-dev + openmpi-bin; not in `make test`)
#   make bench-distributed  the scaling measurements: a FERNN-V2 step and the gradient allreduce on RANKS x THREADS
#   make fuzz    libFuzzer + AddressSanitizer on the safetensors reader for FUZZ_SECONDS (not run by CI)
#   make fuzz-coverage  line coverage of Sources/Orbit/IO reached by the fuzz corpus

SWIFT ?= swift
LINE_BUDGET ?= 400
# Without a target CPU, Swift compiles for baseline x86-64, where SIMD fma is a library call (~50x slower).
# ORBIT_FMA tells the kernels to use fused multiply-add (only when this CPU has it; see MultiplyAdd.swift).
NATIVE := -Xswiftc -target-cpu -Xswiftc native $(shell grep -qw fma /proc/cpuinfo 2>/dev/null && echo -Xswiftc -DORBIT_FMA)
RELEASE := -c release $(NATIVE)

.PHONY: run experiments campaign experiments-imperfect experiments-approx experiments-approx-reference mnist test bench lines build fuzz fuzz-coverage run-distributed test-distributed bench-distributed

build:
	$(SWIFT) build $(RELEASE)

run:
	$(SWIFT) run $(RELEASE) OrbitFlows $(ARGS)

mnist:
	$(SWIFT) run $(RELEASE) OrbitTrain $(ARGS)

# The runs behind Docs/results/ (Docs/FlowEquivariance.md section 7), one after another, into runs/, at today's
# defaults (the paper's 10 + 10 frames, best validation epoch); the documented runs used 5 + 5 (Docs/results/README.md).
# Each is resumable: interrupt with Ctrl-C and repeat the command with --resume.
FLOWS := $(SWIFT) run $(RELEASE) OrbitFlows
experiments:
	$(FLOWS) --experiment translating --data-velocities 1 --models grnn,fernn-v1,fernn-v2 --seeds 1,2,3 --hidden 8 \
	  --grid-range 2 --grid-sequences 100 --output runs/velocity-grid
	$(FLOWS) --experiment bouncing --digits 2 --data-velocities 1 --models grnn,fernn-v1,fernn-v1-mix --seeds 1 --hidden 8 \
	  --training-sequences 600 --output runs/bouncing
	$(FLOWS) --experiment rotating --group-order 8 --data-velocities 1 --models grnn,fernn-v1 --seeds 1 --hidden 2 \
	  --output runs/rotating

# Issue 14's campaign (Docs/FlowEquivariance.md section 4): hidden 16, 10 + 10 frames, 5 epochs of 8,000 sequences,
# 3 seeds, tested to step 70; 1 digit (G-RNN, FERNN-V1, FERNN-V2), 2 digits (G-RNN, FERNN-V2), then trained on V_1 and
# tested on each velocity of {-2..2}^2. Measured: 1 digit 5.2 h, 2 digits 2.3 h, velocity grid 3.4 h of training over
# models and seeds (section 4 has them per model). After Ctrl-C, repeat the stopped command with --resume, then the ones after it. Ship the best seeds by adding
# --resume --publish grnn,fernn-v2 to a finished run's command (nothing is trained again).
CAMPAIGN := --experiment translating --seeds 1,2,3 --hidden 16 --training-sequences 8000 --epochs 5 --learning-rate-decay 0.7 \
  --length-factor 7
campaign:
	$(FLOWS) $(CAMPAIGN) --digits 1 --data-velocities 2 --models grnn,fernn-v1,fernn-v2 --grid-range 0 \
	  --output runs/campaign/one-digit
	$(FLOWS) $(CAMPAIGN) --digits 2 --data-velocities 2 --models grnn,fernn-v2 --grid-range 0 \
	  --output runs/campaign/two-digit
	$(FLOWS) $(CAMPAIGN) --digits 1 --data-velocities 1 --models grnn,fernn-v1,fernn-v2 --grid-range 2 --grid-sequences 100 \
	  --output runs/campaign/velocity-grid

# Issue 17's experiments (Docs/FlowEquivariance.md section 9) at the reduced scale of `make experiments` (hidden 8,
# 10 + 10 frames, 2 epochs of 2,000 sequences, 3 seeds): the rebuttal's velocities between generators (data x-velocities
# -5..5), then imperfect flows of kind BREAKING (drift, acceleration or noise) at levels 0-3. Between generators took
# 13.7 min on the idle development machine; imperfect is estimated at 36 min or more (section 9); resumable with --resume.
BREAKING ?= drift
experiments-imperfect:
	$(FLOWS) --experiment between-generators --x-velocities=-5,-4,-3,-2,-1,0,1,2,3,4,5 --seeds 1,2,3 --hidden 8 --grid-sequences 100 \
	  --models grnn,fernn-x1,fernn-x5-step5,fernn-x2,fernn-x4-step2,fernn-x3,fernn-x4,fernn-x5 --output runs/between-generators
	$(FLOWS) --experiment imperfect --breaking $(BREAKING) --levels 0,1,2,3 --data-velocities 1 --seeds 1,2,3 --hidden 8 \
	  --models grnn,grnn-plus-v1,fernn-v1,relaxed-fernn-v1 --banks 2 --relaxed-alpha 0.01 --output runs/imperfect-$(BREAKING)

# The runs behind Docs/ApproximateEquivariance.md "Results" (section 5.2 levels, then Table 1), written to
# Docs/results/approximate-equivariance-*.{md,png}. Results do not depend on the thread count. Each model's checkpoints
# go to runs/approximate-equivariance/ (no two commands share a model folder): after Ctrl-C, repeat the stopped command
# with --resume, then the commands after it; remove that folder to run them all afresh.
APPROX := $(SWIFT) run $(RELEASE) ApproximateEquivarianceExperiments
experiments-approx:
	$(APPROX) --experiment levels --pool 2 --epochs 20 --hidden 16 --layers 3 --batch 8 --lr 1e-3 --decay 0.9 --seeds 0
	$(APPROX) --symmetry rotation --epochs 10 --hidden 16 --layers 3 --train-windows 120 --eval-windows 40 --batch 8 --seeds 0,1,2
	$(APPROX) --symmetry translation --epochs 10 --hidden 16 --layers 3 --train-windows 120 --eval-windows 40 --batch 8 --seeds 0,1,2
	$(APPROX) --symmetry scaling --tasks 3 --epochs 5 --hidden 16 --layers 3 --train-windows 80 --eval-windows 24 --batch 8 --seeds 0,1,2
	$(APPROX) --symmetry rotation --models mlp,rpp,combo,clcnn,lift,rgroup --epochs 10 --hidden 16 --layers 3 --train-windows 120 \
	  --eval-windows 40 --batch 8 --seeds 0,1,2 --output Docs/results/approximate-equivariance-rotation-baselines.md
	$(APPROX) --symmetry translation --models mlp,clcnn --epochs 10 --hidden 16 --layers 3 --train-windows 120 \
	  --eval-windows 40 --batch 8 --seeds 0,1,2 --output Docs/results/approximate-equivariance-translation-baselines.md
	$(APPROX) --symmetry translation --models rpp,combo,lift --epochs 10 --hidden 16 --layers 3 --train-windows 120 \
	  --eval-windows 40 --batch 8 --seeds 0,1,2 --output Docs/results/approximate-equivariance-translation-hybrids.md
	$(APPROX) --symmetry scaling --models rpp,combo,clcnn,lift --tasks 3 --epochs 5 --hidden 16 --layers 3 --train-windows 80 \
	  --eval-windows 24 --batch 8 --seeds 0,1,2 --output Docs/results/approximate-equivariance-scaling-baselines.md
	$(APPROX) --symmetry scaling --models mlp,rgroup --tasks 3 --epochs 5 --hidden 16 --layers 3 --train-windows 80 \
	  --eval-windows 24 --batch 8 --seeds 0,1,2 --output Docs/results/approximate-equivariance-scaling-mlp-rgroup.md

# Issue 16 (Docs/ApproximateEquivariance.md, "Running the experiments"): section 5.2 at the reference's settings (64 x 64,
# Conv 64 channels and RSteer 32 fields, 5 layers, batch 32, decay 0.9, alpha 0, random RSteer init, its early stop after
# 50 epochs, here capped at 60, where the learning rate is below 2e-6), levels 0,3,6,9; then RSteer's alpha at level 9 on 32 x 32; then Table 1 (rotation) at
# three training budgets. 3 seeds each. After Ctrl-C, repeat the stopped command with --resume, then the ones after it.
REFERENCE_LEVELS := --experiment levels --hidden 64 --layers 5 --batch 32 --decay 0.9 --rsteer-init random \
  --steerable-width reference --epochs 60 --early-stop-after 50 --seeds 0,1,2
experiments-approx-reference:
	$(APPROX) $(REFERENCE_LEVELS) --levels 0,3,6,9 --models conv,rsteer --alpha 0 \
	  --checkpoints runs/approx-reference/checkpoints --output runs/approx-reference/levels
	for alpha in 0 1e-4 1e-2 1; do models=rsteer; [ $$alpha = 0 ] && models=conv,rsteer; \
	  $(APPROX) $(REFERENCE_LEVELS) --levels 9 --pool 2 --models $$models --alpha $$alpha \
	    --checkpoints runs/approx-alpha/alpha-$$alpha --output runs/approx-alpha/alpha-$$alpha || exit 1; done
	$(APPROX) --experiment budget --symmetry rotation --models conv,equiv,rgroup,rsteer --budgets 120x16x10,400x32x20,1000x32x20 \
	  --layers 5 --batch 8 --seeds 0,1,2 --checkpoints runs/approx-budget/checkpoints --output runs/approx-budget/rotation

# Tests build with -enable-testing (for @testable imports) into their own folder, so switching between
# `make test` and `make run` does not rebuild everything each time.
test: lines
	$(SWIFT) test $(RELEASE) -Xswiftc -enable-testing --scratch-path .build-test

bench:
	$(SWIFT) run $(RELEASE) OrbitBenchmarks $(CASES)

# Data-parallel training over MPI (Docs/Distributed.md), opt-in: ORBIT_MPI=1 builds into .build-mpi, so the default
# build never needs MPI. RANKS processes on this machine, THREADS kernel threads each (default: cores / RANKS);
# ARGS as for `make run` (e.g. ARGS="--paper --resume"). On a cluster, use mpirun/srun on the built binary instead.
RANKS ?= 2
THREADS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); t=$$((n / $(RANKS))); [ $$t -ge 1 ] && echo $$t || echo 1)
MPIRUN ?= mpirun --oversubscribe --bind-to none $(if $(filter 0,$(shell id -u)),--allow-run-as-root)
run-distributed:
	ORBIT_MPI=1 $(SWIFT) build $(RELEASE) --scratch-path .build-mpi --product OrbitFlows
	$(MPIRUN) -np $(RANKS) .build-mpi/release/OrbitFlows --threads $(THREADS) $(ARGS)

test-distributed:
	SWIFT=$(SWIFT) Tests/Distributed/run.sh

# The scaling measurements (Docs/Distributed.md section 5), on an idle machine: the FERNN-V2 training step (hidden 128,
# global batch BATCH) through the data-parallel Trainer, and the gradient allreduce, on RANKS ranks x THREADS threads;
# one JSON line each.
BATCH ?= 8
bench-distributed:
	ORBIT_MPI=1 $(SWIFT) build $(RELEASE) --scratch-path .build-mpi --product OrbitDistributedBenchmarks
	$(MPIRUN) -np $(RANKS) .build-mpi/release/OrbitDistributedBenchmarks step --batch $(BATCH) --threads $(THREADS)
	$(MPIRUN) -np $(RANKS) .build-mpi/release/OrbitDistributedBenchmarks allreduce --threads $(THREADS)

lines:
	@find Sources Tests Benchmarks -name '*.swift' -print0 | xargs -0 wc -l | sort -n | awk -v budget=$(LINE_BUDGET) '\
	  $$2 == "total" { total = $$1; next } \
	  { n++; lines[n] = $$1; if ($$1 > budget) { over++; printf "over budget (%d > %d): %s\n", $$1, budget, $$2 } } \
	  END { printf "%d Swift files, %d lines, median %d, largest %d (budget %d)\n", n, total, lines[int((n+1)/2)], lines[n], budget; \
	        if (over) { printf "%d file(s) over the line budget\n", over; exit 1 } }'
	@for target in Sources/* Tests/* Benchmarks/*; do \
	  [ -d "$$target" ] && printf '  %-40s %6d lines\n' "$$target" "$$(find $$target -name '*.swift' -print0 | xargs -0 cat 2>/dev/null | wc -l)"; \
	done; true

# The fuzzer is built with swiftc, not SwiftPM, so that `swift build` and `swift test` never see it:
# OrbitKernels, then Orbit (which imports it), then the harness, each one module compiled whole.
# New inputs go to $(FUZZ_DIR)/corpus, crashes to $(FUZZ_DIR)/crash-*. `make fuzz-coverage` replays
# that corpus through a build with coverage counters and reports the coverage of Sources/Orbit/IO.
FUZZ_SECONDS ?= 60
FUZZ_DIR := .build/fuzz
SWIFTC ?= swiftc
LLVM_BIN := $(dir $(shell command -v $(SWIFTC)))
FUZZ_FLAGS := -O -swift-version 6 -parse-as-library -module-cache-path $(FUZZ_DIR)/module-cache
FUZZ_SEEDS := $(CURDIR)/Tests/SafeTensorsFuzzer/Corpus
comma := ,

# $(call fuzz-build,FLAGS,NAME) builds $(FUZZ_DIR)/NAME/safetensors-fuzzer. (The gold linker warns
# about every local AddressSanitizer symbol; those lines are dropped.)
define fuzz-build
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/$(2)
	$(SWIFTC) $(FUZZ_FLAGS) $(1) -module-name OrbitKernels -wmo -c -emit-module \
	  -emit-module-path $(FUZZ_DIR)/$(2)/OrbitKernels.swiftmodule -o $(FUZZ_DIR)/$(2)/OrbitKernels.o \
	  $$(find Sources/OrbitKernels -name '*.swift')
	$(SWIFTC) $(FUZZ_FLAGS) $(1) -module-name Orbit -wmo -c -emit-module -I $(FUZZ_DIR)/$(2) \
	  -emit-module-path $(FUZZ_DIR)/$(2)/Orbit.swiftmodule -o $(FUZZ_DIR)/$(2)/Orbit.o \
	  $$(find Sources/Orbit -name '*.swift')
	$(SWIFTC) $(FUZZ_FLAGS) $(1) -module-name SafeTensorsFuzzer -I $(FUZZ_DIR)/$(2) \
	  -o $(FUZZ_DIR)/$(2)/safetensors-fuzzer Tests/SafeTensorsFuzzer/*.swift \
	  $(FUZZ_DIR)/$(2)/Orbit.o $(FUZZ_DIR)/$(2)/OrbitKernels.o > $(FUZZ_DIR)/$(2)/link.log 2>&1; \
	  status=$$?; grep -v 'Cannot export local symbol' $(FUZZ_DIR)/$(2)/link.log; exit $$status
endef

fuzz:
	$(call fuzz-build,-sanitize=fuzzer$(comma)address,asan)
	cd $(FUZZ_DIR) && ./asan/safetensors-fuzzer corpus $(FUZZ_SEEDS) -dict=$(FUZZ_SEEDS)/../safetensors.dict \
	  -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1

fuzz-coverage:
	$(call fuzz-build,-sanitize=fuzzer -profile-generate -profile-coverage-mapping,coverage)
	cd $(FUZZ_DIR)/coverage && rm -f replay.profraw && LLVM_PROFILE_FILE=replay.profraw \
	  ./safetensors-fuzzer ../corpus $(FUZZ_SEEDS) -runs=0 2>&1 | grep -E 'INITED|Done'
	cd $(FUZZ_DIR)/coverage && $(LLVM_BIN)llvm-profdata merge -o replay.profdata replay.profraw && \
	  $(LLVM_BIN)llvm-cov report ./safetensors-fuzzer -instr-profile=replay.profdata $(CURDIR)/Sources/Orbit/IO
