"""The longest UI-thread stall, and what it was made of (for render_pathological.py).

A 1 ms heartbeat timer calls `StallMeter.beat`; the longest gap between two beats is a
stall the user feels. Each gap is split, from counters read at every beat, into:
- cpu: the UI thread's own CPU time (time.thread_time);
- queued: time the UI thread was runnable but waited for a core (the kernel's
  /proc/<tid>/schedstat, second field): other processes had the machine;
- steal: time the hypervisor ran something else on the VM's cores (/proc/stat, the most
  of any vCPU, in 10 ms ticks: an upper bound of the UI thread's share);
- waited: the rest (gap - cpu - queued - steal): the UI thread slept inside a step, on
  the GIL (while other threads ran Python: see `others`) or on a lock, a page fault, I/O;
- others: CPU of the process's other threads meanwhile (the threads that share the GIL);
- gc: time the UI thread spent in Python's cyclic garbage collector (gc.callbacks);
- faults: the UI thread's major page faults (pages read from disk: a library or font
  touched the first time), which sleep in `waited`.
"own" is the gap less what the machine took (queued, steal): the stall on an idle machine.
"step" is the most UI-thread CPU between two beats, whichever gap it was in.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from typing import Any

PARTS = ("cpu", "queued", "steal", "waited", "others", "gc", "faults")


class SchedClock:
    """The UI thread's time spent runnable but waiting for a core (schedstat), and its
    major page faults (stat, the 12th field)."""

    def __init__(self) -> None:
        task = f"/proc/self/task/{threading.get_native_id()}"
        try:
            self._fd: int | None = os.open(f"{task}/schedstat", os.O_RDONLY)
            self._stat: int | None = os.open(f"{task}/stat", os.O_RDONLY)
        except OSError:
            self._fd = self._stat = None

    def queued(self) -> float:
        if self._fd is None:
            return 0.0
        return int(os.pread(self._fd, 128, 0).split()[1]) / 1e9

    def faults(self) -> int:
        if self._stat is None:
            return 0
        # After the command name (in parentheses, may hold spaces): field 3 onwards.
        return int(os.pread(self._stat, 1024, 0).rpartition(b")")[2].split()[9])


class StealClock:
    """Each vCPU's steal time (/proc/stat: the 8th number of each `cpuN` line)."""

    def __init__(self) -> None:
        self._tick = 1.0 / os.sysconf("SC_CLK_TCK")
        try:
            self._fd: int | None = os.open("/proc/stat", os.O_RDONLY)
        except OSError:
            self._fd = None

    def per_cpu(self) -> list[float]:
        if self._fd is None:
            return []
        lines = os.pread(self._fd, 4096, 0).split(b"\n")
        return [int(line.split()[8]) * self._tick for line in lines
                if line.startswith(b"cpu") and line[3:4].isdigit()]


class GcClock:
    """Time the UI thread spent collecting garbage, summed."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started = 0.0
        self._thread = threading.get_ident()
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, _info: dict[str, Any]) -> None:
        if threading.get_ident() != self._thread:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started


class StallMeter:
    """Call `beat` from a 1 ms timer on the UI thread; `figures` says what the worst was."""

    def __init__(self) -> None:
        self._sched = SchedClock()
        self._steal = StealClock()
        self._gc = GcClock()
        self.stall: dict[str, float] = {"gap": 0.0}  # the longest gap, in parts
        self.own: dict[str, float] = {"own": 0.0}  # the longest gap less the machine's share
        self.step = 0.0
        self.restart()

    def _counters(self) -> dict[str, Any]:
        cpu = time.thread_time()
        return {"now": time.perf_counter(), "cpu": cpu, "queued": self._sched.queued(),
                "steal": self._steal.per_cpu(), "others": time.process_time() - cpu,
                "gc": self._gc.total, "faults": self._sched.faults()}

    def restart(self) -> None:
        self._last = self._counters()

    def since_last_beat(self) -> float:
        return time.perf_counter() - self._last["now"]

    def beat(self) -> None:
        now, last = self._counters(), self._last
        self._last = now
        gap = now["now"] - last["now"]
        steal = max((b - a for a, b in zip(last["steal"], now["steal"], strict=False)),
                    default=0.0)
        parts = {"cpu": now["cpu"] - last["cpu"], "queued": now["queued"] - last["queued"],
                 "steal": steal, "others": now["others"] - last["others"],
                 "gc": now["gc"] - last["gc"], "faults": now["faults"] - last["faults"]}
        parts["steal"] = min(parts["steal"], max(0.0, gap - parts["cpu"] - parts["queued"]))
        parts["waited"] = max(0.0, gap - parts["cpu"] - parts["queued"] - parts["steal"])
        self.step = max(self.step, parts["cpu"])
        if gap > self.stall["gap"]:
            self.stall = {"gap": gap, **parts}
        own = gap - parts["queued"] - parts["steal"]
        if own > self.own["own"]:
            self.own = {"own": own, **parts}

    def figures(self, *, open_gap: float = 0.0) -> dict[str, float]:
        """Milliseconds; `open_gap` is a gap still running (a case stopped at its bound)."""
        out = {f"stall_{k}_ms": v * (1 if k == "faults" else 1000)
               for k, v in self.stall.items() if k != "gap"}
        out.update({f"own_{k}_ms": v * (1 if k == "faults" else 1000)
                    for k, v in self.own.items() if k != "own"})
        out["stall_ms"] = max(self.stall["gap"], open_gap) * 1000
        out["own_ms"] = self.own["own"] * 1000
        out["step_cpu_ms"] = self.step * 1000
        return out
