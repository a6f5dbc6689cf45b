#!/usr/bin/env python3
"""Differential fuzzing: random kustomization trees, and mutations of the
fixture cases, each run under mrgen and the reference (kustomize v5.6.0).
They agree when both build the same bytes or both refuse. Every disagreement
is kept as a packed tree (see tree.py) with both outputs, for a test case.

    python3 Tests/fuzz/differential.py --mrgen .build/release/mrgen \\
        [--reference ../shared/tools/kustomize-ref] [--trees 100] [--mutations 100] \\
        [--seed N] [--keep DIR] [--strict]

--strict fails (exit 1) on a disagreement among the generated trees, which
use only what mrgen supports; mutations report their disagreements for the
conformance work without failing.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tree  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "KustomizeTests", "Fixtures", "cases")


def words(rng, n=1):
    pool = ["app", "web", "db", "cache", "api", "team-a", "blue", "green", "x1", "prod", "dev", "frontend"]
    return "-".join(rng.choice(pool) for _ in range(n))


def resource(rng, kind, name):
    if kind == "Deployment":
        containers = "".join(
            f"      - name: c{i}\n        image: {rng.choice(['nginx', 'busybox:1.36', 'registry.io/app/web:v1', 'redis@sha256:' + '0' * 64])}\n"
            + (f"        env:\n        - name: E\n          value: \"{rng.randint(0, 9)}\"\n" if rng.random() < 0.3 else "")
            for i in range(rng.randint(1, 3)))
        return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n    app: {name}\n"
                f"spec:\n  replicas: {rng.randint(1, 5)}\n  selector:\n    matchLabels:\n      app: {name}\n"
                f"  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n"
                f"      serviceAccountName: sa\n      containers:\n{containers}"
                f"      volumes:\n      - name: cfg\n        configMap:\n          name: cfg\n")
    if kind == "Service":
        return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: {name}\n"
                f"  ports:\n  - port: {rng.choice([80, 443, 8080])}\n    targetPort: {rng.choice([8080, 'http'])}\n")
    if kind == "ConfigMap":
        values = ["v", '"1"', "yes", "true", "0777", "a b", '""']
        data = "".join(f"  k{i}: {rng.choice(values)}\n" for i in range(rng.randint(0, 4)))
        return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n" + (f"data:\n{data}" if data else "")
    if kind == "ServiceAccount":
        local = "  annotations: {config.kubernetes.io/local-config: \"true\"}\n" if rng.random() < 0.2 else ""
        return f"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n{local}"
    return (f"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {name}\nroleRef:\n"
            f"  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: r\nsubjects:\n- kind: ServiceAccount\n  name: sa\n")


def kustomization(rng, resources, depth):
    lines = ["resources:"] + [f"- {r}" for r in resources]
    if rng.random() < 0.5:
        lines.append(f"namespace: {words(rng)}")
    if rng.random() < 0.4:
        lines.append(f"namePrefix: {words(rng)}-")
    if rng.random() < 0.3:
        lines.append(f"nameSuffix: -{words(rng)}")
    if rng.random() < 0.4:
        values = ["x", '"1"', "on"]
        lines += ["commonLabels:", f"  {words(rng)}: {rng.choice(values)}"]
    if rng.random() < 0.3:
        lines += ["labels:", "- pairs:", f"    tier: {words(rng)}", f"  includeSelectors: {rng.choice(['true', 'false'])}"]
    if rng.random() < 0.4:
        values = ["hello", '"42"', '"a: b"']
        lines += ["commonAnnotations:", f"  note: {rng.choice(values)}"]
    if rng.random() < 0.4:
        lines += ["images:", f"- name: {rng.choice(['nginx', 'busybox', 'registry.io/app/web'])}",
                  f"  newTag: v{rng.randint(1, 9)}"]
        if rng.random() < 0.5:
            lines.append(f"  newName: mirror.io/{words(rng)}")
    if rng.random() < 0.3:
        lines += ["replicas:", "- name: web", f"  count: {rng.randint(0, 9)}"]
    if rng.random() < 0.5:
        lines += ["configMapGenerator:", "- name: cfg", "  literals:", f"  - A={words(rng)}", f"  - B={rng.randint(0, 99)}"]
        if rng.random() < 0.3:
            lines.append("  options: {disableNameSuffixHash: true}")
    if rng.random() < 0.3:
        lines += ["secretGenerator:", "- name: sec", "  literals:", f"  - token={words(rng, 2)}"]
    if rng.random() < 0.3:
        lines += ["patches:", "- target: {kind: Deployment}", "  patch: |-",
                  "    - op: add", "      path: /metadata/annotations", "      value: {patched: \"yes\"}"]
    if rng.random() < 0.3:
        lines += ["patches:" if "patches:" not in lines else "", "- patch: |-", "    apiVersion: apps/v1", "    kind: Deployment",
                  "    metadata:", "      name: web", "    spec:", "      template:", "        spec:", "          containers:",
                  "          - name: c0", f"            image: patched:{rng.randint(1, 9)}"]
        lines = [line for line in lines if line != ""]
    if rng.random() < 0.2 and depth == 0:
        lines += ["replacements:", "- source: {kind: ConfigMap, name: cfg, fieldPath: metadata.name}",
                  "  targets:", "  - select: {kind: Deployment}", "    fieldPaths: [metadata.annotations.cfg]",
                  "    options: {create: true}"]
    if rng.random() < 0.2 and depth == 0:
        lines += ["sortOptions:", f"  order: {rng.choice(['legacy', 'fifo'])}"]
    if rng.random() < 0.3:
        lines += ["transformers:"] + [f"- |-\n{indent(plugin(rng, i), 2)}" for i in range(rng.randint(1, 3))]
    if rng.random() < 0.2:
        behavior = rng.choice(["create", "merge"]) if "configMapGenerator:" in lines else "create"
        name = "cfg" if behavior == "merge" else f"gen-{words(rng)}"
        lines += ["generators:", "- |-", "  apiVersion: builtin", "  kind: ConfigMapGenerator",
                  f"  metadata: {{name: {name}}}", f"  behavior: {behavior}", f"  literals: [P={words(rng)}]"]
    return "\n".join(lines) + "\n"


def indent(text, spaces):
    return "\n".join(" " * spaces + line for line in text.splitlines())


def plugin(rng, index):
    """One inline configuration of a builtin transformer plugin."""
    head = f"apiVersion: builtin\nmetadata: {{name: t{index}}}\n"
    kind = rng.choice(["LabelTransformer", "AnnotationsTransformer", "PrefixTransformer", "SuffixTransformer",
                       "NamespaceTransformer", "ImageTagTransformer", "ReplicaCountTransformer", "PatchTransformer",
                       "ValueAddTransformer", "HashTransformer"])
    body = {
        "LabelTransformer": f"labels: {{plugin: {words(rng)}}}\nfieldSpecs: [{{path: metadata/labels, create: true}}]",
        "AnnotationsTransformer": "annotations: {plugin: " + rng.choice(["x", '"1"', "on"]) + "}\n"
                                  "fieldSpecs: [{path: metadata/annotations, create: true}]",
        "PrefixTransformer": f"prefix: {words(rng)}-\nfieldSpecs: [{{path: metadata/name}}]",
        "SuffixTransformer": f"suffix: -{words(rng)}\nfieldSpecs: [{{kind: {rng.choice(['Deployment', 'ConfigMap'])}, path: metadata/name}}]",
        "NamespaceTransformer": f"unsetOnly: {rng.choice(['true', 'false'])}\n"
                                f"setRoleBindingSubjects: {rng.choice(['defaultOnly', 'allServiceAccounts', 'none'])}\n"
                                "fieldSpecs: [{path: metadata/namespace, create: true}]",
        "ImageTagTransformer": f"imageTag: {{name: nginx, newTag: p{rng.randint(1, 9)}}}",
        "ReplicaCountTransformer": "replica: {name: web, count: 7}\nfieldSpecs: [{path: spec/replicas, create: true, kind: Deployment}]",
        "PatchTransformer": "target: {kind: Service}\npatch: '[{\"op\": \"add\", \"path\": \"/metadata/labels\", \"value\": {\"p\": \"1\"}}]'",
        "ValueAddTransformer": f"value: {words(rng)}\ntargets: [{{selector: {{kind: ConfigMap}}, fieldPath: data/added}}]",
        "HashTransformer": "",
    }[kind]
    if kind == "NamespaceTransformer":
        head = f"apiVersion: builtin\nmetadata: {{name: t{index}, namespace: {words(rng)}}}\n"
    return head + f"kind: {kind}\n" + body


def generate(rng):
    files = {}
    kinds = ["Deployment", "Service", "ConfigMap", "ServiceAccount", "RoleBinding"]
    base_resources = []
    for i in range(rng.randint(1, 4)):
        kind = rng.choice(kinds)
        name = "web" if kind in ("Deployment", "Service") else f"{kind.lower()}-{i}" if kind != "ConfigMap" else rng.choice(["cfg", f"c{i}"])
        files[f"base/r{i}.yaml"] = resource(rng, kind, name).encode()
        base_resources.append(f"r{i}.yaml")
    files["base/kustomization.yaml"] = kustomization(rng, base_resources, 1).encode()
    top = ["base"]
    if rng.random() < 0.5:
        files["extra.yaml"] = resource(rng, rng.choice(kinds), f"extra-{rng.randint(0, 9)}").encode()
        top.append("extra.yaml")
    files["kustomization.yaml"] = kustomization(rng, top, 0).encode()
    return files


def mutate(rng, files):
    files = dict(files)
    name = rng.choice(sorted(files))
    data = bytearray(files[name])
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        lines = bytes(data).split(b"\n")
        if choice < 0.3 and data:
            data[rng.randrange(len(data))] = rng.choice(b" -:\n\"'{}[]&*!|>#%@`\t0aZ~")
        elif choice < 0.5 and len(lines) > 1:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[rng.randrange(len(lines))])
            data = bytearray(b"\n".join(lines))
        elif choice < 0.7 and len(lines) > 1:
            del lines[rng.randrange(len(lines))]
            data = bytearray(b"\n".join(lines))
        elif choice < 0.85 and lines:
            i = rng.randrange(len(lines))
            lines[i] = b"  " + lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            token = rng.choice([b"null", b"~", b"yes", b"0x1F", b"1e3", b"&a", b"*a", b"<<: {}", b"!!str", b"---", b"- ", b"{}", b"[]"])
            pos = rng.randrange(len(data) + 1)
            data[pos:pos] = token
    files[name] = bytes(data)
    return files


def run(command, timeout):
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired:
        return None, b"", b"timeout"


def compare(files, args, keep, label):
    root = tempfile.mkdtemp(prefix="mrgen-diff-")
    try:
        tree.write(files, root)
        m_code, m_out, m_err = run([args.mrgen, "build", root], 20)
        r_code, r_out, r_err = run([args.reference, root], 60)
        if m_code is None:
            verdict = "mrgen hung"
        elif r_code is None:
            verdict = "agree" if m_code != 0 else "reference hung, mrgen built"
        elif m_code == 0 and r_code == 0:
            verdict = "agree" if m_out == r_out else "outputs differ"
        elif m_code != 0 and r_code != 0:
            verdict = "agree"
        else:
            verdict = "mrgen builds, reference refuses" if m_code == 0 else "mrgen refuses, reference builds"
        if verdict != "agree" and keep:
            packed = tree.pack(files)
            name = f"{label}-{hashlib.sha1(packed).hexdigest()[:12]}"
            os.makedirs(keep, exist_ok=True)
            with open(os.path.join(keep, name), "wb") as f:
                f.write(packed)
            with open(os.path.join(keep, name + ".json"), "w") as f:
                json.dump({"verdict": verdict, "mrgen_status": m_code, "reference_status": r_code,
                           "mrgen_stderr": m_err.decode("utf-8", "replace")[:2000],
                           "reference_stderr": r_err.decode("utf-8", "replace")[:2000]}, f, indent=1)
        return verdict
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mrgen", required=True)
    parser.add_argument("--reference", default=os.path.join(HERE, "../../../shared/tools/kustomize-ref"))
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--mutations", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", default=".build/differential")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    # A copy, so that rebuilding mrgen during a long run does not disturb it.
    binary_dir = tempfile.mkdtemp(prefix="mrgen-differential-bin-")
    args.mrgen = shutil.copy(os.path.abspath(args.mrgen), os.path.join(binary_dir, "mrgen"))
    rng = random.Random(args.seed)
    results = {"trees": {}, "mutations": {}}
    for _ in range(args.trees):
        verdict = compare(generate(rng), args, args.keep, "tree")
        results["trees"][verdict] = results["trees"].get(verdict, 0) + 1
    cases = sorted(os.listdir(CASES))
    for _ in range(args.mutations):
        files = tree.read(os.path.join(CASES, rng.choice(cases)))
        if not files:
            continue
        verdict = compare(mutate(rng, files), args, args.keep, "mutation")
        results["mutations"][verdict] = results["mutations"].get(verdict, 0) + 1
    for group, counts in results.items():
        print(f"differential {group}: " + ", ".join(f"{verdict} {count}" for verdict, count in sorted(counts.items())))
    failed = any(v != "agree" for v in results["trees"]) or "mrgen hung" in results["mutations"]
    if failed:
        print(f"disagreements kept in {args.keep}")
    sys.exit(1 if failed and args.strict else 0)


if __name__ == "__main__":
    main()
