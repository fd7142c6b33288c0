"""National-scale synthetic data for benchmarks (`manage.py seed_scale`).

The national population is added next to the demo, in one transaction, by
COPY. This package is the platform's part:

* plan.py — how many rows of each kind at a factor (`Plan`), `ScaleError`;
* loader.py — loading by COPY (`Loader`, `RowStream`, `check_columns`):
  why COPY, and how foreign keys are dropped and validated again;
* names.py, text.py — deterministic names and realistic Indonesian text;
* context.py — `ScaleContext`, what the generators of a run share;
* platform.py — the platform's rows (regions, schools, logins, people,
  assignments, the previous cohort): program's own generator;
* run.py — `seed_scale`, `check_ready`, and how the generators of the apps
  (`pendampingan/scale.py`, `pmo/scale.py`, …) are found and ordered.
"""

from program.scale.context import ScaleContext
from program.scale.plan import KODE_PREFIX, NPSN_PREFIX, Plan, ScaleError
from program.scale.platform import ORDER, seed
from program.scale.run import check_ready, seed_scale

__all__ = [
    "KODE_PREFIX",
    "NPSN_PREFIX",
    "ORDER",
    "Plan",
    "ScaleContext",
    "ScaleError",
    "check_ready",
    "seed",
    "seed_scale",
]
