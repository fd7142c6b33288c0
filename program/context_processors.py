from program import access


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"peran_saya": access.roles_of(user), "is_operator": access.is_operator(user)}
