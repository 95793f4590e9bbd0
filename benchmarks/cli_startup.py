"""`desktopchat ask`: from the command's start to its request reaching the server.

    .venv/bin/python benchmarks/cli_startup.py [--runs 15]

"The request leaving" is measured where it can be seen from outside the process: a small
HTTP server on 127.0.0.1 (a thread of this script) stamps the moment it has read a
request's whole head and body (before it answers). The figure is the time from just
before the process is started to that stamp, so it includes the interpreter's start, the
imports, reading settings (and the keyring), building the request, connecting and
sending, and the loopback hop (tens of microseconds); it excludes the reply, writing the
history (which `ask` does once the request has left) and the exit.

It is printed beside `python -c pass` (start to exit) measured in the same run,
interleaved, so machine load affects both alike. Budget (DESIGN.md §8): the median at most
150 ms over `python -c pass`.

The CPU time of each whole run (user + system, start to exit) is printed too: a busy
machine inflates it far less than the wall-clock figures. So is the import time spent
before the request leaves (`-X importtime`: the sum over modules of their own time, each
module's least over IMPORT_RUNS runs, up to `desktopchat.core.direct`, the sender, which
is imported just before the request is sent), beside `python -X importtime -c pass`.

Two cases: `ask --url URL` (no keyring involved), and `ask -p local` with a saved profile
(the keyring is asked for the profile's key, as the GUI does; which keyring answers
depends on the environment this runs in). When a keyring is usable, a throwaway key is
stored for the profile first (and deleted at the end), so each run really reads a secret
(search, session, get_secret), and the server checks that key arrived with every request.
To run it against a real Secret Service without touching your own keyring:

    sb=$(mktemp -d); mkdir -p $sb/home $sb/data $sb/runtime; chmod 700 $sb/runtime
    HOME=$sb/home XDG_DATA_HOME=$sb/data XDG_RUNTIME_DIR=$sb/runtime dbus-run-session -- \
      sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
             exec .venv/bin/python benchmarks/cli_startup.py --runs 15'
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BUDGET_MS = 150.0
IMPORT_RUNS = 5
SENDER_MODULE = "desktopchat.core.direct"  # imported just before the request is sent
_ANSWER = b"".join(
    b"data: " + json.dumps(chunk).encode() + b"\n\n"
    for chunk in (
        {"choices": [{"index": 0, "delta": {"content": "ok"}, "finish_reason": None}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    )
) + b"data: [DONE]\n\n"


class ArrivalServer:
    """Answers every POST with a tiny stream; records when each request had fully arrived."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.arrivals: list[float] = []
        self.authorizations: list[bytes] = []  # each request's Authorization value (or b"")
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    piece = conn.recv(65536)
                    if not piece:
                        break
                    data += piece
                head, _, body = data.partition(b"\r\n\r\n")
                length, authorization = 0, b""
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                    elif name.strip().lower() == b"authorization":
                        authorization = value.strip()
                while len(body) < length:
                    piece = conn.recv(65536)
                    if not piece:
                        break
                    body += piece
                self.arrivals.append(time.perf_counter())
                self.authorizations.append(authorization)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_ANSWER), _ANSWER)
                )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/chat/completions"

    def close(self) -> None:
        self._listener.close()


PYCACHE = Path(tempfile.gettempdir()) / "desktopchat-bench-pycache"


def environment() -> dict[str, str]:
    """As installed: bytecode cached (in a folder of our own, so the tree stays clean)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONPYCACHEPREFIX=str(PYCACHE))
    env.pop("DESKTOPCHAT_BASEDIR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


CPU: dict[str, list[float]] = {}  # case -> CPU time of each whole run (start to exit)


def time_pass() -> float:
    cpu = children_cpu_ms()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=environment())
    CPU.setdefault("python -c pass", []).append(children_cpu_ms() - cpu)
    return (time.perf_counter() - start) * 1000


def time_ask(
    server: ArrivalServer, args: list[str], name: str = "", key: str | None = None
) -> float:
    """ms from start to the request's arrival; `key`: the key the request must carry."""
    before = len(server.arrivals)
    cpu = children_cpu_ms()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "desktopchat", "ask", *args, "hello"],
        cwd=REPO, env=environment(), stdin=subprocess.DEVNULL, capture_output=True, text=True,
        check=False, timeout=60,
    )
    if done.returncode != 0 or len(server.arrivals) != before + 1:
        raise SystemExit(f"ask failed ({done.returncode}): {done.stderr.strip()}")
    if key is not None and server.authorizations[-1] != f"Bearer {key}".encode():
        raise SystemExit("ask did not send the key stored in the keyring")
    if name:
        CPU.setdefault(name, []).append(children_cpu_ms() - cpu)
    return (server.arrivals[-1] - start) * 1000


def import_ms(command: list[str], until: str | None) -> tuple[float, int]:
    """(ms of import time, modules) before `until` is imported (None: the whole run)."""
    best: dict[str, int] = {}
    for _ in range(IMPORT_RUNS):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *command], cwd=REPO, env=environment(),
            stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False, timeout=60)
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
            # Threads importing at once can make a module's own time come out negative.
            best[name] = min(best.get(name, 1 << 40), max(0, int(own)))
            if name == until:
                break
    return sum(best.values()) / 1000, len(best)


BENCH_KEY = "sk-benchmark-not-a-real-key-0123456789"


def store_bench_key(profile: str) -> tuple[str, str | None]:
    """(the keyring's label, the key stored for `profile`, or None when no keyring can)."""
    from desktopchat.errors import SecretStoreError
    from desktopchat.secrets import SecretStore, keyring_label

    status = SecretStore().check()
    if not status.usable:
        return f"none ({status.problem})", None
    try:
        SecretStore().set_key(profile, BENCH_KEY)
    except SecretStoreError as exc:
        return f"{keyring_label(status.backend_name)}: {exc.message}", None
    return keyring_label(status.backend_name), BENCH_KEY


def delete_bench_key(profile: str) -> None:
    from desktopchat.secrets import SecretStore

    SecretStore().delete_key(profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    from desktopchat.paths import app_paths
    from desktopchat.settings import Preferences, Profile, Settings, SettingsStore

    server = ArrivalServer()
    with tempfile.TemporaryDirectory() as folder:
        base = str(Path(folder) / "portable")
        paths = app_paths(base).ensure()
        profile = Profile("local", preset="llamacpp", url=server.url)
        SettingsStore(paths.settings_file).save(
            Settings(profiles=[profile], preferences=Preferences(active_profile="local")))
        keyring_name, key = store_bench_key(profile.name)
        cases = {
            "ask --url URL": ["--basedir", base, "--url", server.url],
            "ask -p local (keyring)": ["--basedir", base, "-p", "local"],
        }
        keys = {"ask --url URL": None, "ask -p local (keyring)": key}
        try:
            for name, args in cases.items():
                # warm-up: the history file is created and migrated once
                time_ask(server, args, key=keys[name])
            reference: list[float] = []
            figures: dict[str, list[float]] = {name: [] for name in cases}
            for _ in range(options.runs):
                reference.append(time_pass())
                for name, args in cases.items():
                    figures[name].append(time_ask(server, args, name, keys[name]))
            imports = {"python -c pass": import_ms(["-c", "pass"], None)}
            for name, args in cases.items():
                imports[name] = import_ms(["-m", "desktopchat", "ask", *args, "hello"],
                                          SENDER_MODULE)
        finally:
            if key is not None:
                delete_bench_key(profile.name)
    server.close()
    print(f"keyring: {keyring_name}; "
          + ("a key stored for 'local' is read by every -p run and checked at the server"
             if key else "-p local reads no key"))
    base_ms = statistics.median(reference)
    print(f"python -c pass (start to exit)      median {base_ms:6.1f} ms  "
          f"(min {min(reference):.1f})")
    worst = 0.0
    for name, values in figures.items():
        median = statistics.median(values)
        over = median - base_ms
        worst = max(worst, over)
        print(f"{name:<35} median {median:6.1f} ms  (min {min(values):.1f}, "
              f"p90 {sorted(values)[int(0.9 * (len(values) - 1))]:.1f})  "
              f"= {over:+.1f} ms over python -c pass")
    # CPU is what a busy machine inflates least; it counts the whole run, reply and exit
    # included, so it is context beside the budget, not the budgeted figure.
    pass_cpu = statistics.median(CPU["python -c pass"])
    print("CPU time of each whole run (start to exit), medians: " + ", ".join(
        f"{name} {statistics.median(values):.0f} ms"
        + ("" if name == "python -c pass" else f" ({statistics.median(values) - pass_cpu:+.0f})")
        for name, values in CPU.items()))
    pass_imports = imports["python -c pass"][0]
    print("import time before the request leaves (-X importtime, each module's least of "
          f"{IMPORT_RUNS} runs): " + ", ".join(
              f"{name} {ms:.1f} ms / {count} modules"
              + ("" if name == "python -c pass" else f" ({ms - pass_imports:+.1f})")
              for name, (ms, count) in imports.items()))
    verdict = "within" if worst <= BUDGET_MS else "OVER"
    print(f"budget: <= {BUDGET_MS:.0f} ms over python -c pass -> {verdict} "
          f"(worst case {worst:+.1f} ms; {options.runs} runs each, interleaved)")


if __name__ == "__main__":
    main()
