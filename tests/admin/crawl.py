"""Every admin page a staff member can reach from the index.

Shared by the tests that read the whole admin (language, date format): the pages come from the
admin site's own registry and the user's permissions, so a newly registered model is read too.
"""

from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from integrations.admin.actions import SUPPORT_ACTIONS


def admin_pages(user) -> list[str]:
    """The index, each app's page and, for every registered model the user may see: the list,
    the add page, one row's page, its history and its delete page, as far as allowed."""
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    app_labels = []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        if info[0] not in app_labels:
            app_labels.append(info[0])
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model_admin.get_queryset(request).first()
        if obj is None:
            continue
        urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        if model_admin.has_delete_permission(request, obj):
            urls.append(reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]))
    urls += [reverse("admin:app_list", args=[label]) for label in app_labels]
    return urls


def support_pages(integration, attempt) -> list[str]:
    """The pages of our own: the overview, each action's confirmation and "Aceitar esta conta"."""
    return [
        reverse("admin:integrations_integration_overview"),
        *(
            reverse("admin:integrations_integration_action", args=[integration.pk, action.slug])
            for action in SUPPORT_ACTIONS
        ),
        reverse("admin:integrations_authorizationattempt_accept", args=[attempt.pk]),
    ]
