from django.contrib import admin

from hub.models import Membership, Seller


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["name", "cnpj_display", "created_at"]
    search_fields = ["name", "cnpj"]
    inlines = [MembershipInline]

    @admin.display(description="CNPJ", ordering="cnpj")
    def cnpj_display(self, seller: Seller) -> str:
        return seller.cnpj_display

    def get_search_results(self, request, queryset, search_term):
        """CNPJ searches work with or without punctuation."""
        from hub.cnpj import normalize_cnpj

        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        normalized = normalize_cnpj(search_term)
        if normalized and normalized != search_term:
            queryset |= self.model.objects.filter(cnpj__contains=normalized)
        return queryset, may_have_duplicates


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "seller", "created_at"]
    list_select_related = ["user", "seller"]
    search_fields = ["user__username", "user__email", "seller__name", "seller__cnpj"]
    autocomplete_fields = ["user", "seller"]
