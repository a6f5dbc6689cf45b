"""Registers models in a Model Registry through its REST API, idempotently.

Usage: seed.py MODELS.json  (REGISTRY_URL defaults to http://model-registry-internal:8080)

For each model, version and artifact in the file it first looks the item up by
name and creates it only when it is missing, so a second run changes nothing.
Only the Python standard library is used.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

API = "/api/model_registry/v1alpha3"


class Registry:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/") + API

    def request(self, method, path, body=None, query=None):
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            if error.code == 404 and method == "GET":
                return None
            detail = error.read().decode(errors="replace")
            raise SystemExit(f"{method} {url}: HTTP {error.code}: {detail}")

    def find(self, path, **query):
        return self.request("GET", path, query=query)

    def create(self, path, body):
        return self.request("POST", path, body=body)


def string_properties(properties, tags=()):
    """The registry's customProperties: strings, and tags as empty-string keys."""
    result = {
        key: {"metadataType": "MetadataStringValue", "string_value": str(value)}
        for key, value in properties.items()
    }
    for tag in tags:
        result[tag] = {"metadataType": "MetadataStringValue", "string_value": ""}
    return result


def wait_until_ready(registry, attempts=30, delay=5):
    for _ in range(attempts):
        try:
            registry.request("GET", "/registered_models", query={"pageSize": 1})
            return
        except (urllib.error.URLError, ConnectionError, SystemExit) as error:
            print(f"waiting for the registry: {error}", flush=True)
            time.sleep(delay)
    raise SystemExit("the registry did not answer")


def seed(registry, models):
    created = 0
    for model in models:
        found = registry.find("/registered_model", name=model["name"])
        if found is None:
            found = registry.create("/registered_models", {
                "name": model["name"],
                "description": model.get("description", ""),
                "owner": model.get("owner", ""),
                "customProperties": string_properties(model.get("properties", {}), model.get("tags", [])),
            })
            created += 1
            print(f"registered model {model['name']} (id {found['id']})")
        else:
            print(f"model {model['name']} already registered (id {found['id']})")
        for version in model.get("versions", []):
            created += seed_version(registry, found["id"], version)
    return created


def seed_version(registry, model_id, version):
    created = 0
    found = registry.find("/model_version", name=version["name"], parentResourceId=model_id)
    if found is None:
        found = registry.create("/model_versions", {
            "name": version["name"],
            "registeredModelId": model_id,
            "author": version.get("author", ""),
            "customProperties": string_properties(version.get("properties", {})),
        })
        created += 1
        print(f"  registered version {version['name']} (id {found['id']})")
    else:
        print(f"  version {version['name']} already registered (id {found['id']})")
    artifact = version.get("artifact")
    if artifact:
        existing = registry.find(f"/model_versions/{found['id']}/artifacts") or {}
        if any(item.get("name") == artifact["name"] for item in existing.get("items", [])):
            print(f"    artifact {artifact['name']} already registered")
        else:
            registry.create(f"/model_versions/{found['id']}/artifacts", dict(artifact, artifactType="model-artifact"))
            created += 1
            print(f"    registered artifact {artifact['name']}")
    return created


def main(argv):
    if len(argv) != 2:
        raise SystemExit("usage: seed.py MODELS.json")
    with open(argv[1]) as file:
        models = json.load(file)
    registry = Registry(os.environ.get("REGISTRY_URL", "http://model-registry-internal:8080"))
    wait_until_ready(registry)
    print(f"done: {seed(registry, models)} item(s) created")


if __name__ == "__main__":
    main(sys.argv)
