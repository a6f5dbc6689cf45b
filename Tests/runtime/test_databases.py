"""Starts real database servers with the settings the tree renders, and connects
the way the registry would.

For each database overlay with the secure-db option, the database container's
arguments, variables and mounts are taken from `mrgen build` (not retyped):
PostgreSQL runs Debian's postgres, MySQL and MariaDB run Debian's mariadbd
(a stand-in for the mysql image). The certificates come from
scripts/test-certificates. Then, with the registry container's own flags from
the same render (--embedmd-database-dsn, --embedmd-database-ssl-root-cert,
--embedmd-database-ssl-verify-server-cert, turned into a connection as
internal/datastore/embedmd/{postgres,mysql}/connect.go of model-registry
v0.3.8 does), a client must connect over TLS with the CA, and be refused
without the CA, with another CA, and without TLS. The rendered readiness
probe must pass against the running server.

The registry connects to the Service name model-registry-db, which the
certificate names; the test runs in a private mount namespace where
/etc/hosts maps that name to 127.0.0.1.

Usage: python3 Tests/runtime/test_databases.py MRGEN   (as root; prints N passed, N failed)
"""

import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG_BIN = "/usr/lib/postgresql/15/bin"
HOST = "model-registry-db"
results = []


def check(name, condition, detail=""):
    condition = bool(condition)
    results.append(condition)
    print(("ok      " if condition else "FAILED  ") + name + ("" if condition else f": {detail}"), flush=True)


def render(mrgen, overlay, options):
    output = subprocess.run([mrgen, "build", os.path.join(ROOT, "overlays", overlay), "--with", options],
                            check=True, capture_output=True, text=True).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


def find(resources, kind, name):
    for resource in resources:
        if resource["kind"] == kind and resource["metadata"]["name"] == name:
            return resource
    raise SystemExit(f"{kind}/{name} is not in the render")


def environment(resources, container, mounts=None, namespace="model-registry"):
    """The container's variables as the kubelet sets them, Secrets decoded:
    envFrom first, then env in order, each value's $(NAME) expanded from those
    before it; with `mounts`, paths under the container's mounts point at the
    folders here."""
    env = {}

    def decoded(secret):
        return {key: base64.b64decode(value).decode() for key, value in secret.get("data", {}).items()}

    for item in container.get("envFrom", []):
        if "secretRef" in item:
            env.update(decoded(find(resources, "Secret", item["secretRef"]["name"])))
        elif "configMapRef" in item:
            env.update(find(resources, "ConfigMap", item["configMapRef"]["name"])["data"])
    for item in container.get("env", []):
        if "value" in item:
            value = expand(item["value"], env)
        else:
            source = item["valueFrom"]
            if "fieldRef" in source:
                value = {"metadata.namespace": namespace}[source["fieldRef"]["fieldPath"]]
            elif "configMapKeyRef" in source:
                ref = source["configMapKeyRef"]
                value = find(resources, "ConfigMap", ref["name"])["data"][ref["key"]]
            else:
                ref = source["secretKeyRef"]
                value = decoded(find(resources, "Secret", ref["name"]))[ref["key"]]
        env[item["name"]] = mounts.rewrite(value) if mounts else value
    return env


def expand(text, env):
    """Kubernetes' $(NAME) expansion in command and arguments."""
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: env.get(m.group(1), m.group(0)), text)


class Mounts:
    """Maps the container's mount paths to folders here, filled from the render
    (ConfigMaps) and from the test certificates (Secrets)."""

    def __init__(self, base, resources, pod, container, secrets, owner):
        self.paths = {}
        volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
        for mount in container.get("volumeMounts", []):
            local = os.path.join(base, "mounts", mount["name"])
            os.makedirs(local, exist_ok=True)
            # A claim (or a volumeClaimTemplate) is an empty folder here.
            volume = volumes.get(mount["name"], {})
            if "secret" in volume:
                mode = volume["secret"].get("defaultMode", 0o644)
                for key, content in secrets[volume["secret"]["secretName"]].items():
                    path = os.path.join(local, key)
                    with open(path, "wb") as file:
                        file.write(content)
                    # As the kubelet writes them: root-owned, the pod's group, defaultMode.
                    os.chown(path, 0, owner[1])
                    os.chmod(path, mode)
            elif "configMap" in volume:
                data = find(resources, "ConfigMap", volume["configMap"]["name"])["data"]
                for key, content in data.items():
                    with open(os.path.join(local, key), "w") as file:
                        file.write(content)
            os.chown(local, owner[0], owner[1])
            self.paths[mount["mountPath"]] = local

    def local(self, path):
        for mount, local in sorted(self.paths.items(), key=lambda item: -len(item[0])):
            if path == mount or path.startswith(mount + "/"):
                return local + path[len(mount):]
        return path

    def rewrite(self, argument):
        """An argument with every mounted path replaced by its folder here."""
        if not self.paths:
            return argument
        pattern = "|".join(re.escape(mount) for mount in sorted(self.paths, key=len, reverse=True))
        return re.sub(f"({pattern})(?=/|$)", lambda match: self.paths[match.group(1)], argument)


def registry_flags(resources):
    """The registry container's flags, $(VAR)s expanded, after the `proxy` command."""
    container = find(resources, "Deployment", "model-registry-deployment")["spec"]["template"]["spec"]["containers"][0]
    env = environment(resources, container)
    flags = {}
    for argument in container["args"][1:]:
        name, _, value = expand(argument, env).lstrip("-").partition("=")
        flags[name] = value
    return flags


def run(command, **options):
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **options)


def wait(probe, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if probe():
            return True
        time.sleep(0.5)
    return False


def as_user(user, command, env=None):
    full = ["runuser", "-u", user, "--"] + command
    return run(full, env=env)


class Postgres:
    """A PostgreSQL server started from a rendered workload's first container,
    as its image's entrypoint would: a cluster owned by POSTGRES_USER in
    PGDATA, the rendered arguments, then the database POSTGRES_DB."""

    def __init__(self, label, resources, workload, certificates, base):
        pod = workload["spec"]["template"]["spec"]
        self.container = container = pod["containers"][0]
        self.env = env = environment(resources, container)
        self.base = base
        user = (int(subprocess.check_output(["id", "-u", "postgres"])), int(subprocess.check_output(["id", "-g", "postgres"])))
        mounts = Mounts(base, resources, pod, container, certificates, user)
        data = mounts.local(env["PGDATA"])
        os.makedirs(data, exist_ok=True)
        os.chown(data, *user)
        self.socket = os.path.join(base, "socket")
        os.makedirs(self.socket)
        os.chown(self.socket, *user)
        password_file = os.path.join(base, "password")
        with open(password_file, "w") as file:
            file.write(env["POSTGRES_PASSWORD"])
        os.chown(password_file, *user)
        init = as_user("postgres", [f"{PG_BIN}/initdb", "-D", data, "--username", env["POSTGRES_USER"], "--pwfile", password_file, "--auth-local=trust"])
        check(f"{label}: initdb as the image does", init.returncode == 0, init.stderr)
        self.port = str(container["ports"][0]["containerPort"])
        # The rendered arguments, paths mapped to the mounts here.
        arguments = [mounts.rewrite(argument) for argument in container.get("args", [])]
        log = open(os.path.join(base, "postgres.log"), "w")
        self.server = subprocess.Popen(["runuser", "-u", "postgres", "--", f"{PG_BIN}/postgres", "-D", data, "-p", self.port,
                                        "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.socket}"] + arguments,
                                       stdout=log, stderr=subprocess.STDOUT)
        self.ready = wait(lambda: run([f"{PG_BIN}/pg_isready", "-h", self.socket, "-p", self.port]).returncode == 0)
        check(f"{label}: starts with the rendered arguments " + " ".join(container.get("args", [])), self.ready,
              open(os.path.join(base, "postgres.log")).read()[-2000:])
        if not self.ready:
            return
        created = as_user("postgres", ["psql", "-h", self.socket, "-p", self.port, "-U", env["POSTGRES_USER"], "-d", "postgres",
                                       "-c", f'CREATE DATABASE "{env["POSTGRES_DB"]}"'])
        check(f"{label}: database POSTGRES_DB created as the image does", created.returncode == 0, created.stderr)
        # The rendered readiness probe, run as written.
        result = run(container["readinessProbe"]["exec"]["command"], env=dict(os.environ, **env, PGPORT=self.port))
        check(f"{label}: the rendered readiness probe passes", result.returncode == 0, result.stdout + result.stderr)

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=30)


def test_catalog_database(mrgen, certificates, base):
    """The catalog reaches its database through libpq's PG* variables only
    (catalog/cmd/catalog.go:98-102); with the ones it renders, a libpq client
    reaches the catalog's own PostgreSQL, as the rendered user and database,
    and may create tables there (the catalog's migrations do)."""
    resources = render(mrgen, "postgres", "catalog")
    database = Postgres("catalog database", resources, find(resources, "StatefulSet", "model-catalog-postgres"), certificates, base)
    try:
        if not database.ready:
            return
        catalog = find(resources, "Deployment", "model-catalog")["spec"]["template"]["spec"]["containers"][0]
        variables = {key: value for key, value in environment(resources, catalog).items() if key.startswith("PG")}
        check("catalog: PGHOST is the catalog database's Service", variables.get("PGHOST") == "model-catalog-postgres", variables.get("PGHOST"))
        result = run(["psql", "-tAc", "SELECT current_user || ' ' || current_database(); CREATE TABLE mrgen_probe (id int); DROP TABLE mrgen_probe;"],
                     env=dict({k: v for k, v in os.environ.items() if not k.startswith("PG")}, PGCONNECT_TIMEOUT="5", **variables))
        expected = f"{database.env['POSTGRES_USER']} {database.env['POSTGRES_DB']}"
        check("catalog: its PG* variables connect to its database as its user", result.returncode == 0 and result.stdout.splitlines()[:1] == [expected],
              result.stdout + result.stderr)
    finally:
        database.stop()


def test_postgres(mrgen, certificates, base):
    resources = render(mrgen, "postgres", "secure-db")
    database = Postgres("postgres", resources, find(resources, "Deployment", "model-registry-db"), certificates, base)
    port = database.port
    try:
        if not database.ready:
            return
        flags = registry_flags(resources)
        dsn = urllib.parse.urlsplit(flags["embedmd-database-dsn"])
        check("postgres: the registry connects to the Service name", dsn.hostname == HOST, dsn.hostname)
        ca = certificates["model-registry-db-ca"]["ca.crt"]
        ca_file = os.path.join(base, "registry-ca.crt")
        with open(ca_file, "wb") as file:
            file.write(ca)
        # postgres/connect.go:97-151: the TLS flags become sslmode=verify-full and sslrootcert.
        verify = flags.get("embedmd-database-ssl-verify-server-cert") == "true"
        check("postgres: the registry verifies the server's certificate", verify and flags.get("embedmd-database-ssl-root-cert"), flags)

        def connect(**overrides):
            query = dict(urllib.parse.parse_qsl(dsn.query))
            query.update({"sslmode": "verify-full" if verify else "require", "sslrootcert": ca_file})
            query.update(overrides)
            conninfo = f"postgresql://{urllib.parse.quote(dsn.username)}:{urllib.parse.quote(dsn.password)}@{HOST}:{port}{dsn.path}?" + urllib.parse.urlencode(query)
            return run(["psql", conninfo, "-tAc", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"], env=dict(os.environ, PGCONNECT_TIMEOUT="5"))

        accepted = connect()
        check("postgres: TLS with the CA is accepted, verified against model-registry-db", accepted.returncode == 0 and accepted.stdout.strip() == "t",
              accepted.stdout + accepted.stderr)
        no_ca = connect(sslrootcert=os.path.join(base, "missing-ca.crt"))
        check("postgres: refused without the CA", no_ca.returncode != 0, no_ca.stdout)
        other = connect(sslrootcert=os.path.join(certificates["other"], "ca.crt"))
        check("postgres: refused with another CA", other.returncode != 0 and "certificate verify failed" in other.stderr, other.stderr)
        plain = connect(sslmode="disable")
        check("postgres: refused without TLS (pg_hba.conf hostssl only)", plain.returncode != 0 and "no pg_hba.conf entry" in plain.stderr, plain.stderr)
    finally:
        database.stop()


class MariaDB:
    """A MariaDB server started from the rendered database Deployment's
    container (Debian's mariadbd stands in for the mysql image too), then set
    up as the image's entrypoint does from its variables: the database, the
    user, and root with the root password from any host."""

    def __init__(self, label, resources, certificates, base):
        deployment = find(resources, "Deployment", "model-registry-db")
        pod = deployment["spec"]["template"]["spec"]
        self.container = container = pod["containers"][0]
        self.env = env = environment(resources, container)
        prefix = "MYSQL" if "MYSQL_USER" in env else "MARIADB"
        user = (int(subprocess.check_output(["id", "-u", "mysql"])), int(subprocess.check_output(["id", "-g", "mysql"])))
        mounts = Mounts(base, resources, pod, container, certificates, user)
        arguments = [mounts.rewrite(argument) for argument in container.get("args", [])]
        datadir = next(argument.split("=", 1)[1] for argument in arguments if argument.startswith("--datadir="))
        os.makedirs(datadir, exist_ok=True)
        os.chown(datadir, *user)
        self.socket = socket = os.path.join(base, "mysqld.sock")
        os.chown(base, *user)
        self.port = port = str(container["ports"][0]["containerPort"])
        install = run(["mariadb-install-db", "--user=mysql", f"--datadir={datadir}", "--auth-root-authentication-method=socket", "--skip-test-db"])
        check(f"{label}: data folder initialised", install.returncode == 0, install.stderr[-2000:])
        log = open(os.path.join(base, "mariadbd.log"), "w")
        self.server = subprocess.Popen(["mariadbd", "--no-defaults", "--user=mysql", f"--socket={socket}", f"--port={port}", "--bind-address=127.0.0.1",
                                        f"--pid-file={base}/mysqld.pid"] + arguments, stdout=log, stderr=subprocess.STDOUT)
        self.ready = wait(lambda: run(["mariadb-admin", f"--socket={socket}", "ping"]).returncode == 0)
        check(f"{label}: mariadbd starts with the rendered arguments " + " ".join(container.get("args", [])), self.ready,
              open(os.path.join(base, "mariadbd.log")).read()[-2000:])
        if not self.ready:
            return
        # What the image's entrypoint does from its variables.
        database, name, password = env[f"{prefix}_DATABASE"], env[f"{prefix}_USER"], env[f"{prefix}_PASSWORD"]
        root = env[f"{prefix}_ROOT_PASSWORD"]
        # mariadb-install-db's anonymous accounts would shadow the user on localhost.
        run(["mariadb", f"--socket={socket}", "-e", "DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;"])
        setup = run(["mariadb", f"--socket={socket}", "-e",
                     f"CREATE DATABASE `{database}`; CREATE USER '{name}'@'%' IDENTIFIED BY '{password}'; GRANT ALL ON `{database}`.* TO '{name}'@'%';"
                     f"CREATE USER 'root'@'%' IDENTIFIED BY '{root}'; GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
                     f"ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('{root}');"])
        check(f"{label}: database, user and root@'%' created from {prefix}_* as the image does", setup.returncode == 0, setup.stderr)
        probe = container["readinessProbe"]["exec"]["command"]
        result = run(probe, env=dict(os.environ, **env, MYSQL_TCP_PORT=port))
        check(f"{label}: the rendered readiness probe passes", result.returncode == 0, result.stdout + result.stderr)

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=30)


def test_mariadb(mrgen, overlay, certificates, base):
    resources = render(mrgen, overlay, "secure-db")
    database = MariaDB(overlay, resources, certificates, base)
    try:
        if not database.ready:
            return
        flags = registry_flags(resources)
        # go-sql-driver form user:password@tcp(host:port)/database?options (mysql/connect.go:59-72).
        match = re.fullmatch(r"([^:]+):([^@]*)@tcp\(([^:]+):(\d+)\)/([^?]+)(\?.*)?", flags["embedmd-database-dsn"])
        check(f"{overlay}: the registry's DSN names the Service", match is not None and match.group(3) == HOST, flags["embedmd-database-dsn"])
        if not match:
            return
        verify = flags.get("embedmd-database-ssl-verify-server-cert") == "true"
        check(f"{overlay}: the registry verifies the server's certificate (tls=custom, mysql/connect.go:59-72,107-117)", verify, flags)
        ca_file = os.path.join(base, "registry-ca.crt")
        with open(ca_file, "wb") as file:
            file.write(certificates["model-registry-db-ca"]["ca.crt"])

        def connect(*options):
            return run(["mariadb", f"--host={HOST}", f"--port={match.group(4)}", f"--user={match.group(1)}", f"--password={match.group(2)}",
                        "--connect-timeout=5", match.group(5), "-N", "-e", "SHOW SESSION STATUS LIKE 'Ssl_version'"] + list(options))

        accepted = connect(f"--ssl-ca={ca_file}", "--ssl-verify-server-cert")
        check(f"{overlay}: TLS with the CA is accepted, verified against model-registry-db", accepted.returncode == 0 and "TLS" in accepted.stdout,
              accepted.stdout + accepted.stderr)
        no_ca = connect("--ssl", "--ssl-verify-server-cert")
        check(f"{overlay}: refused without the CA", no_ca.returncode != 0, no_ca.stdout)
        other = connect(f"--ssl-ca={os.path.join(certificates['other'], 'ca.crt')}", "--ssl-verify-server-cert")
        check(f"{overlay}: refused with another CA", other.returncode != 0, other.stdout)
        plain = connect("--skip-ssl")
        # The same account and password that TLS let in; MariaDB answers a
        # plain connection under --require-secure-transport with error 1045.
        check(f"{overlay}: refused without TLS (--require-secure-transport)", plain.returncode != 0 and ("insecure transport" in plain.stderr or "1045" in plain.stderr), plain.stderr)
    finally:
        database.stop()


def certificates_in(base, namespace):
    folder = os.path.join(base, "certificates")
    stream = subprocess.run([os.path.join(ROOT, "scripts", "test-certificates"), namespace, folder], check=True, capture_output=True, text=True).stdout
    secrets = {}
    for document in yaml.safe_load_all(stream):
        if document:
            secrets[document["metadata"]["name"]] = {key: base64.b64decode(value) for key, value in document["data"].items()}
    other = os.path.join(base, "other")
    subprocess.run([os.path.join(ROOT, "scripts", "test-certificates"), namespace, other], check=True, capture_output=True)
    secrets["other"] = other
    return secrets


def with_hosts(script, names):
    """Runs `script` with this process's arguments again in a private mount
    namespace whose /etc/hosts maps `names` to 127.0.0.1, and exits with its
    status; returns at once when already there."""
    if os.environ.get("MRGEN_TEST_HOSTS") == "1":
        return
    hosts = tempfile.NamedTemporaryFile("w", delete=False, suffix=".hosts")
    hosts.write(open("/etc/hosts").read() + f"\n127.0.0.1 {' '.join(names)}\n")
    hosts.close()
    os.chmod(hosts.name, 0o644)
    arguments = " ".join([os.path.abspath(script)] + [os.path.abspath(sys.argv[1])] + sys.argv[2:])
    command = f"mount --bind {hosts.name} /etc/hosts && exec {sys.executable} {arguments}"
    status = subprocess.run(["unshare", "-m", "sh", "-c", command], env=dict(os.environ, MRGEN_TEST_HOSTS="1")).returncode
    os.unlink(hosts.name)
    sys.exit(status)


def finish():
    """Prints the tally and exits, failing if any check failed."""
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


def main():
    mrgen = os.path.abspath(sys.argv[1])
    with_hosts(__file__, [HOST, "model-catalog-postgres"])
    for overlay in ["postgres", "mariadb", "mysql", "catalog"]:
        base = tempfile.mkdtemp(prefix=f"mrgen-{overlay}-")
        os.chmod(base, 0o755)
        try:
            certificates = certificates_in(base, "model-registry")
            if overlay == "postgres":
                test_postgres(mrgen, certificates, base)
            elif overlay == "catalog":
                test_catalog_database(mrgen, certificates, base)
            else:
                test_mariadb(mrgen, overlay, certificates, base)
        finally:
            shutil.rmtree(base, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
