"""Downloads the artifact of a registered model version into a folder, as the
registry names it, once: a second run for the same version does nothing.

Usage: download.py   (environment below; Python's standard library only)

  REGISTRY_URL    the registry's REST API, e.g. http://model-registry-internal:8080
  MODEL_NAME      the registered model's name
  MODEL_VERSION   the version's name
  TARGET          the folder to fill, e.g. /models/model; its parent must be writable

The version's model artifact URI is looked up through the REST API
(GET registered_model?name=, model_version?name=&parentResourceId=,
model_versions/{id}/artifacts). Supported URIs:
  s3://bucket/prefix   every object under the prefix, signed with AWS
                       Signature Version 4 from AWS_ACCESS_KEY_ID,
                       AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN), at
                       AWS_ENDPOINT_URL (default https://s3.<region>.amazonaws.com),
                       AWS_DEFAULT_REGION (default us-east-1), path-style;
                       AWS_CA_BUNDLE names extra CAs to trust
  https://... http://...   one file

The files go to a new folder beside TARGET, which replaces TARGET only when
every file is complete; TARGET/.mrgen-model then holds "MODEL_NAME/MODEL_VERSION"
on its first line and the artifact's URI on its second. A run that finds that
file naming the same version and URI downloads nothing.
"""

import datetime
import hashlib
import hmac
import json
import os
import shutil
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

API = "/api/model_registry/v1alpha3"
MARKER = ".mrgen-model"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
S3_NAMESPACE = "{http://s3.amazonaws.com/doc/2006-03-01/}"
CHUNK = 1 << 20


def fail(message):
    print(f"download: error: {message}", file=sys.stderr)
    sys.exit(1)


def context():
    bundle = os.environ.get("AWS_CA_BUNDLE")
    return ssl.create_default_context(cafile=bundle) if bundle else ssl.create_default_context()


def registry_get(base, path, **query):
    """A GET on the registry's API: the JSON body, or None for 404."""
    url = base.rstrip("/") + API + path + ("?" + urllib.parse.urlencode(query) if query else "")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    for attempt in range(30):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            fail(f"GET {url}: HTTP {error.code}: {error.read().decode(errors='replace')[:500]}")
        except OSError as error:
            # The registry may still be starting.
            if attempt == 29:
                fail(f"GET {url}: {error}")
            time.sleep(5)


def artifact_uri(base, model_name, version_name):
    model = registry_get(base, "/registered_model", name=model_name)
    if not model:
        fail(f"no registered model named '{model_name}'")
    version = registry_get(base, "/model_version", name=version_name, parentResourceId=model["id"])
    if not version:
        fail(f"model '{model_name}' has no version named '{version_name}'")
    artifacts = registry_get(base, f"/model_versions/{urllib.parse.quote(version['id'])}/artifacts") or {}
    uris = [item["uri"] for item in artifacts.get("items", []) if item.get("artifactType") == "model-artifact" and item.get("uri")]
    if not uris:
        fail(f"version '{version_name}' of '{model_name}' has no model artifact with a URI")
    return uris[0]


class S3:
    """GETs signed with AWS Signature Version 4, path-style addressing."""

    def __init__(self):
        self.region = os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.endpoint = (os.environ.get("AWS_ENDPOINT_URL") or f"https://s3.{self.region}.amazonaws.com").rstrip("/")
        self.key = os.environ.get("AWS_ACCESS_KEY_ID") or fail("AWS_ACCESS_KEY_ID is not set")
        self.secret = os.environ.get("AWS_SECRET_ACCESS_KEY") or fail("AWS_SECRET_ACCESS_KEY is not set")
        self.token = os.environ.get("AWS_SESSION_TOKEN")

    def request(self, bucket, key="", query=None):
        endpoint = urllib.parse.urlsplit(self.endpoint)
        path = endpoint.path + "/" + urllib.parse.quote(bucket, safe="") + ("/" + urllib.parse.quote(key, safe="/~") if key else "")
        pairs = sorted((urllib.parse.quote(k, safe="~"), urllib.parse.quote(v, safe="~")) for k, v in (query or {}).items())
        canonical_query = "&".join(f"{k}={v}" for k, v in pairs)
        now = datetime.datetime.now(datetime.timezone.utc)
        stamp, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        headers = {"host": endpoint.netloc, "x-amz-content-sha256": EMPTY_SHA256, "x-amz-date": stamp}
        if self.token:
            headers["x-amz-security-token"] = self.token
        names = sorted(headers)
        canonical = "\n".join(["GET", path, canonical_query] + [f"{name}:{headers[name]}" for name in names]
                              + ["", ";".join(names), EMPTY_SHA256])
        scope = f"{day}/{self.region}/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        signing_key = ("AWS4" + self.secret).encode()
        for part in [day, self.region, "s3", "aws4_request"]:
            signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
        headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={self.key}/{scope}, "
                                    f"SignedHeaders={';'.join(names)}, Signature={signature}")
        url = f"{endpoint.scheme}://{endpoint.netloc}{path}" + ("?" + canonical_query if canonical_query else "")
        try:
            return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60, context=context())
        except urllib.error.HTTPError as error:
            fail(f"GET s3://{bucket}/{key}: HTTP {error.code}: {error.read().decode(errors='replace')[:300]}")

    def keys(self, bucket, prefix):
        """Every object key under the prefix, with its size."""
        token = None
        while True:
            query = {"list-type": "2", "prefix": prefix}
            if token:
                query["continuation-token"] = token
            with self.request(bucket, query=query) as response:
                listing = ElementTree.fromstring(response.read())
            for item in listing.iter(S3_NAMESPACE + "Contents"):
                yield item.findtext(S3_NAMESPACE + "Key"), int(item.findtext(S3_NAMESPACE + "Size") or 0)
            token = listing.findtext(S3_NAMESPACE + "NextContinuationToken")
            if listing.findtext(S3_NAMESPACE + "IsTruncated") != "true" or not token:
                return


def relative_path(key, prefix):
    """The key's path under the prefix, refused if it would leave the folder."""
    relative = key[len(prefix):].lstrip("/")
    parts = relative.split("/")
    if not relative or any(part in ("", ".", "..") for part in parts) or "\\" in relative or "\0" in relative:
        fail(f"object key '{key}' does not name a file inside the artifact's folder")
    return os.path.join(*parts)


def copy(response, path, expected=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    written = 0
    with open(path, "wb") as file:
        while chunk := response.read(CHUNK):
            file.write(chunk)
            written += len(chunk)
    if expected is not None and written != expected:
        fail(f"{path}: {written} bytes received, {expected} listed")
    return written


def download(uri, folder):
    """Fills `folder` with the artifact; returns the number of files and bytes."""
    parsed = urllib.parse.urlsplit(uri)
    if parsed.scheme == "s3":
        s3 = S3()
        bucket, prefix = parsed.netloc, parsed.path.lstrip("/")
        files = total = 0
        folder_prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        for key, size in s3.keys(bucket, prefix):
            if key.endswith("/"):
                continue  # a folder placeholder
            if key == prefix:
                path = os.path.join(folder, relative_path(key, os.path.dirname(prefix)))  # the artifact is one object
            elif key.startswith(folder_prefix):
                path = os.path.join(folder, relative_path(key, folder_prefix))
            else:
                continue  # a sibling that only shares the prefix's first characters
            with s3.request(bucket, key) as response:
                total += copy(response, path, size)
            files += 1
        if files == 0:
            fail(f"no objects under {uri}")
        return files, total
    if parsed.scheme in ("https", "http"):
        name = os.path.basename(parsed.path) or "model"
        with urllib.request.urlopen(uri, timeout=60, context=context() if parsed.scheme == "https" else None) as response:
            return 1, copy(response, os.path.join(folder, name))
    fail(f"artifact URI '{uri}': only s3://, https:// and http:// are supported")


def main():
    base = os.environ.get("REGISTRY_URL") or "http://model-registry-internal:8080"
    model_name, version_name = os.environ["MODEL_NAME"], os.environ["MODEL_VERSION"]
    target = os.path.normpath(os.environ["TARGET"])
    uri = artifact_uri(base, model_name, version_name)
    wanted = f"{model_name}/{version_name}\n{uri}\n"
    marker = os.path.join(target, MARKER)
    if os.path.isfile(marker) and open(marker).read() == wanted:
        print(f"download: {model_name} {version_name} is already in {target} ({uri})")
        return
    parent = os.path.dirname(target)
    incoming = os.path.join(parent, ".incoming-" + os.path.basename(target))
    shutil.rmtree(incoming, ignore_errors=True)  # what an interrupted run left
    os.makedirs(incoming)
    try:
        files, total = download(uri, incoming)
        with open(os.path.join(incoming, MARKER), "w") as file:
            file.write(wanted)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    previous = os.path.join(parent, ".previous-" + os.path.basename(target))
    shutil.rmtree(previous, ignore_errors=True)
    if os.path.exists(target):
        os.rename(target, previous)
    os.rename(incoming, target)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"download: {model_name} {version_name}: {files} files, {total} bytes from {uri} into {target}")


if __name__ == "__main__":
    main()
