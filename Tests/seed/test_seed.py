"""The seed option's script against an in-memory stand-in for the registry's
REST API: a second run registers nothing new."""

import importlib.util
import json
import os
import pathlib
import threading
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location("seed", ROOT / "options/seed/seed.py")
seed = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(seed)

API = "/api/model_registry/v1alpha3"


class FakeRegistry(BaseHTTPRequestHandler):
    """The endpoints the script uses, with lookups by name as the registry does them."""
    store = {"models": [], "versions": [], "artifacts": []}

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


if __name__ == "__main__":
    unittest.main()
