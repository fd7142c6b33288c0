"""Views of komunitas belajar: komunitas, jadwal, siklus (communities, meetings,
inquiry cycles); tahap, karya, laporan (stages, progress map, good practice,
plans, guideline, tests, PDF)."""
