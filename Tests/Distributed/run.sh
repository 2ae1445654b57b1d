#!/usr/bin/env bash
# The MPI checks of data-parallel training (Docs/Distributed.md), `make test-distributed`: builds with
# ORBIT_MPI=1 into .build-mpi and runs OrbitDistributedChecks under mpirun on loopback. Installs nothing; needs
# mpirun and mpi.h (Debian: apt-get install -y libopenmpi-dev openmpi-bin). Each mpirun has a time limit, so a
# hang fails the script instead of stalling it. Exit status 0 when every check holds.
#
#   Tests/Distributed/run.sh                 the checks with 2 ranks (RANKS=3 for 3; SWIFT=... for another toolchain)
#
# ORBIT_MPI=1 changes the package graph, and SwiftPM then recompiles every target: the build goes to its own
# folder (SCRATCH, default .build-mpi), so the default build and `make test`'s .build-test stay as they are.
set -euo pipefail
cd "$(dirname "$0")/../.."

SWIFT=${SWIFT:-swift}
RANKS=${RANKS:-2}
LIMIT=${LIMIT:-900}   # seconds per mpirun
NATIVE=(-Xswiftc -target-cpu -Xswiftc native)
grep -qw fma /proc/cpuinfo 2>/dev/null && NATIVE+=(-Xswiftc -DORBIT_FMA)

fail() { echo "test-distributed: $*" >&2; exit 1; }
command -v mpirun >/dev/null || fail "mpirun not found; install MPI first (Debian: apt-get install -y libopenmpi-dev openmpi-bin)"
pkg-config --exists "${ORBIT_MPI_PKGCONFIG:-ompi-c}" ||
  fail "pkg-config finds no ${ORBIT_MPI_PKGCONFIG:-ompi-c} (mpi.h); install libopenmpi-dev, or set ORBIT_MPI_PKGCONFIG=mpich for MPICH"

SCRATCH=${SCRATCH:-.build-mpi}
ORBIT_MPI=1 "$SWIFT" build -c release "${NATIVE[@]}" --scratch-path "$SCRATCH" --product OrbitDistributedChecks
CHECKS=$SCRATCH/release/OrbitDistributedChecks

# Open MPI refuses to run as root without --allow-run-as-root (CI runs as root); --oversubscribe lets N ranks
# share fewer cores; --bind-to none lets each rank's kernel threads use every core (Open MPI binds each of up to
# 2 ranks to one core by default). MPIRUN overrides the launcher (e.g. MPIRUN="mpiexec" for MPICH).
if [ -z "${MPIRUN:-}" ]; then
  MPIRUN="mpirun --oversubscribe --bind-to none"
  [ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
fi
mpi() { local ranks=$1; shift; timeout "$LIMIT" $MPIRUN -np "$ranks" "$CHECKS" "$@"; }
expect_failure() { if "$@"; then fail "expected this run to fail (a rank was killed): $*"; fi; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== N ranks with shards of each batch train the one-process model (and start from rank 0's weights)"
mpi "$RANKS" equivalence --model fernn --dtype float64 --optimizer sgd
mpi "$RANKS" equivalence --model fernn --dtype float64 --optimizer adam
mpi "$RANKS" equivalence --model fernn --dtype float32 --optimizer sgd
mpi "$RANKS" equivalence --model fernn --dtype float32 --optimizer adam
mpi "$RANKS" equivalence --model cnn --dtype float64 --optimizer sgd
mpi "$RANKS" equivalence --model cnn --dtype float32 --optimizer sgd

echo "== ranks that train different models fail together, naming the difference"
mpi "$RANKS" disagree

echo "== a killed rank leaves the last checkpoint intact; it resumes on any number of ranks to the uninterrupted model"
mpi "$RANKS" train --directory "$WORK/straight" --epochs 3
expect_failure mpi "$RANKS" train --directory "$WORK/run" --epochs 3 --kill-rank 1 --kill-step 5
"$CHECKS" inspect --directory "$WORK/run"
expect_failure mpi 1 train --directory "$WORK/run" --epochs 3 --resume --kill-rank 0 --kill-step 4
"$CHECKS" inspect --directory "$WORK/run"
cp "$WORK/run/checkpoint.safetensors" "$WORK/saved.safetensors"
expect_failure mpi 3 train --directory "$WORK/run" --epochs 3 --resume --kill-rank 0 --kill-step 2
cmp "$WORK/run/checkpoint.safetensors" "$WORK/saved.safetensors" || fail "a run killed mid-epoch changed the checkpoint"
"$CHECKS" inspect --directory "$WORK/run"
mpi "$RANKS" train --directory "$WORK/run" --epochs 3 --resume
"$CHECKS" compare "$WORK/run/final.safetensors" "$WORK/straight/final.safetensors"

echo "test-distributed: every MPI check passed"
