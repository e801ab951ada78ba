#!/usr/bin/env python3
"""A local Spark SQL session that answers queries over a Unix socket, so that Faultline's pushdown tests (and users
trying the spark dialect) pay Spark's start-up once, not once per query.

    spark_server.py --socket /tmp/spark.sock --table adult=adult.arrow [--table bike=bike.arrow ...]
    faultline analyze --sql-dialect spark --sql-table adult --sql-command "python3 spark_client.py /tmp/spark.sock"

Each Arrow file (e.g. from `faultline convert`) is written to Parquet and registered as a temporary view with the
same column types. The session runs in local mode with the time zone fixed to UTC. The socket appears once every
table is registered; the server stops when its parent process ends or on SIGTERM.
"""
import argparse
import os
import socket
import sys
import tempfile

import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from sqlcsv import field


def answer(spark, query: str) -> bytes:
    try:
        frame = spark.sql(query.strip().rstrip(";"))
        lines = [",".join(field(name) for name in frame.columns)]
        for row in frame.collect():
            lines.append(",".join(field(value) for value in row))
        return ("OK\n" + "\n".join(lines) + "\n").encode()
    except Exception as error:  # the client prints it and exits non-zero
        return ("ERROR\n" + str(error).strip().splitlines()[0] + "\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--table", action="append", default=[], help="NAME=FILE.arrow")
    args = parser.parse_args()

    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("faultline-pushdown")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    scratch = tempfile.mkdtemp(prefix="faultline-spark-")
    for entry in args.table:
        name, path = entry.split("=", 1)
        parquet = os.path.join(scratch, name + ".parquet")
        pq.write_table(ipc.open_file(path).read_all(), parquet)
        spark.read.parquet(parquet).createOrReplaceTempView(name)

    if os.path.exists(args.socket):
        os.unlink(args.socket)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(args.socket + ".tmp")
    os.rename(args.socket + ".tmp", args.socket)  # appears only when ready
    server.listen(4)
    parent = os.getppid()
    server.settimeout(1.0)
    while os.getppid() == parent:
        try:
            connection, _ = server.accept()
        except socket.timeout:
            continue
        with connection:
            connection.settimeout(None)
            chunks = []
            while True:
                chunk = connection.recv(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            connection.sendall(answer(spark, b"".join(chunks).decode()))
    os.unlink(args.socket)
    return 0


if __name__ == "__main__":
    sys.exit(main())
