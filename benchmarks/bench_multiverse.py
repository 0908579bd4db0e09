"""Time the full specification curve in-process and print the timings as JSON.

Not a test: run it by hand, e.g. `.venv/bin/python benchmarks/bench_multiverse.py`.
Loading (and validating) the data is timed apart from the curve itself.
"""

from __future__ import annotations

import json
import os
import platform
import time

from analysis.models import catalogue, multiverse

REPEATS = 5


def best_of(function, repeats: int = REPEATS) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    start = time.perf_counter()
    frame = catalogue.remittance_variables()  # the first call also imports frictionless
    cold_load = time.perf_counter() - start
    curve = multiverse.specification_curve(frame)
    report = {
        "specifications": len(curve),
        "repeats": REPEATS,
        "first_load_cold_s": cold_load,
        "load_and_validate_data_s": best_of(catalogue.remittance_variables),
        "curve_classical_s": best_of(lambda: multiverse.specification_curve(frame)),
        "curve_exact_permutation_s": best_of(lambda: multiverse.specification_curve(frame, p_method="permutation")),
        "curve_including_load_s": best_of(multiverse.specification_curve),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
