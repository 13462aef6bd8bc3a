from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Usuário ou senha inválidos.",
        "inactive": "Este usuário está desativado.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Usuário"
        self.fields["password"].label = "Senha"
        # Django sets the field's max_length after building it, so no validator enforces it: a
        # longer name would reach authenticate() and the lockout's 255-character column.
        longest = self.fields["username"].max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(longest, f"O usuário tem no máximo {longest} caracteres.")
        )


class HubPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        """Active users with this address, those still without a password included: an invited
        user whose invitation's link expired gets a new link here (Django leaves them out, for
        sites where such users sign in elsewhere; the hub has no such users)."""
        email_field = get_user_model().get_email_field_name()
        users = get_user_model()._default_manager.filter(
            **{f"{email_field}__iexact": email, "is_active": True}
        )
        return (user for user in users if getattr(user, email_field).casefold() == email.casefold())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail"
        self.fields["email"].error_messages.update(
            {"required": "Informe o seu e-mail.", "invalid": "Informe um e-mail válido."}
        )


class HubSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nova senha"
        self.fields["new_password2"].label = "Repita a nova senha"


class HubPasswordChangeForm(PasswordChangeForm, HubSetPasswordForm):
    """Django's PasswordChangeForm is a SetPasswordForm: the new passwords' labels come from
    HubSetPasswordForm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Senha atual"
