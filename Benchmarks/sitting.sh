#!/bin/bash
# One benchmark sitting: Orbit, PyTorch and JAX alternated on the same machine, results in one folder,
# then the Docs/Performance.md tables printed by Benchmarks/performance_report.py. Needs a PyTorch venv
# and, for the small FERNNs, a JAX venv (see ../shared/bench/README.md for both). Run it on a quiet machine.
#
#   Benchmarks/sitting.sh [OUTPUT_DIR] [PYTHON] [JAX_PYTHON]
#
#   PARTS="peak kernels mnist fernn small" (the default: all; ~40 min + the small FERNNs, ~30 min)
#   ROUNDS=1           one round of the kernel and MNIST cases instead of 2
#   SMALL_CASES="..."  the small FERNN cases (default below); names as in FlowBenchmarks.swift:
#                      fernn_v<|V|>_b<B>_h<HID>_t<T_IN>x<T_OUT>_d<DECODER_LAYERS>, each run by Orbit
#                      (ORBIT_BENCH_CALLS timed steps after one warm-up), by fernn_torch_bench.py
#                      (fused) and by fernn_jax_bench.py (the whole step jitted) with the same
#                      HID/T_IN/T_OUT/DECODER_LAYERS and r = (sqrt(|V|) - 1) / 2, alternated case by case.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/bench-$(date +%Y%m%d-%H%M)}
PY=${2:-/tmp/torch-venv/bin/python}
JAX=${3:-/tmp/jax-venv/bin/python}
PARTS=${PARTS:-peak kernels mnist fernn small}
SMALL_CASES=${SMALL_CASES:-"fernn_v1_b8_h16_t5x5_d1 fernn_v9_b8_h16_t5x5_d1 fernn_v25_b8_h32_t10x10_d2 fernn_v9_b8
  fernn_v1_b8_h8_t5x5_d1 fernn_v9_b8_h8_t5x5_d1 fernn_v25_b8_h8_t5x5_d1
  fernn_v25_b8_h16_t5x5_d1 fernn_v1_b8_h32_t5x5_d1 fernn_v9_b8_h32_t5x5_d1 fernn_v25_b8_h32_t5x5_d1
  fernn_v1_b8_h64_t5x5_d1 fernn_v9_b8_h64_t5x5_d1 fernn_v25_b8_h64_t5x5_d1
  fernn_v1_b32_h16_t5x5_d1 fernn_v9_b32_h16_t5x5_d1 fernn_v9_b32_h32_t5x5_d1
  fernn_v1_b8_h16_t10x10_d2 fernn_v9_b8_h16_t10x10_d2 fernn_v9_b8_h32_t10x10_d2"}
has() { [[ " $PARTS " == *" $1 "* ]]; }
SHARED=${SHARED:-../shared/bench}
FLAGS="-c release -Xswiftc -target-cpu -Xswiftc native"
grep -qw fma /proc/cpuinfo && FLAGS="$FLAGS -Xswiftc -DORBIT_FMA"
mkdir -p "$OUT"
swift build $FLAGS --product OrbitBenchmarks > "$OUT/build.log" 2>&1
swift build $FLAGS --product OrbitTrain >> "$OUT/build.log" 2>&1
has peak && .build/release/OrbitBenchmarks peak_fma_1core peak_fma_2cores > "$OUT/orbit_peak_before.jsonl"
has kernels || has mnist || ROUNDS=0
for round in $(seq 1 "${ROUNDS:-2}"); do
  if has kernels; then
    .build/release/OrbitBenchmarks > "$OUT/orbit_kernels_$round.jsonl"
    "$PY" "$SHARED/torch_bench.py" > "$OUT/torch_kernels_$round.jsonl"
  fi
  if has mnist; then
    .build/release/OrbitTrain --benchmark 40 --output "$OUT/mnist-scratch" > "$OUT/orbit_mnist_$round.jsonl"
    "$PY" Benchmarks/mnist_torch.py --steps 40 > "$OUT/torch_mnist_$round.jsonl"
  fi
done
if has fernn; then
  for velocities in 1 9 25; do
    .build/release/OrbitBenchmarks "fernn_v${velocities}_b8" > "$OUT/orbit_fernn_v$velocities.jsonl"
  done
  for range in 0 1 2; do
    "$PY" "$SHARED/fernn_torch_bench.py" --worker fused $range 8 1 3 > "$OUT/torch_fernn_fused_r$range.jsonl"
  done
  "$PY" "$SHARED/fernn_torch_bench.py" --worker ref 1 8 1 3 > "$OUT/torch_fernn_ref_r1.jsonl"
fi
if has small; then
  for name in $SMALL_CASES; do
    # fernn_v9_b8 is the paper's shape: HID 128, 10 + 10, 4 decoder layers.
    [[ $name =~ ^fernn_v([0-9]+)_b([0-9]+)(_h([0-9]+)_t([0-9]+)x([0-9]+)_d([0-9]+))?$ ]] || { echo "bad case $name" >&2; exit 2; }
    velocities=${BASH_REMATCH[1]} batch=${BASH_REMATCH[2]}
    hidden=${BASH_REMATCH[4]:-128} steps_in=${BASH_REMATCH[5]:-10} steps_out=${BASH_REMATCH[6]:-10} layers=${BASH_REMATCH[7]:-4}
    range=$(python3 -c "print((round($velocities ** 0.5) - 1) // 2)")
    ORBIT_BENCH_CALLS=${ORBIT_SMALL_CALLS:-5} .build/release/OrbitBenchmarks "$name" > "$OUT/orbit_small_$name.jsonl"
    export HID=$hidden T_IN=$steps_in T_OUT=$steps_out DECODER_LAYERS=$layers
    "$PY" "$SHARED/fernn_torch_bench.py" --worker fused "$range" "$batch" 2 5 > "$OUT/torch_small_$name.jsonl"
    [ -x "$JAX" ] && "$JAX" "$SHARED/fernn_jax_bench.py" --worker "$range" "$batch" 2 5 > "$OUT/jax_small_$name.jsonl"
    unset HID T_IN T_OUT DECODER_LAYERS
  done
fi
has peak && .build/release/OrbitBenchmarks peak_fma_1core peak_fma_2cores > "$OUT/orbit_peak_after.jsonl"
python3 Benchmarks/performance_report.py "$OUT"
