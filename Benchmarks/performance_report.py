#!/usr/bin/env python3
"""Prints the Docs/Performance.md tables from one sitting folder written by Benchmarks/sitting.sh.

    python3 Benchmarks/performance_report.py runs/bench-YYYYMMDD-HHMM

Kernel cases: each side's best (smallest) median over the rounds, and the ratio PyTorch / Orbit (above 1:
Orbit is faster) with the range of the per-round ratios. FERNN: seconds per training step and peak
resident memory for |V| = 1, 9, 25, with the cost per added velocity (the slope from 1 to 25). Small
FERNNs (the `small` part of sitting.sh): seconds per step of Orbit, PyTorch (fused) and JAX (jit), the
ratio of the faster of the two to Orbit, Orbit's GFLOP/s (direct-convolution arithmetic) as a fraction
of the 2-core FMA peak measured in the same sitting (peak_fma_2cores, the larger of the probes at the
start and the end), and peak resident memory against PyTorch's.
"""
import glob, json, os, re, sys

FLOPS = {}  # GFLOP/s come from Orbit's own lines, which carry the flop count of each case


def rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def rounds(folder, pattern):
    files = sorted(glob.glob(os.path.join(folder, pattern)))
    return [{row["name"]: row for row in rows(path)} for path in files]


def kernel_table(folder, orbit_pattern, torch_pattern, title):
    ours, theirs = rounds(folder, orbit_pattern), rounds(folder, torch_pattern)
    if not ours or not theirs:
        return
    print(f"\n{title}\n")
    print("| case | Orbit s | PyTorch s | Orbit GFLOP/s | PyTorch GFLOP/s | PyTorch / Orbit | per round |")
    print("|---|---|---|---|---|---|---|")
    for name in theirs[0]:
        if "seconds" not in theirs[0][name] or name.endswith("peak_rss"):
            continue
        o = [r[name]["seconds"] for r in ours if name in r]
        t = [r[name]["seconds"] for r in theirs if name in r]
        if not o:
            print(f"| {name} | missing | | | | | |")
            continue
        gflops = ours[0][name].get("gflops")
        per_round = [b / a for a, b in zip(o, t)]
        og = f"{gflops * ours[0][name]['seconds'] / min(o):.1f}" if gflops else ""
        tg = f"{gflops * ours[0][name]['seconds'] / min(t):.1f}" if gflops else ""
        print(f"| {name} | {min(o):.4f} | {min(t):.4f} | {og} | {tg} | **{min(t) / min(o):.2f}** | "
              f"{min(per_round):.2f}-{max(per_round):.2f} |")
    memory = [(r.get("mnist_peak_rss", {}).get("bytes"), s.get("mnist_peak_rss", {}).get("bytes")) for r, s in zip(ours, theirs)]
    memory = [m for m in memory if m[0] and m[1]]
    if memory:
        o, t = max(m[0] for m in memory), max(m[1] for m in memory)
        print(f"| mnist peak resident memory | {o / 2**30:.2f} GiB | {t / 2**30:.2f} GiB | | | Orbit / PyTorch **{o / t:.2f}** | |")


def fernn_table(folder):
    orbit = {}
    for path in glob.glob(os.path.join(folder, "orbit_fernn_v*.jsonl")):
        for row in rows(path):
            velocities = int(re.match(r"fernn_v(\d+)_b8", row["name"]).group(1))
            orbit[velocities] = (row["seconds"], row.get("peak_rss_bytes", 0) / 2**30)
    torch = {}
    for path in glob.glob(os.path.join(folder, "torch_fernn_*.jsonl")):
        for row in rows(path):
            times = sorted(row["t"])
            torch[(row["impl"], row["V"])] = (times[len(times) // 2], row["hwm_mb"] / 1024)
    if not orbit:
        return
    print("\nFERNN training step (batch 8, hidden 128, 10 + 10 steps, Adam, clipping), seconds per step (median) "
          "and peak resident memory\n")
    print("| \\|V\\| | Orbit s | PyTorch fused s | PyTorch loop s | time PyTorch fused / Orbit | Orbit GiB | PyTorch fused GiB | memory Orbit / PyTorch |")
    print("|---|---|---|---|---|---|---|---|")
    def cell(value, digits=1):
        return f"{value:.{digits}f}" if value is not None else ""

    for velocities in sorted(orbit):
        seconds, memory = orbit[velocities]
        fused = torch.get(("fused", velocities), (None, None))
        loop = torch.get(("ref", velocities), (None, None))
        time_ratio = f"**{fused[0] / seconds:.2f}**" if fused[0] else ""
        memory_ratio = f"**{memory / fused[1]:.2f}**" if fused[1] else ""
        print(f"| {velocities} | {seconds:.1f} | {cell(fused[0])} | {cell(loop[0])} | {time_ratio} | {memory:.2f} | "
              f"{cell(fused[1], 2)} | {memory_ratio} |")
    if 1 in orbit and 25 in orbit:
        slope = (orbit[25][0] - orbit[1][0]) / 24
        line = f"\nCost per added velocity (1 to 25): Orbit {slope:.2f} s"
        if ("fused", 1) in torch and ("fused", 25) in torch:
            line += f", PyTorch fused {(torch[('fused', 25)][0] - torch[('fused', 1)][0]) / 24:.2f} s"
        print(line + ".")


def peak(folder):
    """The machine's measured fp32 FMA peak in GFLOP/s: {threads: best of the probes in the sitting}."""
    best = {}
    for path in glob.glob(os.path.join(folder, "orbit_peak_*.jsonl")):
        for row in rows(path):
            threads = row.get("threads", 1)
            best[threads] = max(best.get(threads, 0), row["gflops"])
    if best:
        print("\nPeak probe (12 independent SIMD8<Float> FMA chains per thread): "
              + ", ".join(f"{t} core{'s' if t > 1 else ''} {g:.1f} GFLOP/s" for t, g in sorted(best.items())))
    return best


def describe(name):
    m = re.match(r"fernn_v(\d+)_b(\d+)(?:_h(\d+)_t(\d+)x(\d+)_d(\d+))?$", name)
    v, b, h, ti, to, d = (int(x) if x else None for x in m.groups())
    h, ti, to, d = h or 128, ti or 10, to or 10, d if d is not None else 4
    model = "G-RNN" if v == 1 else f"FERNN |V| = {v}"
    return f"{model}, hidden {h}, {ti} + {to}, {d} layer{'s' if d != 1 else ''}, batch {b}"


def small_table(folder, peaks):
    names = sorted(os.path.basename(p)[len("orbit_small_"):-len(".jsonl")]
                   for p in glob.glob(os.path.join(folder, "orbit_small_*.jsonl")))
    if not names:
        return
    two_core = peaks.get(2)
    print("\nSmall and medium FERNN training steps (Adam, clipping), seconds per step (median), same sitting\n")
    print("| configuration | Orbit s | PyTorch fused s | JAX jit s | faster of the two / Orbit | Orbit GFLOP/s | "
          "fraction of 2-core peak | Orbit GiB | PyTorch GiB | memory Orbit / PyTorch |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in names:
        orbit = rows(os.path.join(folder, f"orbit_small_{name}.jsonl"))
        if not orbit:
            print(f"| {describe(name)} | failed | | | | | | | | |")
            continue
        o = orbit[-1]
        torch_s = torch_gib = jax_s = None
        path = os.path.join(folder, f"torch_small_{name}.jsonl")
        if os.path.exists(path) and rows(path):
            t = rows(path)[-1]
            times = sorted(t["t"])
            torch_s, torch_gib = times[len(times) // 2], t["hwm_mb"] / 1024
        path = os.path.join(folder, f"jax_small_{name}.jsonl")
        if os.path.exists(path) and rows(path):
            jax_s = rows(path)[-1]["seconds_per_step"]
        others = [x for x in (torch_s, jax_s) if x]
        ratio = f"**{min(others) / o['seconds']:.2f}**" if others else ""
        fraction = f"{o['gflops'] / two_core:.0%}" if two_core else ""
        gib = o.get("peak_rss_bytes", 0) / 2**30
        cell = lambda x, d: f"{x:.{d}f}" if x else ""
        memory = f"**{gib / torch_gib:.2f}**" if torch_gib else ""
        print(f"| {describe(name)} | {o['seconds']:.3f} | {cell(torch_s, 3)} | {cell(jax_s, 3)} | {ratio} | "
              f"{o['gflops']:.1f} | {fraction} | {gib:.2f} | {cell(torch_gib, 2)} | {memory} |")


def main():
    folder = sys.argv[1]
    kernel_table(folder, "orbit_kernels_*.jsonl", "torch_kernels_*.jsonl", "Kernel cases of the toolkit's cases.json (2 threads)")
    kernel_table(folder, "orbit_mnist_*.jsonl", "torch_mnist_*.jsonl", "MNIST CNN (Benchmarks/mnist_torch.py, batch 64)")
    fernn_table(folder)
    small_table(folder, peak(folder))


if __name__ == "__main__":
    main()
