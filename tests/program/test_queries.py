"""Query budgets of the list pages, pinned at two data sizes."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

BUDGET = {"program:sekolah-list": 10, "beranda": 14}


@pytest.mark.parametrize("scale", [1, 4])
@pytest.mark.parametrize("page", list(BUDGET))
@pytest.mark.parametrize("username", ["koordinator1", "fasilitator1", "pp1"])
def test_list_pages_stay_within_budget(
    client, db, django_assert_max_num_queries, scale, page, username
):
    call_command("seed_demo", "--scale", str(scale), stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(get_user_model().objects.get(username=username))
    with django_assert_max_num_queries(BUDGET[page]):
        response = client.get(reverse(page))
    assert response.status_code == 200


def test_coordinator_list_grows_with_data_not_queries(client, db):
    call_command("seed_demo", "--scale", "4", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(get_user_model().objects.get(username="koordinator1"))
    response = client.get(reverse("program:sekolah-list"))
    assert len(response.context["sekolah_list"]) == 32
