"""Plausible Indonesian text for `seed_scale`, built from a small sentence bank.

Journals, PMO notes and community records at national scale need text of
realistic length (a few hundred to ~2,000 characters per field) so that page
weight, PDF rendering and table size behave as they will in production. The
text is assembled from templates and vocabulary with a seeded RNG, so the same
seed always gives the same database. Values are returned already escaped for
PostgreSQL's COPY text format (and, for JSON, as JSON string literals).
"""

from __future__ import annotations

import json
import random

MURID = [
    "murid",
    "peserta didik",
    "murid kelas rendah",
    "murid kelas tinggi",
    "murid yang belum lancar membaca",
    "murid dengan kebutuhan belajar berbeda",
]
STRATEGI = [
    "pembelajaran berdiferensiasi",
    "asesmen formatif",
    "diskusi kelompok kecil",
    "projek penguatan profil pelajar Pancasila",
    "kesepakatan kelas",
    "pertanyaan pemantik",
    "refleksi harian",
    "umpan balik tertulis",
    "pembelajaran sosial emosional",
    "alur coaching TIRTA",
    "pendekatan inkuiri apresiatif",
    "media konkret dari lingkungan sekitar",
]
HASIL = [
    "lebih percaya diri menyampaikan pendapat",
    "lebih aktif bertanya",
    "mampu menjelaskan langkah penyelesaiannya sendiri",
    "lebih tertib mengikuti kesepakatan kelas",
    "menunjukkan peningkatan nilai asesmen formatif",
    "saling membantu dalam kelompok",
    "lebih fokus selama pembelajaran",
]
KENDALA = [
    "waktu pembelajaran yang terbatas",
    "jaringan internet yang tidak stabil",
    "jumlah murid yang banyak dalam satu kelas",
    "bahan ajar yang belum tersedia",
    "jadwal rapat sekolah yang bertabrakan",
    "dukungan orang tua yang belum merata",
    "beban administrasi guru",
]
PIHAK = [
    "kepala sekolah",
    "rekan sejawat",
    "wali kelas",
    "komite sekolah",
    "orang tua murid",
    "pengawas sekolah",
    "komunitas belajar",
    "tim kurikulum",
]
MODUL = [
    "modul 1.1 tentang filosofi pendidikan Ki Hadjar Dewantara",
    "modul 1.2 tentang nilai dan peran guru penggerak",
    "modul 1.3 tentang visi guru penggerak",
    "modul 1.4 tentang budaya positif",
    "modul 2.1 tentang pembelajaran berdiferensiasi",
    "modul 2.2 tentang pembelajaran sosial emosional",
    "modul 2.3 tentang coaching untuk supervisi akademik",
    "modul 3.1 tentang pengambilan keputusan sebagai pemimpin pembelajaran",
    "modul 3.2 tentang pemimpin dalam pengelolaan sumber daya",
    "modul 3.3 tentang pengelolaan program yang berdampak pada murid",
]
MAPEL = [
    "matematika",
    "bahasa Indonesia",
    "IPAS",
    "bahasa Inggris",
    "pendidikan Pancasila",
    "seni budaya",
    "PJOK",
    "informatika",
]
WAKTU = [
    "minggu lalu",
    "dua minggu terakhir",
    "awal bulan ini",
    "selama satu bulan terakhir",
    "pada pertemuan sebelumnya",
    "sejak lokakarya terakhir",
]
DATA = [
    "Rapor Pendidikan",
    "hasil asesmen diagnostik awal",
    "hasil Asesmen Nasional",
    "catatan observasi kelas",
    "hasil survei lingkungan belajar",
    "data kehadiran murid",
]
INDIKATOR = [
    "kemampuan literasi",
    "kemampuan numerasi",
    "karakter",
    "iklim keamanan sekolah",
    "iklim kebinekaan",
    "kualitas pembelajaran",
    "refleksi dan perbaikan pembelajaran oleh guru",
]

PI_SENTENCES = [
    "CGP menceritakan bahwa {waktu} ia menerapkan {strategi} pada pelajaran {mapel}.",
    "Dari pengamatan CGP, {murid} {hasil} setelah {strategi} diterapkan.",
    "CGP mengaitkan praktiknya dengan {modul} dan menjelaskan alasan pilihannya.",
    "Tantangan utama yang disampaikan adalah {kendala}, sehingga beberapa kegiatan belum tuntas.",
    "PP mengajukan pertanyaan pemantik agar CGP menemukan sendiri langkah perbaikan berikutnya.",
    "CGP berencana melibatkan {pihak} untuk mendukung penerapan {strategi}.",
    "Bukti praktik berupa foto kegiatan, lembar kerja murid, dan jurnal refleksi mingguan.",
    "Refleksi CGP sudah memuat perasaan, pembelajaran yang didapat, dan rencana ke depan.",
    "PP mengapresiasi konsistensi CGP dalam menuliskan jurnal refleksi setiap minggu.",
    "Sebagian {murid} masih memerlukan pendampingan tambahan, terutama dalam pelajaran {mapel}.",
    "CGP menyadari bahwa tujuan pembelajaran perlu ditulis lebih spesifik dan terukur.",
    "Diskusi berlanjut tentang cara memetakan kebutuhan belajar {murid} menggunakan {data}.",
    "CGP menunjukkan rancangan aksi nyata yang sudah dibahas bersama {pihak}.",
    "Dukungan {pihak} dirasakan membantu, meskipun masih terkendala {kendala}.",
    "PP dan CGP menyepakati bahwa praktik baik ini akan dibagikan di komunitas belajar sekolah.",
    "CGP mencoba menerapkan alur coaching saat berdiskusi dengan rekan sejawat.",
    "Perubahan kecil di kelas mulai terlihat: {murid} {hasil}.",
    "CGP masih ragu menilai ketercapaian tujuan, sehingga PP memberi contoh rubrik sederhana.",
    "Catatan penting dari sesi ini adalah perlunya refleksi yang didukung data murid.",
    "Kegiatan berlangsung hangat, CGP terbuka menceritakan keberhasilan maupun kegagalannya.",
]
PMO_SENTENCES = [
    "Berdasarkan {data}, {indikator} di sekolah ini masih berada di bawah rerata kabupaten.",
    "Tim sekolah menyepakati fokus perbaikan pada {indikator} selama enam bulan ke depan.",
    "Kegiatan {strategi} sudah dilaksanakan di sebagian kelas dengan dukungan {pihak}.",
    "Kendala yang muncul adalah {kendala}, sehingga jadwal kegiatan perlu disesuaikan.",
    "Kepala sekolah melakukan supervisi akademik untuk memastikan {strategi} berjalan.",
    "Hasil pemantauan {waktu} menunjukkan {murid} {hasil}.",
    "Guru berbagi praktik baik dalam rapat bulanan dan komunitas belajar sekolah.",
    "Sekolah akan melibatkan {pihak} dalam evaluasi capaian pada akhir semester.",
    "Akar masalah yang teridentifikasi berkaitan dengan belum meratanya penerapan {strategi}.",
    "Target sekolah adalah meningkatkan {indikator} sepuluh persen pada akhir tahun ajaran.",
    "Rencana tindak lanjut disusun bersama tim dan dipantau melalui forum pokja setiap bulan.",
    "Sebagian guru membutuhkan pendampingan tambahan terkait {strategi}.",
    "Dokumentasi kegiatan disimpan sebagai bukti dan bahan refleksi tim sekolah.",
    "Fasilitator memberikan umpan balik agar indikator keberhasilan lebih terukur.",
    "Anggaran kegiatan sudah dialokasikan dalam RKAS, namun pelaksanaannya belum optimal.",
]
KOMUNITAS_SENTENCES = [
    "Komunitas belajar bertemu secara rutin untuk membahas {strategi}.",
    "Anggota berbagi pengalaman menerapkan {strategi} pada pelajaran {mapel}.",
    "Pertemuan {waktu} membahas cara menggunakan {data} untuk merencanakan pembelajaran.",
    "Setiap anggota menyusun satu rencana perbaikan pembelajaran untuk diuji di kelasnya.",
    "Diskusi menyoroti {kendala} dan cara mengatasinya bersama {pihak}.",
    "Hasil uji coba menunjukkan {murid} {hasil}.",
    "Anggota sepakat menuliskan praktik baik dengan format STAR untuk dibagikan di PMM.",
]

PI_RTL = [
    "Menerapkan {strategi} pada pelajaran {mapel}",
    "Menyusun jurnal refleksi mingguan tentang {strategi}",
    "Mengamati pembelajaran rekan sejawat dengan fokus {strategi}",
    "Mendiskusikan rancangan aksi nyata bersama {pihak}",
    "Memetakan kebutuhan belajar murid menggunakan {data}",
    "Membagikan praktik baik di komunitas belajar sekolah",
]
PI_TARGET = [
    "Dokumentasi kegiatan dan refleksi tertulis",
    "Rancangan disetujui kepala sekolah",
    "Catatan observasi terunggah",
    "Lembar kerja murid dan foto kegiatan",
    "Jurnal minggu ini terunggah",
]
PI_WAKTU = ["Minggu ini", "Dua minggu ke depan", "Sebelum PI berikutnya", "Akhir bulan ini"]
KOMENTAR_CGP = [
    "Terima kasih atas pendampingannya, sangat membantu.",
    "Sesi berjalan baik, saya akan menindaklanjuti RTL.",
    "Sudah dilaksanakan sesuai jadwal.",
    "Terima kasih, masukan tentang refleksi akan saya terapkan.",
]
AKTIVITAS_PMO = [
    "Pelatihan internal guru tentang {strategi}",
    "Supervisi akademik berbasis {strategi}",
    "Lokakarya mini penyusunan asesmen formatif",
    "Pendampingan guru kelas rendah untuk {indikator}",
    "Forum berbagi praktik baik antarguru",
    "Program membaca 15 menit sebelum pelajaran",
    "Penguatan komunitas belajar sekolah",
]
SUBTOPIK = [
    "Kualitas pembelajaran: asesmen formatif",
    "Kualitas pembelajaran: pembelajaran berdiferensiasi",
    "Kemampuan literasi",
    "Kemampuan numerasi",
    "Iklim keamanan sekolah",
    "Karakter: gotong royong",
]
ALASAN = {
    "berjalan": "Kegiatan sudah dimulai sesuai jadwal.",
    "selesai": "Seluruh kegiatan terlaksana dan dievaluasi.",
    "terkendala": "Pelaksanaan terhambat, perlu dukungan koordinator.",
    "dibatalkan": "Kegiatan diganti dengan prioritas lain yang disepakati tim.",
}

SLOTS = {
    "murid": MURID,
    "strategi": STRATEGI,
    "hasil": HASIL,
    "kendala": KENDALA,
    "pihak": PIHAK,
    "modul": MODUL,
    "mapel": MAPEL,
    "waktu": WAKTU,
    "data": DATA,
    "indikator": INDIKATOR,
}


def copy_escape(text: str) -> str:
    """A value for COPY's text format (backslash, tab and line breaks escaped)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def fill(template: str, rng: random.Random) -> str:
    return template.format(**{k: rng.choice(v) for k, v in SLOTS.items() if "{" + k in template})


def paragraphs(rng: random.Random, bank: list[str], low: int, high: int) -> str:
    """Sentences from `bank` until a length between `low` and `high`, 3–5 per paragraph."""
    target = rng.randint(low, high)
    parts: list[str] = []
    sentences: list[str] = []
    length = 0
    while length < target:
        sentence = fill(rng.choice(bank), rng)
        if length + len(sentence) > high and length >= low:
            break
        sentences.append(sentence)
        length += len(sentence) + 1
        if len(sentences) >= rng.randint(3, 5):
            parts.append(" ".join(sentences))
            sentences = []
    if sentences:
        parts.append(" ".join(sentences))
    return "\n".join(parts)


class Pool:
    """A fixed set of generated values, handed out round-robin with a random stride.

    Drawing from a pool costs one RNG call per value, which keeps the
    generation of millions of rows cheap while the text stays varied.
    """

    def __init__(self, values: list[str], rng: random.Random):
        self.values = values
        self.rng = rng
        self.n = len(values)

    def __call__(self) -> str:
        return self.values[int(self.rng.random() * self.n)]


class TextBank:
    """Every text pool `seed_scale` draws from, pre-escaped for COPY."""

    def __init__(self, seed: int, size: int = 1500):
        # Seeded on purpose: the same seed gives the same database (not secrets).
        rng = random.Random(seed)  # noqa: S311
        draw = random.Random(seed + 1)  # noqa: S311

        def pool(make, n: int = size, as_json: bool = False) -> Pool:
            values = []
            for _ in range(n):
                text = make()
                if as_json:
                    text = json.dumps(text, ensure_ascii=False)
                values.append(copy_escape(text))
            return Pool(values, draw)

        self.pi_field = pool(lambda: paragraphs(rng, PI_SENTENCES, 300, 2000))
        self.pi_answer_json = pool(lambda: paragraphs(rng, PI_SENTENCES, 200, 1200), as_json=True)
        self.pi_rtl = pool(lambda: fill(rng.choice(PI_RTL), rng), 300)
        self.pi_target = pool(lambda: rng.choice(PI_TARGET), 20)
        self.pi_waktu = pool(lambda: rng.choice(PI_WAKTU), 20)
        self.komentar = pool(lambda: rng.choice(KOMENTAR_CGP), 20)
        self.pmo_field = pool(lambda: paragraphs(rng, PMO_SENTENCES, 300, 1500))
        self.pmo_short = pool(lambda: paragraphs(rng, PMO_SENTENCES, 120, 600))
        self.pmo_aktivitas = pool(lambda: fill(rng.choice(AKTIVITAS_PMO), rng), 300)
        self.subtopik = pool(lambda: rng.choice(SUBTOPIK), 20)
        self.indikator = pool(lambda: "Indikator " + rng.choice(INDIKATOR), 20)
        self.pihak = pool(
            lambda: "\n".join(f"{p.capitalize()} — pendukung" for p in rng.sample(PIHAK, 3)), 100
        )
        self.komunitas = pool(lambda: paragraphs(rng, KOMUNITAS_SENTENCES, 200, 1200))
        self.topik = pool(lambda: "Berbagi praktik " + rng.choice(STRATEGI), 50)
        self.alasan = {k: copy_escape(v) for k, v in ALASAN.items()}
