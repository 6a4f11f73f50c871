#!/usr/bin/env python3
"""Starts a daemon and prints the milliseconds from its exec to its first `GET /_ping` answered with OK.

Usage: first-ping.py SOCKET LOG -- COMMAND [ARGS...]
The daemon is left running (its pid on the second line of the output) for the caller to measure and stop.
Polling is in-process (a connect + request every millisecond), so no process spawn per probe skews the figure.
"""
import os
import socket
import subprocess
import sys
import time


def ping(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(path)
            s.sendall(b"GET /_ping HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n")
            answer = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
            return answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"OK")
    except OSError:
        return False


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    sock, log, command = sys.argv[1], sys.argv[2], sys.argv[4:]
    with open(log, "wb") as out, open(os.devnull, "rb") as devnull:
        start = time.monotonic()
        daemon = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=devnull)
        deadline = start + 30
        while time.monotonic() < deadline:
            if os.path.exists(sock) and ping(sock):
                print(f"{(time.monotonic() - start) * 1000:.1f}")
                print(daemon.pid)
                return 0
            if daemon.poll() is not None:
                print(f"daemon exited with {daemon.returncode} before answering; see {log}", file=sys.stderr)
                return 1
            time.sleep(0.001)
    daemon.kill()
    print(f"no answer on {sock} within 30 s; see {log}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
