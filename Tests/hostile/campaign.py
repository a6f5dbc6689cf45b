#!/usr/bin/env python3
"""The hostile-path campaign: crafted trees run under mrgen and the reference.

Every field that names a file is crossed with every way a path can leave the
root or name something that is not a regular file; the kustomization file and
resource directories get their own cases; and a race swaps a link between a
file inside the root and one outside while mrgen builds. Standard input of
every run carries a marker document, and a file outside the root holds
another: neither may ever appear in mrgen's output.

Fails (exit 1) when mrgen reads outside the root, hangs, builds a case the
reference refuses, or lets the race through; prints the counts.

    python3 Tests/hostile/campaign.py --mrgen .build/release/mrgen [--reference ../shared/tools/kustomize-ref]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

SECRET = "MRGEN-CAMPAIGN-OUTSIDE"
STDIN_MARK = "MRGEN-CAMPAIGN-STDIN"
STDIN_DOC = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {STDIN_MARK.lower()}\ndata:\n  {STDIN_MARK}: x\n"
PATCH_TARGET = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"

FIELDS = {
    "resources": "resources:\n- ENTRY\n",
    "bases": "bases:\n- ENTRY\n",
    "patches": "resources:\n- cm.yaml\npatches:\n- path: ENTRY\n",
    "patchesStrategicMerge": "resources:\n- cm.yaml\npatchesStrategicMerge:\n- ENTRY\n",
    "patchesJson6902": "resources:\n- cm.yaml\npatchesJson6902:\n- target: {version: v1, kind: ConfigMap, name: cm}\n  path: ENTRY\n",
    "configMapGenerator.files": "configMapGenerator:\n- name: g\n  files:\n  - ENTRY\n",
    "configMapGenerator.files key=": "configMapGenerator:\n- name: g\n  files:\n  - key=ENTRY\n",
    "configMapGenerator.envs": "configMapGenerator:\n- name: g\n  envs:\n  - ENTRY\n",
    "configMapGenerator.env": "configMapGenerator:\n- name: g\n  env: ENTRY\n",
    "secretGenerator.files": "secretGenerator:\n- name: g\n  files:\n  - ENTRY\n",
    "secretGenerator.envs": "secretGenerator:\n- name: g\n  envs:\n  - ENTRY\n",
    "replacements": "resources:\n- cm.yaml\nreplacements:\n- path: ENTRY\n",
    "configurations": "configurations:\n- ENTRY\n",
    "crds": "crds:\n- ENTRY\n",
    "openapi": "openapi:\n  path: ENTRY\n",
}

# name -> how to make it inside ROOT (None: the entry is used as written)
TARGETS = [
    "link-out.yaml", "../outside/secret.yaml", "ABS_OUTSIDE/secret.yaml", "dir-out/secret.yaml",
    "long-dir/secret.yaml", "long-name", "dangling.yaml", "loop.yaml", "fifo.yaml", "link-fifo.yaml",
    "/dev/stdin", "/proc/self/fd/0", "link-stdin.yaml", "link-procfd.yaml", "/dev/zero", "link-zero.yaml",
    "/dev/null", "/proc/self/environ", "link-environ.yaml", "socket.yaml",
]


def make_tree(base, kustomization):
    root = os.path.join(base, "root")
    outside = os.path.join(base, "outside")
    os.makedirs(root)
    os.makedirs(outside)
    with open(os.path.join(outside, "secret.yaml"), "w") as f:
        f.write(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {SECRET.lower()}\ndata:\n  {SECRET}: {SECRET}\n")
    with open(os.path.join(root, "cm.yaml"), "w") as f:
        f.write(PATCH_TARGET)
    links = {
        "link-out.yaml": "../outside/secret.yaml",
        "dir-out": outside,
        "dangling.yaml": "nowhere/at/all.yaml",
        "loop.yaml": "loop.yaml",
        "link-fifo.yaml": "fifo.yaml",
        "link-stdin.yaml": "/dev/stdin",
        "link-procfd.yaml": "/proc/self/fd/0",
        "link-zero.yaml": "/dev/zero",
        "link-environ.yaml": "/proc/self/environ",
        # A target near the system's path limit, so that resolving it with a
        # longer rest fails with "name too long" in resolvers that concatenate.
        "long-dir": base + "/" + "./" * ((4000 - len(base)) // 2) + "outside",
    }
    for name, target in links.items():
        os.symlink(target, os.path.join(root, name))
    long_name = "s" * 200 + ".yaml"
    shutil.copy(os.path.join(outside, "secret.yaml"), os.path.join(outside, long_name))
    os.symlink("long-dir/" + long_name, os.path.join(root, "long-name"))
    os.mkfifo(os.path.join(root, "fifo.yaml"))
    import socket
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(os.path.join(root, "socket.yaml"))
    text = kustomization.replace("ABS_OUTSIDE", outside)
    with open(os.path.join(root, "kustomization.yaml"), "w") as f:
        f.write(text)
    return root, sock


def run(command, timeout):
    started = time.monotonic()
    try:
        done = subprocess.run(command, input=STDIN_DOC.encode(), capture_output=True, timeout=timeout)
        return done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"), time.monotonic() - started
    except subprocess.TimeoutExpired:
        return None, "", "", timeout


def cases():
    for field, template in FIELDS.items():
        for target in TARGETS:
            yield f"{field} <- {target}", template.replace("ENTRY", target), None
    # The kustomization file itself, and kustomization directories.
    for name, target in [("link out", "../outside/kustomization.yaml"), ("/dev/zero", "/dev/zero"),
                         ("dangling", "gone.yaml"), ("fifo", None), ("/dev/stdin", "/dev/stdin")]:
        yield f"kustomization.yaml <- {name}", None, target or "FIFO"
    for entry in ["..", ".", "../root/..", "ABS_OUTSIDE", "/", "/proc/self/cwd", "dir-out/..", "link-dir-up"]:
        yield f"resources dir <- {entry}", f"resources:\n- {entry}\n", None
        yield f"components dir <- {entry}", f"components:\n- {entry}\n", None


def prepare(base, name, kustomization, kfile):
    root, sock = make_tree(base, kustomization or "resources: []\n")
    os.symlink("..", os.path.join(root, "link-dir-up"))
    with open(os.path.join(base, "outside", "kustomization.yaml"), "w") as f:
        f.write(f"resources: []\nnamePrefix: {SECRET.lower()}-\n")
    with open(os.path.join(base, "kustomization.yaml"), "w") as f:
        f.write("resources:\n- root\n")
    if kfile:
        path = os.path.join(root, "kustomization.yaml")
        os.remove(path)
        if kfile == "FIFO":
            os.mkfifo(path)
        else:
            os.symlink(kfile, path)
    return root, sock


def race(mrgen, rounds, directory=False):
    """Swaps a link between a file inside the root and one outside while mrgen
    builds; with `directory`, swaps a directory of the root for a link to the
    outside folder, between the path's resolution and the open."""
    base = tempfile.mkdtemp(prefix="mrgen-race-")
    try:
        root, sock = make_tree(base, "resources:\n- sub/secret.yaml\n" if directory else "resources:\n- swapped.yaml\n")
        sock.close()
        inside = os.path.join(root, "cm.yaml")
        outside = os.path.join(base, "outside", "secret.yaml")
        link = os.path.join(root, "sub" if directory else "swapped.yaml")
        if directory:
            # A real folder holding a harmless secret.yaml, and the outside folder, swapped in turn.
            real_sub = os.path.join(base, "real-sub")
            os.makedirs(real_sub)
            shutil.copy(inside, os.path.join(real_sub, "secret.yaml"))
            os.rename(real_sub, link)
        else:
            os.symlink(inside, link)
        stop = threading.Event()

        def swap():
            spare = link + ".new"
            parked = os.path.join(base, "parked")
            toggle = False
            while not stop.is_set():
                toggle = not toggle
                try:
                    if directory:
                        if toggle:
                            os.rename(link, parked)
                            os.symlink(os.path.join(base, "outside"), link)
                        else:
                            os.remove(link)
                            os.rename(parked, link)
                    else:
                        os.symlink(outside if toggle else inside, spare)
                        os.replace(spare, link)
                except FileExistsError:
                    os.remove(spare)
                except FileNotFoundError:
                    pass

        thread = threading.Thread(target=swap)
        thread.start()
        leaked = built = refused = 0
        for _ in range(rounds):
            code, out, err, _ = run([mrgen, "build", root], 10)
            if SECRET in out or SECRET.lower() in out:
                leaked += 1
            if code == 0:
                built += 1
            else:
                refused += 1
        stop.set()
        thread.join()
        return leaked, built, refused
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mrgen", required=True)
    parser.add_argument("--reference", default=os.path.join(os.path.dirname(__file__), "../../../shared/tools/kustomize-ref"))
    parser.add_argument("--reference-timeout", type=float, default=3)
    parser.add_argument("--race-rounds", type=int, default=300)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    mrgen = os.path.abspath(args.mrgen)
    counts = dict(cases=0, read_outside=0, mrgen_hung=0, mrgen_built_reference_refused=0, both_refused=0,
                  both_built=0, reference_hung=0, mrgen_refused_reference_built=0, slowest=0.0)
    problems = []
    for name, kustomization, kfile in cases():
        counts["cases"] += 1
        base = tempfile.mkdtemp(prefix="mrgen-campaign-")
        try:
            root, sock = prepare(base, name, kustomization, kfile)
            code, out, err, seconds = run([mrgen, "build", root], 10)
            counts["slowest"] = max(counts["slowest"], seconds)
            ref_code, ref_out, ref_err, _ = run([args.reference, root], args.reference_timeout)
            sock.close()
            leaked = any(mark in text for text in (out, err) for mark in (SECRET, SECRET.lower(), STDIN_MARK, STDIN_MARK.lower()))
            if leaked:
                counts["read_outside"] += 1
                problems.append(f"READ OUTSIDE  {name}")
            if code is None:
                counts["mrgen_hung"] += 1
                problems.append(f"HUNG          {name}")
                continue
            if ref_code is None:
                counts["reference_hung"] += 1
            if code == 0 and ref_code not in (0, None):
                counts["mrgen_built_reference_refused"] += 1
                problems.append(f"BUILT         {name}: the reference refuses it: {ref_err.strip()[:200]}")
            elif code == 0 and ref_code == 0:
                counts["both_built"] += 1
            elif code != 0 and ref_code == 0:
                counts["mrgen_refused_reference_built"] += 1
                if args.verbose:
                    print(f"note: mrgen refuses, the reference builds: {name}: {err.strip()[:200]}")
            else:
                counts["both_refused"] += 1
            if code != 0 and not (":" in err.split("error:")[0] if "error:" in err else False):
                problems.append(f"NO LOCATION   {name}: {err.strip()[:200]}")
            if args.verbose:
                print(f"{name}: mrgen {code} {err.strip()[:160]!r} | reference {ref_code}")
        finally:
            shutil.rmtree(base, ignore_errors=True)
    for name, directory in (("race", False), ("dir_race", True)):
        leaked, built, refused = race(mrgen, args.race_rounds, directory)
        counts[f"{name}_rounds"] = args.race_rounds
        counts[f"{name}_leaked"] = leaked
        counts[f"{name}_built"] = built
        counts[f"{name}_refused"] = refused
        if leaked:
            problems.append(f"RACE          {leaked} of {args.race_rounds} builds read the file outside ({name})")
    for problem in problems:
        print(problem)
    counts["slowest"] = round(counts["slowest"], 3)
    print("campaign: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
