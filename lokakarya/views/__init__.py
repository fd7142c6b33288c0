"""Views of lokakarya, one module per area: lokakarya (workshop, agenda,
participants), run, presensi, kelompok, nilai, produk, laporan."""
