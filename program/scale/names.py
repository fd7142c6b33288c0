"""Deterministic per-row values: a stateless hash and the names built from it.

Names of people, regions and schools, and NIPs, are chosen by hashing the row's
index (`mix`), not by drawing from an RNG stream, so each row's value depends
on its index alone and generators can compute any row in any order.
"""

from __future__ import annotations

import datetime as dt

MASK64 = (1 << 64) - 1


def mix(i: int, salt: int) -> int:
    """A stateless 64-bit hash (splitmix64): per-row choices without an RNG stream."""
    x = (i * 0x9E3779B97F4A7C15 + salt * 0xBF58476D1CE4E5B9 + 0x632BE59BD9B4E019) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def frac(i: int, salt: int) -> float:
    return (mix(i, salt) & 0xFFFFFF) / 0x1000000


def words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


DEPAN = words(
    "Ahmad Budi Citra Dewi Eka Fitri Gusti Hendra Indah Joko Kartini Lestari Made Nur "
    "Putu Rahmat Sari Taufik Utami Wahyu Yuliani Zainal Agus Bambang Dian Endang Fajar "
    "Hadi Ika Ketut Lina Maria Nyoman Oktaviani Rina Slamet Tri Wayan Yusuf Aminah Baiq "
    "Lalu Ratna Siti Andi Daeng Teuku Cut Ni Ida Asep Ujang Neneng Margaretha Yohanes"
)
BELAKANG = words(
    "Saputra Wijaya Pratama Hidayat Santoso Kusuma Lestari Rahmawati Nugroho Siregar "
    "Nasution Harahap Simanjuntak Sembiring Manurung Pangaribuan Tanjung Lubis Sitompul "
    "Wibowo Setiawan Gunawan Permana Suryadi Hamzah Rusdi Syahputra Ramadhan Maulana "
    "Purnama Hakim Fauzi Aziz Mahmud Sulaiman Daulay Sinaga Panjaitan Kurniawan Utomo"
)
GELAR = ["S.Pd", "S.Pd., M.Pd", "S.Pd.Gr", "S.Pd.SD", "S.Si", "M.Pd", "S.Ag", "S.Kom", "S.E"]
AWALAN = words(
    "Suka Tanjung Muara Batu Sungai Bukit Padang Teluk Pulau Banjar Karang Gunung Lubuk "
    "Rantau Tanah Sumber Sido Kali Air Pasir Talang Mekar"
)
AKHIRAN = words(
    "maju jaya raya baru indah makmur sari mulya agung rejo asri lestari permai datar "
    "tinggi hilir hulu harjo wangi kencana"
)
PROVINSI_NAMA = words(
    "Aceh|Sumatera Utara|Sumatera Barat|Riau|Jambi|Sumatera Selatan|Bengkulu|Lampung|"
    "Kepulauan Bangka Belitung|Kepulauan Riau|DKI Jakarta|Jawa Barat|Jawa Tengah|"
    "DI Yogyakarta|Jawa Timur|Banten|Bali|Nusa Tenggara Timur|Kalimantan Barat|"
    "Kalimantan Tengah|Kalimantan Selatan|Kalimantan Timur|Kalimantan Utara|Sulawesi Utara|"
    "Sulawesi Tengah|Sulawesi Selatan|Sulawesi Tenggara|Gorontalo|Sulawesi Barat|Maluku|"
    "Maluku Utara|Papua|Papua Barat|Papua Selatan|Papua Tengah|Papua Pegunungan|"
    "Papua Barat Daya",
    "|",
)
JENJANG_SEBARAN = ["SD"] * 6 + ["SMP"] * 2 + ["SMA", "SMK"]


def nama_orang(i: int, salt: int, gelar: bool = True) -> str:
    h = mix(i, salt)
    nama = f"{DEPAN[h % len(DEPAN)]} {BELAKANG[(h >> 8) % len(BELAKANG)]}"
    if gelar:
        nama += ", " + GELAR[(h >> 16) % len(GELAR)]
    return nama


def nama_wilayah(i: int) -> str:
    return AWALAN[i % len(AWALAN)] + AKHIRAN[(i // len(AWALAN)) % len(AKHIRAN)]


def nip(i: int, salt: int) -> str:
    h = mix(i, salt)
    lahir = dt.date(1968, 1, 1) + dt.timedelta(days=h % 9000)
    tmt = f"{2000 + (h >> 20) % 20}{(h >> 30) % 12 + 1:02d}"
    return f"{lahir:%Y%m%d}{tmt}{(h >> 40) % 2 + 1}{i % 1000:03d}"
