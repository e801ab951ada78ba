#!/usr/bin/env python3
"""Sends the SQL on stdin to spark_server.py and prints the CSV result (a --sql-command for the spark dialect).

    spark_client.py SOCKET < query.sql
"""
import socket
import sys


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: spark_client.py SOCKET < query.sql", file=sys.stderr)
        return 64
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(sys.argv[1])
    client.sendall(sys.stdin.read().encode())
    client.shutdown(socket.SHUT_WR)
    chunks = []
    while True:
        chunk = client.recv(1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    status, _, body = b"".join(chunks).decode().partition("\n")
    if status != "OK":
        print("Spark: " + body.strip(), file=sys.stderr)
        return 1
    sys.stdout.write(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
