"""Creates MLflow's database and user on the overlay's database server, or
brings the user's password up to date, so that running it again changes
nothing. Runs in MLflow's image (SQLAlchemy, psycopg2, PyMySQL) before the
server starts.

Environment:
  MLFLOW_BACKEND_STORE_URI   the store's URI, as MLflow will use it
  MLFLOW_DATABASE_PASSWORD   the password written in it, to check it reads back
  DATABASE_ADMIN_USER, DATABASE_ADMIN_PASSWORD   the server's administrator
  DATABASE_ADMIN_DATABASE    a database the administrator may connect to
"""

import os
import sys
import time

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.engine import make_url

# What may stand in a URI's password unquoted (RFC 3986 unreserved characters).
UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def fail(message):
    print(f"prepare: error: {message}", file=sys.stderr)
    sys.exit(1)


def connect(url, attempts=30):
    """The administrator's connection; the database may still be starting."""
    # hide_parameters: an error's text never shows the password bound into a statement.
    engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True, hide_parameters=True)
    for attempt in range(attempts):
        try:
            return engine.connect()
        except Exception as error:  # the driver's own error types differ
            if attempt == attempts - 1:
                # The driver's message (never the URL, which holds the password).
                reason = str(getattr(error, "orig", error)).splitlines()[0]
                fail(f"cannot connect to {url.host}:{url.port} as {url.username}: {reason}")
            time.sleep(2)


def prepare_postgres(connection, quote, name, user, password):
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :user"), {"user": user}).first()
    # psycopg2 binds parameters in the client, so a password can be one.
    verb = "ALTER" if exists else "CREATE"
    connection.execute(text(f"{verb} ROLE {quote(user)} LOGIN PASSWORD :password"), {"password": password})
    print(f"prepare: user {user} {'updated' if exists else 'created'}")
    if connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first():
        print(f"prepare: database {name} exists")
    else:
        connection.execute(text(f"CREATE DATABASE {quote(name)} OWNER {quote(user)}"))
        print(f"prepare: database {name} created")


def prepare_mysql(connection, quote, name, user, password):
    exists = connection.execute(text("SELECT 1 FROM mysql.user WHERE user = :user AND host = '%'"), {"user": user})
    exists = exists.first() is not None
    connection.execute(text(f"CREATE DATABASE IF NOT EXISTS {quote(name)} CHARACTER SET utf8mb4"))
    # PyMySQL binds parameters in the client too.
    verb = "ALTER" if exists else "CREATE"
    connection.execute(text(f"{verb} USER :user@'%' IDENTIFIED BY :password"), {"user": user, "password": password})
    connection.execute(text(f"GRANT ALL PRIVILEGES ON {quote(name)}.* TO :user@'%'"), {"user": user})
    print(f"prepare: user {user} {'updated' if exists else 'created'}, database {name} ready")


def main():
    password = os.environ["MLFLOW_DATABASE_PASSWORD"]
    if not password or not set(password) <= UNRESERVED:
        fail("MLFLOW_DATABASE_PASSWORD must be letters, digits and -._~ only: it stands unquoted in the store's URI")
    url = make_url(os.environ["MLFLOW_BACKEND_STORE_URI"])
    if url.password != password or not url.username or not url.database:
        fail("MLFLOW_BACKEND_STORE_URI does not name the user, password and database of mlflow-database")
    admin = url.set(
        username=os.environ["DATABASE_ADMIN_USER"],
        password=os.environ["DATABASE_ADMIN_PASSWORD"],
        database=os.environ["DATABASE_ADMIN_DATABASE"],
    )
    if url.username == admin.username:
        fail(f"MLflow's user may not be the administrator '{admin.username}', whose password this would change")
    backend = url.get_backend_name()
    with connect(admin) as connection:
        quote = connection.dialect.identifier_preparer.quote
        try:
            if backend == "postgresql":
                prepare_postgres(connection, quote, url.database, url.username, password)
            elif backend == "mysql":
                prepare_mysql(connection, quote, url.database, url.username, password)
            else:
                fail(f"no preparation for a {backend} store")
        except SQLAlchemyError as error:
            # The driver's message only: the statement and its parameters stay out of the log.
            fail(str(getattr(error, "orig", error)).splitlines()[0])


if __name__ == "__main__":
    main()
