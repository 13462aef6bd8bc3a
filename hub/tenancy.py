"""Scoping every seller-facing request to the seller of the logged-in user."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from hub.models import Seller


def seller_of(user) -> Seller | None:
    if user is None or not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.seller if membership else None


def seller_required(view):
    """Logs in first, then sets ``request.seller``; a user outside any seller gets a 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seller = seller_of(request.user)
        if seller is None:
            raise PermissionDenied("Seu usuário não está vinculado a nenhuma empresa.")
        request.seller = seller
        return view(request, *args, **kwargs)

    return wrapper
