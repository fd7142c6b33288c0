from program import access
from program.models import Peran

# Roles that meet learning communities: the school's people, their
# facilitators and supervisors, coordinators and operators.
PERAN_KOMUNITAS = {
    Peran.KEPALA_SEKOLAH,
    Peran.GURU,
    Peran.PIC_KOMUNITAS,
    Peran.OPERATOR_SEKOLAH,
    Peran.FASILITATOR,
    Peran.PENGAWAS,
    Peran.KOORDINATOR,
    Peran.OPERATOR,
}


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    peran = access.roles_of(user)
    return {
        "peran_saya": peran,
        "is_operator": access.is_operator(user),
        "menu_komunitas": bool(peran & PERAN_KOMUNITAS),
    }
