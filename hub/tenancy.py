"""Scoping every seller-facing request to the seller of the logged-in user."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers

from hub.models import Seller


def seller_of(user) -> Seller | None:
    if user is None or not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.seller if membership else None


def seller_required(view):
    """Logs in first, then sets ``request.seller``; a user outside any seller gets a 403 page.

    Every seller page shows account data: never stored by a browser or a proxy cache
    (``Cache-Control: no-store``, as the login and the OAuth callback).
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seller = seller_of(request.user)
        if seller is None:
            raise PermissionDenied("Seu usuário não está vinculado a nenhuma empresa.")
        request.seller = seller
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper
