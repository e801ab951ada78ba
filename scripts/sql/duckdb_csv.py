#!/usr/bin/env python3
"""Runs the SQL on stdin against a DuckDB database file and prints the result as CSV with a header.

A --sql-command for Faultline's pushdown that needs only the `duckdb` Python package (the duckdb CLI works too,
`duckdb -csv DB`, when its version can read the file):

    faultline analyze --sql-dialect duckdb --sql-table t --sql-command "python3 scripts/sql/duckdb_csv.py db.duckdb"

Floats are printed with Python's repr (shortest round-trip digits), NULL as an empty field and text quoted, so
an empty string stays distinguishable from NULL.
"""
import sys

import duckdb

from sqlcsv import field


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: duckdb_csv.py DATABASE < query.sql", file=sys.stderr)
        return 64
    connection = duckdb.connect(sys.argv[1], read_only=True)
    cursor = connection.execute(sys.stdin.read())
    out = sys.stdout
    out.write(",".join(field(column[0]) for column in cursor.description) + "\n")
    while True:
        rows = cursor.fetchmany(10_000)
        if not rows:
            break
        for row in rows:
            out.write(",".join(field(value) for value in row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
