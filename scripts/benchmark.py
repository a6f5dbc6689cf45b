#!/usr/bin/env python3
"""Benchmark mrgen against the reference on the scale tree.

  scripts/benchmark.py [--apps 1300] [--depth 3] [--basic] [--runs 3] [--reference-runs 3]
  scripts/benchmark.py --scaling 650,1300,2600 [--basic]

Builds mrgen in release mode, writes the tree with ../shared/tools/bigtree.py,
runs both tools several times, checks that their outputs are the same bytes,
and prints the median wall time and peak memory of each and their ratio.
--scaling prints mrgen's median time per size instead (no reference), to show
how the cost grows with the tree.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
BIGTREE = os.path.join(SHARED, "tools", "bigtree.py")
REFERENCE = os.path.join(SHARED, "tools", "kustomize-ref")
MRGEN = os.path.join(ROOT, ".build", "release", "mrgen")


def timed(command):
    """Runs a command; returns (wall seconds, stdout bytes)."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed: {done.stderr.decode(errors='replace')[:500]}")
    return elapsed, done.stdout


def peak_kb(command):
    """Peak resident memory of one run, from wait4."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_maxrss


def tree(out, apps, depth, basic):
    args = [sys.executable, BIGTREE, out, "--apps", str(apps), "--depth", str(depth)]
    if basic:
        args.append("--basic")
    subprocess.run(args, check=True)
    return os.path.join(out, f"overlay-{depth}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=1300)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--basic", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reference-runs", type=int, default=3)
    parser.add_argument("--scaling", help="comma-separated app counts; mrgen only")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="mrgen-bench-")
    try:
        if args.scaling:
            print(f"{'apps':>6} {'resources':>10} {'mrgen median':>13} {'per resource':>13}")
            for apps in [int(a) for a in args.scaling.split(",")]:
                top = tree(os.path.join(work, str(apps)), apps, args.depth, args.basic)
                times = [timed([MRGEN, "build", top])[0] for _ in range(args.runs)]
                median = statistics.median(times)
                print(f"{apps:>6} {apps * 3:>10} {median:>12.3f}s {median / (apps * 3) * 1e6:>11.1f}us")
            return 0

        top = tree(os.path.join(work, "tree"), args.apps, args.depth, args.basic)
        kind = "basic" if args.basic else "full"
        print(f"tree: {args.apps} apps ({args.apps * 3} resources), depth {args.depth}, {kind}")
        mrgen_runs = [timed([MRGEN, "build", top]) for _ in range(args.runs)]
        mrgen_times = [t for t, _ in mrgen_runs]
        mrgen_out = mrgen_runs[0][1]
        mrgen_peak = peak_kb([MRGEN, "build", top])
        print(f"mrgen:     median {statistics.median(mrgen_times):.3f} s over {args.runs} runs "
              f"(min {min(mrgen_times):.3f}, max {max(mrgen_times):.3f}), peak {mrgen_peak / 1024:.0f} MB")

        probe = subprocess.run([REFERENCE, "--help"], capture_output=True)
        if probe.returncode != 0:
            print("reference: kustomize (kubectl 1.33) not found; no comparison")
            return 0
        reference_runs = [timed([REFERENCE, top]) for _ in range(args.reference_runs)]
        reference_times = [t for t, _ in reference_runs]
        reference_peak = peak_kb([REFERENCE, top]) if args.reference_runs else 0
        same = reference_runs[0][1] == mrgen_out
        print(f"reference: median {statistics.median(reference_times):.3f} s over {args.reference_runs} runs "
              f"(min {min(reference_times):.3f}, max {max(reference_times):.3f}), peak {reference_peak / 1024:.0f} MB")
        print(f"output: {'identical' if same else 'DIFFERENT'} ({len(mrgen_out)} bytes)")
        print(f"ratio: mrgen is {statistics.median(reference_times) / statistics.median(mrgen_times):.0f}x faster")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
