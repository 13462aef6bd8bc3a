"""Sellers, their members and the users' e-mails, as support staff need to see them.

A seller's CNPJ is set when the seller is created; afterwards only a superuser can change it.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html

from hub.models import Membership, Seller
from hub.search import search_terms, seller_search_q

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "user_email", "created_at"]
    readonly_fields = ["user_email", "created_at"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="e-mail")
    def user_email(self, membership: Membership) -> str:
        return membership.user.email if membership.pk else "—"


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["name", "cnpj_display", "created_at"]
    search_fields = ["name", "cnpj"]
    search_help_text = (
        "Nome, CNPJ (com ou sem pontuação) ou e-mail (com @) de um usuário da empresa."
    )
    show_full_result_count = False
    inlines = [MembershipInline]

    @admin.display(description="CNPJ", ordering="cnpj")
    def cnpj_display(self, seller: Seller) -> str:
        return seller.cnpj_display

    @admin.display(description="integrações")
    def integrations_link(self, seller: Seller) -> str:
        url = reverse("admin:integrations_integration_changelist")
        return format_html(
            '<a href="{}?seller__id__exact={}">Ver as integrações</a>', url, seller.pk
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "cnpj"]
        # Once the seller exists, only a superuser may correct its CNPJ.
        cnpj = "cnpj" if request.user.is_superuser else "cnpj_display"
        return ["name", cnpj, "integrations_link"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "cnpj_display", "integrations_link"]

    def get_search_results(self, request, queryset, search_term):
        """CNPJ with or without punctuation, a member's e-mail (no duplicate rows) or the name."""
        for term in search_terms(search_term):
            queryset = queryset.filter(seller_search_q(term))
        return queryset, False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "user_email", "seller", "created_at"]
    list_select_related = ["user", "seller"]
    search_fields = ["user__username", "user__email", "seller__name", "seller__cnpj"]
    autocomplete_fields = ["user", "seller"]

    @admin.display(description="e-mail", ordering="user__email")
    def user_email(self, membership: Membership) -> str:
        return membership.user.email


admin.site.unregister(User)


@admin.register(User)
class HubUserAdmin(UserAdmin):
    """Django's user admin plus the seller each user belongs to."""

    list_display = [*UserAdmin.list_display, "seller_column"]
    list_select_related = ["membership__seller"]
    search_fields = [*UserAdmin.search_fields, "membership__seller__name"]

    @admin.display(description="empresa", ordering="membership__seller__name")
    def seller_column(self, user) -> str:
        membership = getattr(user, "membership", None)
        return membership.seller.name if membership else "—"
