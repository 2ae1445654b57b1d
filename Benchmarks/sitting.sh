#!/bin/bash
# One benchmark sitting: Orbit and PyTorch alternated on the same machine, results in one folder, then
# the Docs/Performance.md tables printed by Benchmarks/performance_report.py. Needs a PyTorch venv
# (see ../shared/bench/README.md). Takes about 40 minutes on 2 cores; run it on a quiet machine.
#
#   Benchmarks/sitting.sh [OUTPUT_DIR] [PYTHON]        (ROUNDS=1 for a shorter sitting, ~20 min)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/bench-$(date +%Y%m%d-%H%M)}
PY=${2:-/tmp/torch-venv/bin/python}
SHARED=${SHARED:-../shared/bench}
FLAGS="-c release -Xswiftc -target-cpu -Xswiftc native"
grep -qw fma /proc/cpuinfo && FLAGS="$FLAGS -Xswiftc -DORBIT_FMA"
mkdir -p "$OUT"
swift build $FLAGS --product OrbitBenchmarks > "$OUT/build.log" 2>&1
swift build $FLAGS --product OrbitTrain >> "$OUT/build.log" 2>&1
for round in $(seq 1 "${ROUNDS:-2}"); do
  .build/release/OrbitBenchmarks > "$OUT/orbit_kernels_$round.jsonl"
  "$PY" "$SHARED/torch_bench.py" > "$OUT/torch_kernels_$round.jsonl"
  .build/release/OrbitTrain --benchmark 40 --output "$OUT/mnist-scratch" > "$OUT/orbit_mnist_$round.jsonl"
  "$PY" Benchmarks/mnist_torch.py --steps 40 > "$OUT/torch_mnist_$round.jsonl"
done
for velocities in 1 9 25; do
  .build/release/OrbitBenchmarks "fernn_v${velocities}_b8" > "$OUT/orbit_fernn_v$velocities.jsonl"
done
for range in 0 1 2; do
  "$PY" "$SHARED/fernn_torch_bench.py" --worker fused $range 8 1 3 > "$OUT/torch_fernn_fused_r$range.jsonl"
done
"$PY" "$SHARED/fernn_torch_bench.py" --worker ref 1 8 1 3 > "$OUT/torch_fernn_ref_r1.jsonl"
python3 Benchmarks/performance_report.py "$OUT"
