"""A marketplace's warning, declared as text in its provider, rendered as an alert."""

from django.template import Context, Template

from marketplaces import PROVIDERS


class Provider:
    warning = ("**Importante:** use o <b>login</b> do titular.", "Escolha a conta{account}.")


def _render(provider, *account) -> str:
    source = "{% load hub %}{% provider_warning provider" + (" name" if account else "") + " %}"
    return Template(source).render(
        Context({"provider": provider, "name": account[0] if account else ""})
    )


def test_paragraphs_are_escaped_then_stressed():
    html = _render(Provider)
    assert html == (
        '<div class="alert alert--warning"><p><strong>Importante:</strong> use o '
        "&lt;b&gt;login&lt;/b&gt; do titular.</p><p>Escolha a conta.</p></div>"
    )


def test_the_account_is_named_escaped_where_the_provider_says():
    html = _render(Provider, "Loja <Ipê> & Cia")
    assert "<p>Escolha a conta (“Loja &lt;Ipê&gt; &amp; Cia”).</p>" in html


def test_every_provider_warning_renders_without_leftover_markup():
    for provider in PROVIDERS.values():
        html = _render(provider, "Conta X")
        assert "**" not in html and "{account}" not in html and "<strong>" in html
        assert "“Conta X”" in html
