"""The seed option's script against an in-memory stand-in for the registry's
REST API: every request's method, path, query parameters and body must be what
the registry's OpenAPI spec at the pinned release allows
(../shared/upstream/model-registry-v0.3.8/api/openapi/model-registry.yaml,
checked with openapi-schema-validator), and a second run registers nothing new."""

import importlib.util
import json
import os
import pathlib
import threading
import unittest
import re
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import yaml
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location("seed", ROOT / "options/seed/seed.py")
seed = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(seed)

API = "/api/model_registry/v1alpha3"
OPENAPI = pathlib.Path(os.environ.get("MRGEN_SHARED", ROOT.parent / "shared")) / "upstream/model-registry-v0.3.8/api/openapi/model-registry.yaml"


class OpenAPISpec:
    """Checks requests against an OpenAPI 3.0 document: the path and method
    exist, every query parameter is declared and valid, the JSON body matches
    the operation's schema ($refs resolved within the document)."""

    def __init__(self, path):
        self.document = yaml.safe_load(path.read_text())
        self.routes = [(re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"), template)
                       for template in self.document["paths"]]

    def deref(self, node):
        if isinstance(node, dict) and "$ref" in node:
            target = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return self.deref(target)
        return node

    def validate(self, schema, value, what):
        wrapped = dict(self.deref(schema) if "$ref" not in schema else {"$ref": schema["$ref"]})
        wrapped["components"] = self.document["components"]
        try:
            OAS30Validator(wrapped).validate(value)
        except ValidationError as error:
            return [f"{what}: {error.message}"]
        return []

    def check(self, method, url, body):
        parsed = urllib.parse.urlparse(url)
        templates = [template for pattern, template in self.routes if pattern.match(parsed.path)]
        if not templates:
            return [f"{method} {parsed.path}: no such path in the spec"]
        item = self.document["paths"][templates[0]]
        operation = item.get(method.lower())
        if operation is None:
            return [f"{method} {templates[0]}: the spec has no such operation"]
        problems = []
        parameters = [self.deref(p) for p in item.get("parameters", []) + operation.get("parameters", [])]
        query = {p["name"]: p for p in parameters if p["in"] == "query"}
        for name, value in urllib.parse.parse_qsl(parsed.query):
            if name not in query:
                problems.append(f"{method} {templates[0]}: query parameter {name} is not in the spec")
                continue
            schema = self.deref(query[name].get("schema", {}))
            typed = int(value) if schema.get("type") == "integer" and value.isdigit() else value
            problems += self.validate(query[name].get("schema", {}), typed, f"{method} {templates[0]} ?{name}")
        for name, parameter in query.items():
            if parameter.get("required") and name not in dict(urllib.parse.parse_qsl(parsed.query)):
                problems.append(f"{method} {templates[0]}: required query parameter {name} missing")
        if body is not None:
            content = self.deref(operation.get("requestBody", {})).get("content", {}).get("application/json")
            if content is None:
                problems.append(f"{method} {templates[0]}: the spec takes no JSON body")
            else:
                problems += self.validate(content["schema"], body, f"{method} {templates[0]} body")
        return problems


class FakeRegistry(BaseHTTPRequestHandler):
    """The endpoints the script uses, with lookups by name as the registry does them."""
    store = {"models": [], "versions": [], "artifacts": []}
    spec = OpenAPISpec(OPENAPI)
    problems = []
    requests = 0

    def checked(self, body=None):
        type(self).requests += 1
        found = self.spec.check(self.command, self.path, body)
        type(self).problems += found
        if found:
            self.reply(400, {"code": "400", "message": "; ".join(found)})
        return not found

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if not self.checked():
            return
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        path = url.path[len(API):]
        if path == "/registered_models":
            return self.reply(200, {"items": self.store["models"], "size": len(self.store["models"])})
        if path == "/registered_model":
            found = [m for m in self.store["models"] if m["name"] == query.get("name")]
            return self.reply(200, found[0]) if found else self.reply(404, {"message": "not found"})
        if path == "/model_version":
            found = [v for v in self.store["versions"]
                     if v["name"] == query.get("name") and v["registeredModelId"] == query.get("parentResourceId")]
            return self.reply(200, found[0]) if found else self.reply(404, {"message": "not found"})
        if path.startswith("/model_versions/") and path.endswith("/artifacts"):
            version = path.split("/")[2]
            items = [a for a in self.store["artifacts"] if a["version"] == version]
            return self.reply(200, {"items": items, "size": len(items)})
        self.reply(404, {"message": "no route"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if not self.checked(body):
            return
        path = urllib.parse.urlparse(self.path).path[len(API):]
        if path == "/registered_models":
            kind = "models"
        elif path == "/model_versions":
            kind = "versions"
        elif path.startswith("/model_versions/") and path.endswith("/artifacts"):
            kind = "artifacts"
            body["version"] = path.split("/")[2]
        else:
            return self.reply(404, {"message": "no route"})
        body["id"] = str(sum(len(v) for v in self.store.values()) + 1)
        self.store[kind].append(body)
        self.reply(201, body)


class SeedTest(unittest.TestCase):
    def test_a_second_run_registers_nothing_twice(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRegistry)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        registry = seed.Registry(f"http://127.0.0.1:{server.server_port}")
        models = json.loads((ROOT / "options/seed/models.json").read_text())
        self.assertEqual(seed.seed(registry, models), 3)
        self.assertEqual(seed.seed(registry, models), 0)
        store = FakeRegistry.store
        self.assertEqual([m["name"] for m in store["models"]], ["Granite-3.1-8b-Instruct-FP8"])
        self.assertEqual(len(store["versions"]), 1)
        self.assertEqual(len(store["artifacts"]), 1)
        self.assertEqual(store["artifacts"][0]["artifactType"], "model-artifact")
        self.assertEqual(store["models"][0]["customProperties"]["granite"]["metadataType"], "MetadataStringValue")
        self.assertGreater(FakeRegistry.requests, 6)
        self.assertEqual(FakeRegistry.problems, [])

    def test_the_spec_check_refuses_what_the_registry_would(self):
        spec = FakeRegistry.spec
        self.assertEqual(spec.check("GET", API + "/registered_models?pageSize=1", None), [])
        self.assertTrue(spec.check("POST", API + "/registered_models", {"name": 3}))
        self.assertTrue(spec.check("POST", API + "/registered_models", {"description": "no name"}))
        self.assertTrue(spec.check("GET", API + "/registered_model?nickname=x", None))
        self.assertTrue(spec.check("DELETE", API + "/registered_models", None))
        self.assertTrue(spec.check("GET", API + "/models", None))


if __name__ == "__main__":
    unittest.main()
