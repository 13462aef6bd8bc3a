"""Every admin list, search, filter, page and action, fuzzed as support staff and as a superuser:
never a 5xx, and an action with a malformed selection changes nothing."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from integrations.admin.actions import SUPPORT_ACTIONS
from integrations.models import Integration
from integrations.push.models import Notification
from tests.admin import make_attempt
from tests.factories import IntegrationFactory, UserFactory
from tests.fuzz.conftest import assert_handled, snapshot
from tests.fuzz.strategies import FUZZ, encode, params, segment, values

pytestmark = pytest.mark.postgres

FORM = "application/x-www-form-urlencoded"
CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
)
# The list filters' own parameters, so the fuzzer reaches them, not only unknown names.
FILTER_PARAMS = [
    "q", "o", "p", "e", "status__exact", "marketplace", "expira", "erro_24h", "evento_24h",
    "importacao", "pedidos", "resultado", "outcome__exact", "kind__exact", "created_at__gte", "created_at__lt", "seller__id__exact",
    "integration__id__exact", "is_staff__exact", "_changelist_filters", "_to_field", "_popup",
    "state__exact", "via__exact", "arrived_via__exact", "found_at__gte",
]  # fmt: skip


@pytest.fixture
def staff_client(client, db):
    user = UserFactory(membership=None, is_staff=True, username="suporte-fuzz")
    user.groups.add(Group.objects.get(name="Suporte"))
    client.force_login(user)
    return client


@pytest.fixture
def root_client(client, db):
    client.force_login(UserFactory(membership=None, is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def world(db):
    integration = IntegrationFactory()
    expired = IntegrationFactory(expired=True)
    attempt = make_attempt(
        integration=expired, chosen_external_id="tenant-x", chosen_account_name="X Ltda"
    )
    failed = Notification.objects.create(
        marketplace="mercadolivre",
        dedup_key="fuzz-failed",
        resource_id="1",
        state=Notification.State.FAILED,
        integration=integration,
    )
    return {"integration": integration, "expired": expired, "attempt": attempt, "failed": failed}


@pytest.mark.parametrize("changelist", CHANGELISTS)
@FUZZ
@given(pairs=params(FILTER_PARAMS))
def test_every_list_search_and_filter(root_client, world, changelist, pairs):
    before = snapshot()

    response = root_client.get(reverse(changelist), QUERY_STRING=encode(pairs))

    assert_handled(response)
    assert snapshot() == before


@pytest.mark.parametrize("changelist", CHANGELISTS)
@FUZZ
@given(
    action=st.one_of(
        st.sampled_from([a.name for a in SUPPORT_ACTIONS] + ["delete_selected", "reprocess"]),
        values,
    ),
    selected=st.lists(values, min_size=1, max_size=3),
    confirmed=st.booleans(),
)
def test_every_action_with_a_malformed_selection_changes_nothing(
    root_client, world, changelist, action, selected, confirmed
):
    pairs = [("action", action), *(("_selected_action", value) for value in selected)]
    if confirmed:
        pairs += [("confirmado", "sim"), ("post", "yes")]
    if all(value.isascii() and value.isdigit() for value in selected):
        pairs.append(("_selected_action", "²"))  # always at least one malformed id
    before = snapshot()

    response = root_client.post(reverse(changelist), encode(pairs), content_type=FORM)

    assert response.status_code == 400
    assert "Nada foi alterado" in response.content.decode()
    assert snapshot() == before


@FUZZ
@given(object_id=values, slug=st.one_of(st.sampled_from([a.slug for a in SUPPORT_ACTIONS]), values))
def test_page_actions_and_pages_of_any_object(staff_client, world, object_id, slug):
    before = snapshot()
    object_id, slug = segment(object_id), segment(slug)
    for path in (
        f"/admin/integrations/integration/{object_id}/acao/{slug}/",
        f"/admin/integrations/integration/{object_id}/change/",
        f"/admin/integrations/authorizationattempt/{object_id}/aceitar-conta/",
        f"/admin/push/notification/{object_id}/change/",
        f"/admin/push/pushgap/{object_id}/change/",
        f"/admin/orders/order/{object_id}/change/",
    ):
        for method in ("get", "post"):
            response = getattr(staff_client, method)(
                path, **({"data": {"confirmado": "sim"}} if method == "post" else {})
            )
            assert_handled(response)
    assert snapshot() == before


@FUZZ
@given(body=params(["confirmado", "motivo", "csrfmiddlewaretoken"]))
def test_confirmations_need_exactly_sim(staff_client, world, body):
    """Anything but confirmado=sim shows the question again; nothing happens."""
    if ("confirmado", "sim") in body:
        body = [pair for pair in body if pair != ("confirmado", "sim")]
    integration = world["integration"]
    before = snapshot()
    for slug in [a.slug for a in SUPPORT_ACTIONS]:
        url = reverse("admin:integrations_integration_action", args=[integration.pk, slug])
        response = staff_client.post(url, encode(body), content_type=FORM)
        assert_handled(response)
    url = reverse("admin:integrations_authorizationattempt_accept", args=[world["attempt"].pk])
    assert_handled(staff_client.post(url, encode(body), content_type=FORM))
    assert snapshot() == before


@FUZZ
@given(pairs=params(["name", "cnpj", "_save"]))
def test_adding_a_seller_with_anything(root_client, world, pairs):
    response = root_client.post(reverse("admin:hub_seller_add"), encode(pairs), content_type=FORM)

    assert_handled(response)


@FUZZ
@given(pairs=params(["username", "password", "next"]))
def test_admin_login_with_anything(client, db, pairs):
    before = snapshot()

    response = client.post(reverse("admin:login"), encode(pairs), content_type=FORM)

    assert_handled(response)
    assert snapshot() == before


REASON_ACTIONS = [action for action in SUPPORT_ACTIONS if action.needs_reason]


@FUZZ
@given(
    reason=values,
    action=st.sampled_from(REASON_ACTIONS),
    via=st.sampled_from(["page", "list"]),
)
def test_a_reason_form_with_anything(staff_client, world, reason, action, via):
    """A confirmed action with any reason: a 400 in Portuguese that changes nothing, or the
    action done with the reason, on one line, in the event."""
    integration = IntegrationFactory()
    before = snapshot()
    if via == "page":
        url = reverse("admin:integrations_integration_action", args=[integration.pk, action.slug])
        pairs = [("confirmado", "sim"), ("motivo", reason)]
    else:
        url = reverse("admin:integrations_integration_changelist")
        pairs = [
            ("action", action.name),
            ("_selected_action", str(integration.pk)),
            ("confirmado", "sim"),
            ("motivo", reason),
        ]

    response = staff_client.post(url, encode(pairs), content_type=FORM)

    assert_handled(response)
    if response.status_code == 400:
        # The reason's own message, or the site's for a body it refuses whole (a NUL byte).
        assert 'lang="pt-br"' in response.content.decode().lower()
        assert snapshot() == before
    else:
        integration.refresh_from_db()
        assert integration.status != Integration.Status.ACTIVE
        event = integration.events.latest("id")
        assert event.actor is not None and event.details.strip()


@FUZZ
@given(body=params(["confirmado", "csrfmiddlewaretoken", "select_across", "index"]))
def test_reprocess_needs_exactly_sim(staff_client, world, body):
    """ "Reprocessar" with anything but confirmado=sim asks again; nothing is changed."""
    body = [pair for pair in body if pair != ("confirmado", "sim")]
    pairs = [("action", "reprocess"), ("_selected_action", str(world["failed"].pk)), *body]
    before = snapshot()

    response = staff_client.post(
        reverse("admin:push_notification_changelist"), encode(pairs), content_type=FORM
    )

    assert_handled(response)
    assert snapshot() == before
