from django.core.management.base import BaseCommand, CommandError

from program.scale import Plan, ScaleError, seed_scale


class Command(BaseCommand):
    help = (
        "Tambahkan data sintetis skala nasional (PostgreSQL, COPY) di samping data demo. "
        "Jalankan setelah migrate, load_reference dan seed_demo; menolak bila sudah dimuat."
    )

    def add_arguments(self, parser):
        size = parser.add_mutually_exclusive_group(required=True)
        size.add_argument(
            "--national",
            action="store_true",
            help="Skala penuh: 100 rb CGP, 15 rb PP, 600 rb sesi PI, 10 rb sekolah PSP, …",
        )
        size.add_argument(
            "--factor", type=float, help="Sebagian dari skala nasional, mis. 0.01 untuk uji."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Benih acak teks (hasil sama untuk benih sama)."
        )

    def handle(self, *args, national: bool, factor: float | None, seed: int, **options):
        factor = 1.0 if national else factor
        if not factor or not 0 < factor <= 1:
            raise CommandError("--factor harus di antara 0 (tidak termasuk) dan 1.")
        plan = Plan.for_factor(factor)
        self.stdout.write(
            f"seed_scale faktor {factor:g}: {plan.cgp} CGP, {plan.pp} PP, "
            f"{plan.cgp * 6} sesi PI, {plan.sekolah_psp} sekolah PSP, "
            f"{plan.lokakarya} lokakarya, {plan.kabupaten} kabupaten/kota baru"
        )
        try:
            loader = seed_scale(factor=factor, seed=seed, out=self.stdout.write)
        except ScaleError as error:
            raise CommandError(str(error)) from error
        label, rows, seconds = loader.timings[-1]
        self.stdout.write(
            self.style.SUCCESS(f"Selesai: {rows} baris dalam {seconds:.1f} s ({label}).")
        )
