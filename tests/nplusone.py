"""N+1 detection for the test suite (config/settings_test.py): django-zeal
around every GET and HEAD request the tests make.

Reads are what pages repeat; a write's loops are bounded by what one form
submits (e.g. a workshop's ≤ 10 groups, each `set()` with its history), so
POSTs are left to the query budgets (tests/test_query_budgets.py).
"""

from zeal import zeal_context


def zeal_untuk_bacaan(get_response):
    def middleware(request):
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        with zeal_context():
            return get_response(request)

    return middleware
