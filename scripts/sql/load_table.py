#!/usr/bin/env python3
"""Loads an Arrow file (e.g. from `faultline convert`) into a SQL engine as a table with the same column types, for
the pushdown tests and the worked examples in docs/sql-pushdown.md.

    load_table.py FILE.arrow --table T --duckdb DB.duckdb
    load_table.py FILE.arrow --table T --postgres DBNAME      (through psql; a local server, peer authentication)
"""
import argparse
import io
import subprocess
import sys

import pyarrow as pa
import pyarrow.ipc as ipc

from sqlcsv import field

POSTGRES_TYPES = [
    (pa.types.is_integer, "BIGINT"),
    (pa.types.is_floating, "DOUBLE PRECISION"),
    (pa.types.is_boolean, "BOOLEAN"),
    (pa.types.is_timestamp, "TIMESTAMP"),
    (lambda t: pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t), "TEXT"),
]


def postgres_type(arrow_type) -> str:
    for test, name in POSTGRES_TYPES:
        if test(arrow_type):
            return name
    raise SystemExit(f"load_table.py: no PostgreSQL type for Arrow type {arrow_type}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--table", required=True)
    engine = parser.add_mutually_exclusive_group(required=True)
    engine.add_argument("--duckdb")
    engine.add_argument("--postgres")
    args = parser.parse_args()
    table = ipc.open_file(args.file).read_all()
    if args.duckdb:
        import duckdb

        connection = duckdb.connect(args.duckdb)
        connection.register("arrow_input", table)
        connection.execute(f'CREATE OR REPLACE TABLE "{args.table}" AS SELECT * FROM arrow_input')
        connection.close()
        return 0
    columns = ", ".join(f'"{field.name}" {postgres_type(field.type)}' for field in table.schema)
    data = io.StringIO()
    for row in zip(*(column.to_pylist() for column in table.columns)):
        data.write(",".join(field(value) for value in row) + "\n")
    script = (
        f'DROP TABLE IF EXISTS "{args.table}";\n'
        f'CREATE TABLE "{args.table}" ({columns});\n'
        f'COPY "{args.table}" FROM STDIN WITH (FORMAT csv);\n' + data.getvalue() + "\\.\n"
    )
    subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", args.postgres], input=script, text=True, check=True
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
