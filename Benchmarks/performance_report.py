#!/usr/bin/env python3
"""Prints the Docs/Performance.md tables from one sitting folder written by Benchmarks/sitting.sh.

    python3 Benchmarks/performance_report.py runs/bench-YYYYMMDD-HHMM

Kernel cases: each side's best (smallest) median over the rounds, and the ratio PyTorch / Orbit (above 1:
Orbit is faster) with the range of the per-round ratios. FERNN: seconds per training step and peak
resident memory for |V| = 1, 9, 25, with the cost per added velocity (the slope from 1 to 25).
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


def main():
    folder = sys.argv[1]
    kernel_table(folder, "orbit_kernels_*.jsonl", "torch_kernels_*.jsonl", "Kernel cases of ../shared/bench/cases.json (2 threads)")
    kernel_table(folder, "orbit_mnist_*.jsonl", "torch_mnist_*.jsonl", "MNIST CNN (Benchmarks/mnist_torch.py, batch 64)")
    fernn_table(folder)


if __name__ == "__main__":
    main()
