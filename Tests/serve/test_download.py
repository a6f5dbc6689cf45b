"""The download Job of examples/serve-without-kserve, run as it renders, against
stand-ins: the registry's REST API (test_seed.py's, which refuses any request
the pinned OpenAPI spec does not allow), filled by the seed option's script
with the models.json the example renders, and an S3 store that checks every
request's Signature Version 4 (recomputed with botocore) and pages its
listings.

The script, its command and its environment come from `mrgen build
examples/serve-without-kserve` (the Secret model-artifacts-s3, which the user
creates, is given here); /models is a folder here. Checked:
- the version is found through the REST API and its artifact downloaded, byte
  for byte, with the marker the serving Deployment waits for;
- a second run downloads nothing;
- another version replaces the folder; a version that does not exist, an
  object key that would leave the folder, and a wrong secret each fail,
  leave the folder as it was and nothing half-written, and print no secret;
- the Deployment's init container, run as rendered, waits until the folder
  holds the version it serves, and no longer.

Usage: python3 Tests/serve/test_download.py MRGEN   (prints N passed, N failed)
"""

import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import yaml
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/seed"))
sys.path.insert(0, str(ROOT / "Tests/runtime"))
import test_databases as db  # noqa: E402
import test_seed  # noqa: E402

KEY, SECRET, REGION = "AKIAMRGENTEST", "mrgen-test-secret-value", "eu-west-1"
ARTIFACT = {
    "granite-3.1-8b-instruct-FP8-dynamic/config.json": b'{"quantization_config": {"quant_method": "compressed-tensors"}}',
    "granite-3.1-8b-instruct-FP8-dynamic/model-00001-of-00002.safetensors": os.urandom(300_000),
    "granite-3.1-8b-instruct-FP8-dynamic/model-00002-of-00002.safetensors": os.urandom(200_000),
    "granite-3.1-8b-instruct-FP8-dynamic/tokenizer/tokenizer.json": b"{}",
    "granite-3.1-8b-instruct-FP8-dynamic/": b"",  # a folder placeholder, as consoles create
    "granite-3.1-8b-instruct-FP8-dynamic-other/not-this.bin": b"a sibling prefix",
}
NEXT = {"granite-next/config.json": b'{"next": true}', "granite-next/weights.safetensors": os.urandom(1000)}
HOSTILE = {"hostile/config.json": b"{}", "hostile/../../escape.txt": b"outside"}


class FakeS3(BaseHTTPRequestHandler):
    """Path-style GETs: ListObjectsV2 (two keys a page) and GetObject, each
    refused unless its signature is the one botocore computes for it."""

    buckets = {"rhoai-artifacts": {**ARTIFACT, **NEXT, **HOSTILE}}
    object_reads = 0
    refused = []

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def signed(self):
        authorization = self.headers.get("Authorization", "")
        try:
            fields = dict(part.strip().split("=", 1) for part in authorization[len("AWS4-HMAC-SHA256 "):].split(","))
            key, day, region, service, _ = fields["Credential"].split("/")
            names = fields["SignedHeaders"].split(";")
        except (KeyError, ValueError):
            return False
        if key != KEY or region != REGION or service != "s3" or not {"host", "x-amz-date", "x-amz-content-sha256"} <= set(names):
            return False
        request = AWSRequest(method="GET", url=f"http://{self.headers['Host']}{self.path}", headers={name: self.headers[name] for name in names})
        request.context["timestamp"] = self.headers["x-amz-date"]
        auth = S3SigV4Auth(Credentials(KEY, SECRET), "s3", REGION)
        expected = auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)
        return fields["Signature"] == expected and self.headers["x-amz-date"].startswith(day)

    def do_GET(self):
        if not self.signed():
            type(self).refused.append(self.path)
            return self.reply(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
        url = urllib.parse.urlsplit(self.path)
        bucket, _, key = url.path.lstrip("/").partition("/")
        key = urllib.parse.unquote(key)
        objects = self.buckets.get(bucket)
        if objects is None:
            return self.reply(404, b"<Error><Code>NoSuchBucket</Code></Error>")
        if not key:
            query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            if query.get("list-type") != "2":
                return self.reply(400, b"<Error><Code>InvalidArgument</Code></Error>")
            keys = sorted(name for name in objects if name.startswith(query.get("prefix", "")))
            start = int(query.get("continuation-token", "0"))
            page, more = keys[start:start + 2], start + 2 < len(keys)
            contents = "".join(f"<Contents><Key>{escape(name)}</Key><Size>{len(objects[name])}</Size></Contents>" for name in page)
            token = f"<NextContinuationToken>{start + 2}</NextContinuationToken>" if more else ""
            body = (f'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>{bucket}</Name>'
                    f"<IsTruncated>{'true' if more else 'false'}</IsTruncated>{contents}{token}</ListBucketResult>")
            return self.reply(200, body.encode())
        if key not in objects:
            return self.reply(404, b"<Error><Code>NoSuchKey</Code></Error>")
        type(self).object_reads += 1
        self.reply(200, objects[key], "application/octet-stream")


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    mrgen = os.path.abspath(sys.argv[1])
    output = subprocess.run([mrgen, "build", str(ROOT / "examples/serve-without-kserve")], check=True, capture_output=True, text=True).stdout
    resources = [document for document in yaml.safe_load_all(output) if document]
    registry, s3 = serve(test_seed.FakeRegistry), serve(FakeS3)
    base = tempfile.mkdtemp(prefix="mrgen-download-")
    try:
        # The registry holds what the rendered seed Job registers.
        seed_data = db.find(resources, "ConfigMap", next(r["metadata"]["name"] for r in resources
                                                         if r["kind"] == "ConfigMap" and r["metadata"]["name"].startswith("model-registry-seed")))["data"]
        client = test_seed.seed.Registry(f"http://127.0.0.1:{registry.server_port}")
        models = json.loads(seed_data["models.json"])
        test_seed.seed.seed(client, models)
        # A second version of the same model, elsewhere in the store, and one whose keys leave its folder.
        model_id = test_seed.FakeRegistry.store["models"][0]["id"]
        for name, uri in [("next", "s3://rhoai-artifacts/granite-next"), ("hostile", "s3://rhoai-artifacts/hostile/")]:
            version = client.create("/model_versions", {"name": name, "registeredModelId": model_id})
            client.create(f"/model_versions/{version['id']}/artifacts", {"artifactType": "model-artifact", "name": name, "uri": uri})

        job = db.find(resources, "Job", "model-download")["spec"]["template"]
        container = job["spec"]["containers"][0]
        secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "model-artifacts-s3"},
                  "data": {name: base64.b64encode(value.encode()).decode() for name, value in
                           {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_DEFAULT_REGION": REGION,
                            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{s3.server_port}"}.items()}}
        mounts = db.Mounts(base, resources + [secret], job["spec"], container, {}, (0, 0))
        env = db.environment(resources + [secret], container, mounts)
        db.check("the Job reaches the registry through the internal Service", env["REGISTRY_URL"] == "http://model-registry-internal:8080")
        env["REGISTRY_URL"] = f"http://127.0.0.1:{registry.server_port}"
        command = [mounts.rewrite(word) for word in container["command"]]
        target = pathlib.Path(mounts.local(env["TARGET"]))
        models_folder = target.parent
        model_name, version_name = env["MODEL_NAME"], env["MODEL_VERSION"]
        db.check("the Job downloads a model and version the seed Job registers",
                 any(m["name"] == model_name and any(v["name"] == version_name for v in m["versions"]) for m in models), (model_name, version_name))

        def download(**overrides):
            return subprocess.run([sys.executable] + command[1:], env={**os.environ, **env, **overrides}, capture_output=True, text=True, timeout=120)

        def folder():
            return {str(path.relative_to(target)): path.read_bytes() for path in target.rglob("*") if path.is_file()}

        first = download()
        prefix = "granite-3.1-8b-instruct-FP8-dynamic/"
        expected = {name[len(prefix):]: data for name, data in ARTIFACT.items() if name.startswith(prefix) and not name.endswith("/")}
        marker = f"{model_name}/{version_name}\ns3://rhoai-artifacts/{prefix}\n".encode()
        got = folder()
        db.check("the version's artifact is downloaded, every file byte for byte, nothing else",
                 first.returncode == 0 and {k: v for k, v in got.items() if k != ".mrgen-model"} == expected,
                 first.stderr + str(sorted(got)))
        db.check("the marker names the version and the artifact's URI", got.get(".mrgen-model") == marker, got.get(".mrgen-model"))
        print("        " + first.stdout.strip())
        reads = FakeS3.object_reads
        second = download()
        db.check("a second run downloads nothing", second.returncode == 0 and FakeS3.object_reads == reads and "already" in second.stdout,
                 second.stdout + second.stderr)

        # The serving Deployment's init container, as rendered, with /models here.
        serving = db.find(resources, "Deployment", "model-serving")["spec"]["template"]["spec"]
        wait = serving["initContainers"][0]
        wait_mounts = db.Mounts(base, resources, serving, wait, {}, (0, 0))
        wait_env = db.environment(resources, wait, wait_mounts)
        wait_command = [wait_mounts.rewrite(word) for word in wait["command"]]

        def waits(seconds):
            """The init container's exit status, or None while it still waits."""
            process = subprocess.Popen(wait_command, env=dict(os.environ, **wait_env), stdout=subprocess.DEVNULL)
            try:
                return process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                return None

        db.check("the server's init container starts it once the version is there", waits(5) == 0)

        for version, reason, needle in [("no-such-version", "a version that does not exist", "has no version named"),
                                        ("hostile", "an object key that would leave the folder", "does not name a file inside")]:
            before = folder()
            result = download(MODEL_VERSION=version)
            left = sorted(path.name for path in models_folder.iterdir())
            db.check(f"{reason} fails, the folder as it was, nothing half-written",
                     result.returncode != 0 and needle in result.stderr and folder() == before and left == ["model"],
                     result.stderr + str(left))
        db.check("the store accepted the signature of every request so far", FakeS3.refused == [], FakeS3.refused)
        wrong = download(MODEL_VERSION="next", AWS_SECRET_ACCESS_KEY="not-the-secret")
        db.check("a wrong secret is refused by the store, and no secret is printed",
                 wrong.returncode != 0 and "403" in wrong.stderr and "not-the-secret" not in wrong.stderr + wrong.stdout
                 and SECRET not in wrong.stderr + wrong.stdout and folder() == got, wrong.stderr)

        replaced = download(MODEL_VERSION="next")
        now = folder()
        db.check("another version replaces the folder",
                 replaced.returncode == 0 and now.get("weights.safetensors") == NEXT["granite-next/weights.safetensors"]
                 and "config.json" in now and not any(name.startswith("model-0000") for name in now)
                 and now[".mrgen-model"].startswith(f"{model_name}/next\n".encode()), replaced.stderr + str(sorted(now)))
        db.check("the server's init container waits while the folder holds another version", waits(3) is None)
        db.check("every registry request is one the OpenAPI spec allows", test_seed.FakeRegistry.problems == [], test_seed.FakeRegistry.problems)
        db.check("the store refused the wrong secret's one request only", len(FakeS3.refused) == 1, FakeS3.refused)
    finally:
        registry.shutdown()
        s3.shutdown()
        shutil.rmtree(base, ignore_errors=True)
    db.finish()


if __name__ == "__main__":
    main()
