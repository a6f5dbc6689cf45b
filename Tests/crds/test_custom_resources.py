"""Validates every custom resource in the tree's renders against its CRD's
OpenAPI schema: Istio's and KServe's CRDs as the public corpus holds them
(../shared/corpus/kubeflow-manifests), cert-manager's and OpenShift's from
schemas written here from their API references (schemas.yaml). A kind with
no schema fails the run.

Usage: python3 Tests/crds/test_custom_resources.py RENDER.yaml...   (prints N passed, N failed)
"""

import os
import pathlib
import sys

import yaml
from openapi_schema_validator import OAS30Validator

HERE = pathlib.Path(__file__).resolve().parent
SHARED = pathlib.Path(os.environ.get("MRGEN_SHARED", HERE.parents[2] / "shared"))
CORPUS_CRDS = [
    "common/istio/istio-crds/base/crd.yaml",
    "applications/kserve/kserve/kserve.yaml",
]
BUILT_IN_GROUPS = {"", "apps", "batch", "rbac.authorization.k8s.io", "networking.k8s.io", "policy", "autoscaling"}


def close(schema):
    """Structural schemas prune unknown fields; mrgen's tree must not rely on
    that, so every object without its own rule for extra fields refuses them."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" and "properties" in schema and "additionalProperties" not in schema \
                and not schema.get("x-kubernetes-preserve-unknown-fields"):
            schema = dict(schema, additionalProperties=False)
        return {key: close(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [close(item) for item in schema]
    return schema


def schemas():
    found = {}
    for path in CORPUS_CRDS:
        for document in yaml.safe_load_all((SHARED / "corpus/kubeflow-manifests" / path).read_text()):
            if not document or document.get("kind") != "CustomResourceDefinition":
                continue
            spec = document["spec"]
            for version in spec["versions"]:
                schema = version.get("schema", {}).get("openAPIV3Schema")
                if schema:
                    found[(f"{spec['group']}/{version['name']}", spec["names"]["kind"])] = schema
    written = yaml.safe_load((HERE / "schemas.yaml").read_text())
    for key, schema in written.items():
        api_version, kind = key.rsplit(" ", 1)
        found[(api_version, kind)] = schema
    return found


def main(paths):
    known = schemas()
    passed = failed = 0
    for path in paths:
        for resource in yaml.safe_load_all(pathlib.Path(path).read_text()):
            if not resource:
                continue
            group = resource["apiVersion"].rpartition("/")[0]
            if group in BUILT_IN_GROUPS:
                continue
            key = (resource["apiVersion"], resource["kind"])
            name = f"{path}: {resource['kind']}/{resource['metadata']['name']}"
            if key not in known:
                print(f"FAILED  {name}: no schema for {key[0]} {key[1]}")
                failed += 1
                continue
            body = {k: v for k, v in resource.items() if k not in ("apiVersion", "kind", "metadata")}
            schema = close(known[key])
            schema = dict(schema, properties={k: v for k, v in schema.get("properties", {}).items() if k not in ("apiVersion", "kind", "metadata")})
            errors = list(OAS30Validator(schema).iter_errors(body))
            if errors:
                print(f"FAILED  {name}: {errors[0].message} at {list(errors[0].absolute_path)}")
                failed += 1
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
