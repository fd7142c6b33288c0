"""Import/export column definitions for master data (django-import-export).

Imports run through the admin with a dry run first; rows are saved one by one
(not in bulk) so that every imported change lands in the audit history.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from program.models import KabupatenKota, Orang, PenugasanSekolah, Sekolah


class SekolahResource(resources.ModelResource):
    kabupaten = fields.Field(
        attribute="kabupaten",
        column_name="kode_kabupaten",
        widget=ForeignKeyWidget(KabupatenKota, field="kode"),
    )

    class Meta:
        model = Sekolah
        import_id_fields = ("npsn",)
        fields = ("npsn", "nama", "jenjang", "status", "kabupaten", "alamat")
        export_order = fields
        skip_unchanged = True
        report_skipped = False
        use_transactions = True


class OrangResource(resources.ModelResource):
    class Meta:
        model = Orang
        fields = ("id", "nama", "nip", "nuptk", "instansi", "email", "telepon")
        export_order = fields
        skip_unchanged = True
        use_transactions = True


class PenugasanSekolahResource(resources.ModelResource):
    sekolah = fields.Field(
        attribute="sekolah", column_name="npsn", widget=ForeignKeyWidget(Sekolah, field="npsn")
    )
    orang = fields.Field(attribute="orang", column_name="orang_id", widget=ForeignKeyWidget(Orang))

    class Meta:
        model = PenugasanSekolah
        import_id_fields = ("orang", "sekolah", "peran")
        fields = ("orang", "sekolah", "peran")
        use_transactions = True
