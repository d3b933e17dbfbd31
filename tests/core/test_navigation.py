import pytest
from django.urls import reverse


def _nav(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index('<nav class="main-nav"') : html.index("</nav>")]


@pytest.mark.django_db
def test_applicants_see_their_work_not_the_committee(client_for) -> None:
    nav = _nav(client_for("alice"))
    assert reverse("applications:list") in nav
    assert reverse("committee:sessions") not in nav
    assert reverse("fees:dashboard") + '"' not in nav


@pytest.mark.django_db
def test_committee_members_see_the_committee_not_applications(client_for) -> None:
    nav = _nav(client_for("kei"))
    assert reverse("committee:sessions") in nav
    assert reverse("applications:list") not in nav


@pytest.mark.django_db
def test_anonymous_visitors_see_only_the_registry(client) -> None:
    nav = _nav(client)
    assert reverse("licences:registry") in nav
    assert reverse("catalog:index") not in nav
