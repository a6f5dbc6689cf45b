#!/usr/bin/env python3
"""Benchmark mrgen against the reference on the scale tree.

  scripts/benchmark.py [--apps 1300] [--depth 3] [--basic] [--runs 3] [--reference-runs 3]
  scripts/benchmark.py --scaling 650,1300,2600 [--basic]
  scripts/benchmark.py --shapes [--sizes 500,2000]

Builds mrgen in release mode, writes the tree with ../shared/tools/bigtree.py,
runs both tools several times, checks that their outputs are the same bytes,
and prints the median wall time and peak memory of each and their ratio.
--scaling prints mrgen's median time per size instead (no reference), to show
how the cost grows with the tree.

--shapes measures how the cost grows with each kind of kustomization entry:
N strategic-merge patches over N ConfigMaps, N targeted JSON 6902 patches,
N configMapGenerator entries, and N replacements each copying one ConfigMap's
value into the next. Each tree is generated, built by both tools at the
smallest size (outputs must be identical), and by mrgen at every size; the
growth from the smallest to the largest size must stay within LINEAR_BOUND
times the growth in N (4.5x for 500 -> 2000), or the script fails.
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


# 2000 entries may take at most 4.5 times as long as 500: linear, with room for noise.
LINEAR_BOUND = 4.5 / 4


def configmaps(n):
    return "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  value: v{i}\n"
                   for i in range(n))


def shape_tree(root, shape, n):
    """Writes a kustomization with n entries of one kind."""
    os.makedirs(root)
    head = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    lines = []
    if shape != "configMapGenerator":
        with open(os.path.join(root, "configmaps.yaml"), "w") as out:
            out.write(configmaps(n))
        lines.append("resources:\n- configmaps.yaml\n")
    if shape == "strategic-merge patches":
        lines.append("patches:\n")
        for i in range(n):
            with open(os.path.join(root, f"patch-{i}.yaml"), "w") as out:
                out.write(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  patched: p{i}\n")
            lines.append(f"- path: patch-{i}.yaml\n")
    elif shape == "targeted JSON 6902 patches":
        lines.append("patches:\n")
        for i in range(n):
            lines.append(f"- target:\n    kind: ConfigMap\n    name: cm-{i}\n"
                         f"  patch: '[{{\"op\": \"add\", \"path\": \"/data/patched\", \"value\": \"p{i}\"}}]'\n")
    elif shape == "configMapGenerator":
        lines.append("configMapGenerator:\n")
        for i in range(n):
            lines.append(f"- name: generated-{i}\n  literals:\n  - key=v{i}\n")
    elif shape == "replacements":
        lines.append("replacements:\n")
        for i in range(1, n):
            lines.append(f"- source:\n    kind: ConfigMap\n    name: cm-{i - 1}\n    fieldPath: data.value\n"
                         f"  targets:\n  - select:\n      kind: ConfigMap\n      name: cm-{i}\n"
                         f"    fieldPaths:\n    - data.value\n")
    with open(os.path.join(root, "kustomization.yaml"), "w") as out:
        out.write(head + "".join(lines))
    return root


SHAPES = ["strategic-merge patches", "targeted JSON 6902 patches", "configMapGenerator", "replacements"]


def shapes(work, sizes, runs, reference_runs):
    """Times each entry shape at each size; returns 0 when every shape grows linearly."""
    reference = subprocess.run([REFERENCE, "--help"], capture_output=True).returncode == 0
    status = 0
    header = "".join(f"{f'mrgen N={n}':>14}" for n in sizes)
    print(f"{'shape':<28}{header}{'growth':>9}{f'ref N={sizes[0]}':>14}  output")
    for shape in SHAPES:
        times = []
        for n in sizes:
            top = shape_tree(os.path.join(work, f"{shape.replace(' ', '-')}-{n}"), shape, n)
            runs_here = [timed([MRGEN, "build", top]) for _ in range(runs)]
            times.append(statistics.median(t for t, _ in runs_here))
            if n == sizes[0]:
                smallest, output = top, runs_here[0][1]
        growth = times[-1] / times[0]
        allowed = LINEAR_BOUND * sizes[-1] / sizes[0]
        verdict = "ok"
        if reference and reference_runs:
            reference_times = [timed([REFERENCE, smallest]) for _ in range(reference_runs)]
            same = timed([REFERENCE, smallest])[1] == output
            reference_text = f"{statistics.median(t for t, _ in reference_times):>13.2f}s"
            verdict = "identical" if same else "DIFFERENT"
            status |= 0 if same else 1
        else:
            reference_text = f"{'-':>14}"
        if growth > allowed:
            verdict += f"; grows {growth:.1f}x, more than {allowed:.1f}x"
            status = 1
        cells = "".join(f"{t:>13.3f}s" for t in times)
        print(f"{shape:<28}{cells}{growth:>8.1f}x{reference_text}  {verdict}")
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=1300)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--basic", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reference-runs", type=int, default=3)
    parser.add_argument("--scaling", help="comma-separated app counts; mrgen only")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--shapes", action="store_true", help="measure growth per kind of entry")
    parser.add_argument("--sizes", default="500,2000", help="entry counts for --shapes")
    args = parser.parse_args()

    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="mrgen-bench-")
    try:
        if args.shapes:
            sizes = [int(n) for n in args.sizes.split(",")]
            return shapes(work, sizes, args.runs, min(args.reference_runs, 1))
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
