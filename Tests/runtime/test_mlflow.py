"""Runs the mlflow option as it renders: its init container against a real
database server, then `mlflow server` (MLflow from PyPI, the version the
image pins), and MLflow's own Python client against it.

For PostgreSQL and MariaDB (the mysql variant), each with secure-db so that
the store is reached over verified TLS, from `mrgen build overlays/DB --with
secure-db,mlflow`:
- the database server starts as in test_databases.py;
- the init container's command runs with its environment as the kubelet
  builds it (envFrom, then env in order, $(NAME) expanded) and its mounts as
  folders here: it creates MLflow's database and user, and a second run
  changes nothing and succeeds;
- the mlflow container's command and arguments start the server (a flag
  MLflow does not take stops it, and the test fails);
- the client, through the Service's name as the proxy passes it on, logs a
  run with a parameter, a metric and an artifact, logs a model and registers
  it, reads both back, and the store's tables are in MLflow's own database;
- a request with another Host header is refused (--allowed-hosts), one for
  localhost (kubectl port-forward) let in; the rendered exec probes pass.

The proxy (kube-rbac-proxy) does not run here: it needs an API server.

Usage: python3 Tests/runtime/test_mlflow.py MRGEN [postgres|mariadb...]   (as root; prints N passed, N failed)
"""

import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_databases as db  # noqa: E402

SERVICE = "mlflow.model-registry.svc"
NAMESPACE = "model-registry"


def request(url, host):
    """A GET with the given Host header: the status code."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Host": host}), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_mlflow(mrgen, overlay, certificates, base):
    label = f"mlflow on {overlay}"
    resources = db.render(mrgen, overlay, "secure-db,mlflow")
    server_class = db.Postgres if overlay == "postgres" else db.MariaDB
    workload = db.find(resources, "Deployment", "model-registry-db")
    if server_class is db.Postgres:
        database = db.Postgres(f"{overlay} for {label}", resources, workload, certificates, os.path.join(base, "database"))
    else:
        database = db.MariaDB(f"{overlay} for {label}", resources, certificates, os.path.join(base, "database"))
    mlflow_server = None
    try:
        if not database.ready:
            return
        pod = db.find(resources, "Deployment", "mlflow")["spec"]["template"]["spec"]
        root = (0, 0)

        # The MLflow here is the one the image pins (CI installs it from the tree's tag).
        import mlflow
        images = {container["image"] for container in pod["containers"] + pod["initContainers"] if "mlflow" in container["image"]}
        db.check(f"{label}: the image is ghcr.io/mlflow/mlflow:v{mlflow.__version__}-full, the MLflow run here",
                 images == {f"ghcr.io/mlflow/mlflow:v{mlflow.__version__}-full"}, images)

        # The init container, twice: the second run must find everything in place.
        prepare = next(container for container in pod["initContainers"] if container["name"] == "prepare")
        mounts = db.Mounts(os.path.join(base, "prepare"), resources, pod, prepare, certificates, root)
        env = db.environment(resources, prepare, mounts, NAMESPACE)
        command = [mounts.rewrite(db.expand(word, env)) for word in prepare["command"] + prepare.get("args", [])]
        for attempt in ["creates", "finds"]:
            result = db.run(command, env=dict(os.environ, **env))
            db.check(f"{label}: the init container {attempt} MLflow's database and user", result.returncode == 0,
                     result.stdout + result.stderr)
        print("        " + result.stdout.strip().replace("\n", "\n        "))
        db.check(f"{label}: the store is reached over verified TLS",
                 ("sslmode=verify-full" in env["MLFLOW_BACKEND_STORE_URI"]) or ("ssl_check_hostname=true" in env["MLFLOW_BACKEND_STORE_URI"]),
                 env["MLFLOW_BACKEND_STORE_URI"].replace(env["MLFLOW_DATABASE_PASSWORD"], "****"))

        # The server, with the rendered command line.
        container = next(container for container in pod["containers"] if container["name"] == "mlflow")
        mounts = db.Mounts(os.path.join(base, "mlflow"), resources, pod, container, certificates, root)
        env = db.environment(resources, container, mounts, NAMESPACE)
        db.check(f"{label}: telemetry and job execution are off",
                 env.get("MLFLOW_DISABLE_TELEMETRY") == "true" and env.get("MLFLOW_SERVER_ENABLE_JOB_EXECUTION") == "false", env)
        command = [mounts.rewrite(db.expand(word, env)) for word in container["command"] + container.get("args", [])]
        port = next(word.split("=", 1)[1] for word in command if word.startswith("--port="))
        # The check below would catch a flag MLflow does not take: it refuses one before serving.
        bogus = db.run(command + ["--no-such-flag=1"], env=dict(os.environ, **env))
        db.check(f"{label}: MLflow refuses a flag it does not define", bogus.returncode != 0 and "No such option" in bogus.stderr,
                 bogus.stderr[-500:])
        log = open(os.path.join(base, "mlflow.log"), "w")
        mlflow_server = subprocess.Popen(command, env=dict(os.environ, **env), stdout=log, stderr=subprocess.STDOUT)
        health = f"http://127.0.0.1:{port}/health"
        ready = db.wait(lambda: mlflow_server.poll() is None and request(health, "127.0.0.1") == 200, seconds=120)
        db.check(f"{label}: `{' '.join(container['command'] + container['args'][:3])} ...` serves /health", ready,
                 open(os.path.join(base, "mlflow.log")).read()[-3000:])
        if not ready:
            return
        api = f"http://127.0.0.1:{port}/api/2.0/mlflow/experiments/search?max_results=1"
        db.check(f"{label}: a request for {SERVICE} is let in", request(api, f"{SERVICE}:8443") == 200)
        db.check(f"{label}: a request for another host is refused", request(api, "attacker.example:8443") == 403)
        db.check(f"{label}: a request for localhost (kubectl port-forward) is let in", request(api, "localhost:8443") == 200)
        for probe in ["startupProbe", "livenessProbe"]:
            result = db.run(container[probe]["exec"]["command"])
            db.check(f"{label}: the rendered {probe} passes against the server", result.returncode == 0, result.stderr[-500:])

        # MLflow's client, as a user behind the proxy would call it.
        client_script = os.path.join(base, "client.py")
        with open(client_script, "w") as file:
            file.write(CLIENT)
        result = subprocess.run([sys.executable, client_script, f"http://{SERVICE}:{port}", os.path.join(base, "note.txt")],
                                capture_output=True, text=True, timeout=300,
                                env=dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", GIT_PYTHON_REFRESH="quiet"))
        lines = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
        db.check(f"{label}: a run is logged with a parameter, a metric and an artifact",
                 result.returncode == 0 and lines.get("metric") == "0.93" and lines.get("param") == "3", result.stdout + result.stderr[-3000:])
        artifacts = mounts.local("/mlflow/artifacts")
        stored = [os.path.join(folder, name) for folder, _, names in os.walk(artifacts) for name in names]
        db.check(f"{label}: the artifact is stored in the artifacts volume, served by MLflow",
                 any(path.endswith("/note.txt") for path in stored), stored[:10])
        db.check(f"{label}: a model is logged and registered (version 1 of mrgen-demo)",
                 lines.get("registered") == "mrgen-demo" and lines.get("version") == "1", result.stdout)
        # The tables are in MLflow's database, not the registry's.
        store = env["MLFLOW_BACKEND_STORE_URI"]
        check = subprocess.run([sys.executable, "-c", TABLES, store], capture_output=True, text=True, timeout=60)
        db.check(f"{label}: the store's tables are in MLflow's own database", check.returncode == 0 and "registered_models" in check.stdout,
                 check.stdout + check.stderr[-2000:])
    finally:
        if mlflow_server is not None:
            mlflow_server.terminate()
            mlflow_server.wait(timeout=30)
        database.stop()


CLIENT = """
import sys
import mlflow
import mlflow.pyfunc
from mlflow import MlflowClient

mlflow.set_tracking_uri(sys.argv[1])
with open(sys.argv[2], "w") as file:
    file.write("logged by mrgen's test")


class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input


mlflow.set_experiment("mrgen")
with mlflow.start_run() as run:
    mlflow.log_param("depth", 3)
    mlflow.log_metric("accuracy", 0.93)
    mlflow.log_artifact(sys.argv[2])
    info = mlflow.pyfunc.log_model(name="model", python_model=Echo(), registered_model_name="mrgen-demo",
                                     pip_requirements=["mlflow"])
client = MlflowClient()
data = client.get_run(run.info.run_id).data
print("param=" + data.params["depth"])
print("metric=" + str(data.metrics["accuracy"]))
version = client.get_model_version("mrgen-demo", "1")
print("registered=" + version.name)
print("version=" + version.version)
"""

TABLES = """
import sys
from sqlalchemy import create_engine, inspect
print(" ".join(sorted(inspect(create_engine(sys.argv[1])).get_table_names())))
"""


def main():
    mrgen = os.path.abspath(sys.argv[1])
    db.with_hosts(__file__, [db.HOST, SERVICE])
    for overlay in sys.argv[2:] or ["postgres", "mariadb"]:
        base = tempfile.mkdtemp(prefix=f"mrgen-mlflow-{overlay}-")
        os.chmod(base, 0o755)
        for folder in ["database", "prepare", "mlflow"]:
            os.makedirs(os.path.join(base, folder))
            os.chmod(os.path.join(base, folder), 0o755)
        try:
            test_mlflow(mrgen, overlay, db.certificates_in(base, NAMESPACE), base)
        finally:
            shutil.rmtree(base, ignore_errors=True)
    db.finish()


if __name__ == "__main__":
    main()
