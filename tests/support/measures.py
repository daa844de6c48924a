"""What the benchmarks report alongside their figures: a list of times summed up, and the
machine they ran on."""

import os
import platform
import statistics
from pathlib import Path


def stats(times: list[float]) -> dict[str, float]:
    """``times``' median, 90th percentile (nearest rank) and count."""
    ordered = sorted(times)
    return {
        "median": statistics.median(ordered),
        "p90": ordered[round(0.9 * (len(ordered) - 1))],
        "n": len(ordered),
    }


def machine() -> dict[str, str]:
    """This machine: its CPU's model, cores, memory (GiB), Python and system."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    memory = Path("/proc/meminfo").read_text().split()[1]
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory_gib": f"{int(memory) / 2**20:.0f}",
        "python": platform.python_version(),
        "system": platform.platform(),
    }
