"""Views of pendampingan, one module per area: pi (PI 1–6), coaching, jurnal."""
