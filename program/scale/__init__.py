"""National-scale synthetic data for benchmarks (`manage.py seed_scale`).

The national population is added in one transaction, by COPY, next to the
demo (`seed_demo` must have run): the ten reference kabupaten of NTB are part
of the national map, so koordinator1's Kabupaten Lombok Timur gets its
national share of schools, CGP, PMO, workshops and communities. The demo
people themselves (pp1 with three CGP, ks1, fasilitator1, …) are left exactly
as seed_demo made them.

* plan.py — how many rows of each kind at a factor (`Plan`), `ScaleError`;
* loader.py — loading by COPY (`Loader`, `RowStream`, `check_columns`):
  why COPY, and how foreign keys are dropped and validated again;
* names.py, text.py — deterministic names and realistic Indonesian text;
* generator.py — every table's rows;
* run.py — `seed_scale`, `check_ready`.
"""

from program.scale.plan import KODE_PREFIX, NPSN_PREFIX, Plan, ScaleError
from program.scale.run import check_ready, seed_scale

__all__ = ["KODE_PREFIX", "NPSN_PREFIX", "Plan", "ScaleError", "check_ready", "seed_scale"]
