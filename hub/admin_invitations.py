"""Users created in the admin are invited by e-mail to create their password (no password is
typed by support nor passed on); the same invitation can be sent again from the users list."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from hub.invitations import user_invite
from hub.models import Membership


class InvitedUserCreationForm(forms.ModelForm):
    """A new user: a name, an address for the invitation, and no password yet."""

    class Meta:
        model = get_user_model()
        fields = ["username", "email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "O convite, com o link para criar a senha, vai para cá."

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserMembershipInline(admin.StackedInline):
    model = Membership
    fk_name = "user"
    fields = ["seller"]
    autocomplete_fields = ["seller"]
    max_num = 1
    extra = 1
    can_delete = False
    verbose_name = "empresa do usuário"
    verbose_name_plural = "empresa do usuário"


class InvitingUserAdminMixin:
    add_form = InvitedUserCreationForm
    add_form_template = "admin/change_form.html"
    add_fieldsets = [(None, {"fields": ["username", "email", "first_name", "last_name"]})]
    inlines = [UserMembershipInline]
    actions = ["send_invitation"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            user_invite(user=form.instance)
            self.message_user(
                request,
                f"Convite enviado para {form.instance.email}: o link cria a senha do usuário.",
            )

    @admin.action(description="Enviar convite por e-mail (link para criar a senha)")
    def send_invitation(self, request, queryset):
        invited = queryset.filter(is_active=True).exclude(email="")
        for user in invited:
            user_invite(user=user)
        skipped = queryset.count() - len(invited)
        self.message_user(request, f"Convite(s) enviado(s): {len(invited)}.")
        if skipped:
            self.message_user(
                request,
                f"Sem convite (usuário desativado ou sem e-mail): {skipped}.",
                messages.WARNING,
            )
