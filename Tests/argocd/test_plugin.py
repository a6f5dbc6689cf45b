#!/usr/bin/env python3
"""The Argo CD kit in deploy/argocd, checked as Argo CD would use it.

  python3 Tests/argocd/test_plugin.py MRGEN [REFERENCE]

1. deploy/argocd/test (the kit on a stand-in repo server) is built; the
   sidecar must be what Argo CD's sidecar-plugin installation asks for: the
   argocd-cmp-server entrypoint, the var-files and plugins volumes at their
   paths, plugin.yaml mounted by subPath from the generated ConfigMap, a /tmp
   of its own, uid 999 and a restricted security context.
2. The plugin's generate command is run as the cmp-server runs it: sh -c with
   the Application's source folder as working directory, the ARGOCD_APP_*
   build variables and the plugin env as ARGOCD_ENV_* (empty values left out,
   as Argo CD leaves them out), mrgen on PATH. Its stdout must equal
   `mrgen build` with the matching --with/--namespace; a bad option must fail
   with mrgen's message on stderr and nothing on stdout.
3. The example Application must name the plugin and a folder that exists, and
   pass only the variables the plugin reads.
4. The README's way to turn discovery off (a Component of one's own, after the
   kit's, replacing plugin.yaml by a copy without discover) is built here by
   mrgen and, given REFERENCE, by kubectl kustomize: same bytes, no discover.
"""
import os
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KIT = os.path.join(ROOT, "deploy", "argocd")
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def build(mrgen, *arguments):
    done = subprocess.run([mrgen, "build", *arguments], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"mrgen build {' '.join(arguments)} failed: {done.stderr}")
    return done.stdout


def generate(mrgen, plugin, app_path, env):
    """The generate command, run as argocd-cmp-server runs it."""
    command = plugin["spec"]["generate"]["command"] + plugin["spec"]["generate"].get("args", [])
    environment = {
        "PATH": os.path.dirname(os.path.abspath(mrgen)) + ":/usr/bin:/bin",
        "HOME": "/home/argocd",
        "ARGOCD_APP_NAME": "private-model-registry",
        "ARGOCD_APP_NAMESPACE": "model-registries",
        "ARGOCD_APP_PROJECT_NAME": "default",
        "ARGOCD_APP_REVISION": "0123456789abcdef0123456789abcdef01234567",
        "ARGOCD_APP_REVISION_SHORT": "0123456",
        "ARGOCD_APP_SOURCE_PATH": app_path,
        "ARGOCD_APP_SOURCE_REPO_URL": "https://git.example.com/platform/model-registry-tree.git",
        "ARGOCD_APP_SOURCE_TARGET_REVISION": "main",
        "KUBE_VERSION": "1.33.0",
        "KUBE_API_VERSIONS": "v1,apps/v1,batch/v1",
    }
    # Argo CD drops plugin env entries whose value is empty.
    environment.update({"ARGOCD_ENV_" + name: value for name, value in env.items() if value})
    return subprocess.run(command, cwd=os.path.join(ROOT, app_path), env=environment, capture_output=True, text=True)


def main():
    mrgen = os.path.abspath(sys.argv[1])
    documents = list(yaml.safe_load_all(build(mrgen, "deploy/argocd/test")))
    config_maps = [d for d in documents if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("mrgen-plugin")]
    check(len(config_maps) == 1, "one ConfigMap holds the plugin configuration")
    plugin = yaml.safe_load(config_maps[0]["data"]["plugin.yaml"])
    check(plugin["apiVersion"] == "argoproj.io/v1alpha1" and plugin["kind"] == "ConfigManagementPlugin",
          "plugin.yaml is a ConfigManagementPlugin")
    check(plugin["metadata"]["name"] == "mrgen" and "version" not in plugin["spec"], "the plugin is named mrgen, no version")
    check(plugin["spec"]["discover"] == {"fileName": "./kustomization.yaml"}, "discovered by kustomization.yaml")

    deployment = next(d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"] == "argocd-repo-server")
    pod = deployment["spec"]["template"]["spec"]
    sidecar = next(c for c in pod["containers"] if c["name"] == "mrgen")
    check(sidecar["command"] == ["/var/run/argocd/argocd-cmp-server"], "the sidecar runs argocd-cmp-server")
    context = sidecar["securityContext"]
    check(context.get("runAsNonRoot") is True and context.get("runAsUser") == 999, "the sidecar runs as uid 999, not root")
    check(context.get("allowPrivilegeEscalation") is False and context.get("capabilities") == {"drop": ["ALL"]}
          and context.get("readOnlyRootFilesystem") is True
          and context.get("seccompProfile") == {"type": "RuntimeDefault"}, "the security context is restricted")
    mounts = {m["mountPath"]: m for m in sidecar["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    check(mounts.get("/var/run/argocd", {}).get("name") == "var-files", "var-files at /var/run/argocd")
    check(mounts.get("/home/argocd/cmp-server/plugins", {}).get("name") == "plugins",
          "plugins at /home/argocd/cmp-server/plugins")
    config = mounts.get("/home/argocd/cmp-server/config/plugin.yaml", {})
    check(config.get("subPath") == "plugin.yaml"
          and volumes[config["name"]]["configMap"]["name"] == config_maps[0]["metadata"]["name"],
          "plugin.yaml mounted by subPath from the generated ConfigMap (hashed name followed)")
    tmp = mounts.get("/tmp", {})
    check(tmp.get("name") not in (None, "tmp") and "emptyDir" in volumes[tmp["name"]], "a /tmp of its own")
    repo = next(c for c in pod["containers"] if c["name"] == "argocd-repo-server")
    check(repo == next(c for c in yaml.safe_load(open(os.path.join(KIT, "test", "repo-server.yaml")))["spec"]["template"]
                       ["spec"]["containers"] if c["name"] == "argocd-repo-server"), "the repo server container is untouched")

    application = yaml.safe_load(open(os.path.join(KIT, "application-private-registry.yaml")))
    source = application["spec"]["source"]
    check(source["plugin"]["name"] == plugin["metadata"]["name"], "the Application names the plugin")
    check(os.path.isfile(os.path.join(ROOT, source["path"], "kustomization.yaml")), "the Application's path is a kustomization")
    app_env = {e["name"]: e["value"] for e in source["plugin"].get("env", [])}
    check(set(app_env) <= {"MRGEN_WITH", "MRGEN_NAMESPACE"}, "the Application passes only what the plugin reads")

    cases = [
        ("the example Application", source["path"], app_env, ["--with", app_env.get("MRGEN_WITH", "")] if app_env.get("MRGEN_WITH") else []),
        ("no env", "examples/hello", {}, []),
        ("empty values are not passed", "overlays/postgres", {"MRGEN_WITH": "", "MRGEN_NAMESPACE": ""}, []),
        ("options and a namespace", "overlays/postgres", {"MRGEN_WITH": "oauth,secure-db,cert-manager", "MRGEN_NAMESPACE": "team-a"},
         ["--with", "oauth,secure-db,cert-manager", "--namespace", "team-a"]),
    ]
    for what, path, env, flags in cases:
        done = generate(mrgen, plugin, path, env)
        check(done.returncode == 0 and done.stdout == build(mrgen, path, *flags),
              f"generate in {path} ({what}) prints what mrgen build {' '.join([path] + flags)} prints")
    bad = generate(mrgen, plugin, "overlays/postgres", {"MRGEN_WITH": "oauth,nosuch"})
    check(bad.returncode == 1 and bad.stdout == "" and "unknown option 'nosuch'" in bad.stderr,
          "a bad option fails the generate with mrgen's message: " + bad.stderr.strip()[:160])

    # A value cannot smuggle in flags of its own: it stays the value of --with / --namespace.
    for name, value, words in [
        ("MRGEN_WITH", "--load-restrictor=LoadRestrictionsNone", "unknown option '--load-restrictor=LoadRestrictionsNone'"),
        ("MRGEN_NAMESPACE", "x --with=oauth", "is not a namespace name"),
    ]:
        done = generate(mrgen, plugin, "overlays/postgres", {name: value})
        check(done.returncode == 1 and done.stdout == "" and words in done.stderr,
              f"{name}={value!r} is refused as a value, not read as flags: " + done.stderr.strip()[:120])
    reference = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory(prefix="mrgen-argocd-") as install:
        os.makedirs(os.path.join(install, "no-discover"))
        with open(os.path.join(KIT, "test", "repo-server.yaml")) as f:
            open(os.path.join(install, "repo-server.yaml"), "w").write(f.read())
        quiet = dict(plugin, spec={k: v for k, v in plugin["spec"].items() if k != "discover"})
        open(os.path.join(install, "no-discover", "plugin.yaml"), "w").write(yaml.safe_dump(quiet, sort_keys=False))
        open(os.path.join(install, "no-discover", "kustomization.yaml"), "w").write(
            "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n"
            "- name: mrgen-plugin\n  behavior: replace\n  files:\n  - plugin.yaml\n")
        open(os.path.join(install, "kustomization.yaml"), "w").write(
            "namespace: argocd\nresources:\n- repo-server.yaml\ncomponents:\n- "
            + os.path.relpath(os.path.join(KIT, "plugin"), install) + "\n- no-discover\n")
        ours = subprocess.run([mrgen, "build", install], capture_output=True, text=True)
        replaced = [d for d in yaml.safe_load_all(ours.stdout) if d and d["kind"] == "ConfigMap"]
        check(ours.returncode == 0 and len(replaced) == 1
              and "discover" not in yaml.safe_load(replaced[0]["data"]["plugin.yaml"])["spec"],
              "a Component after the kit's replaces plugin.yaml: no discover")
        if reference:
            theirs = subprocess.run([reference, install], capture_output=True, text=True)
            check(theirs.returncode == 0 and theirs.stdout == ours.stdout,
                  "kubectl kustomize builds that install to the same bytes")
    print(f"{len(failures)} failed" if failures else "Argo CD kit: every check passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
