"""Every EMAIL_URL scheme django-environ documents gives Django 6.1 a mailer it accepts."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from config.email_settings import mailer_from_url
from tests.hub.production import ROOT, run_with_settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"
_SMTP = {"username": "hub", "password": "s3nh@", "use_tls": False, "use_ssl": False}


@pytest.mark.parametrize(
    ("url", "backend", "options"),
    [
        (
            "smtp://hub:s3nh%40@mail.example.com:25",
            SMTP,
            _SMTP | {"host": "mail.example.com", "port": 25, "timeout": 10.0},
        ),
        (
            "smtps://hub:s3nh%40@mail.example.com",
            SMTP,
            _SMTP | {"host": "mail.example.com", "port": None, "use_tls": True, "timeout": 10.0},
        ),
        (
            "smtp+tls://hub:s3nh%40@mail.example.com:587?timeout=30",
            SMTP,
            _SMTP | {"host": "mail.example.com", "port": 587, "use_tls": True, "timeout": 30.0},
        ),
        (
            "smtp+ssl://hub:s3nh%40@mail.example.com:465",
            SMTP,
            _SMTP | {"host": "mail.example.com", "port": 465, "use_ssl": True, "timeout": 10.0},
        ),
        ("consolemail://", "django.core.mail.backends.console.EmailBackend", {}),
        ("memorymail://", "django.core.mail.backends.locmem.EmailBackend", {}),
        ("dummymail://", "django.core.mail.backends.dummy.EmailBackend", {}),
        (
            "filemail:////var/mail/hub",
            "django.core.mail.backends.filebased.EmailBackend",
            {"file_path": "/var/mail/hub"},
        ),
    ],
)
def test_every_scheme_maps_to_options_its_backend_accepts(url, backend, options, monkeypatch):
    mailer = mailer_from_url(url, base_dir=ROOT)
    assert mailer == {"BACKEND": backend, "OPTIONS": options}
    monkeypatch.setattr("os.makedirs", lambda *args, **kwargs: None)  # /var/mail/hub untouched
    monkeypatch.setattr("os.access", lambda *args: True)
    with override_settings(MAILERS={"default": mailer}):
        assert type(mail.mailers.default).__module__ + ".EmailBackend" == backend


def test_filemail_writes_the_message_to_the_directory(tmp_path):
    mailer = mailer_from_url(f"filemail:///{tmp_path}", base_dir=ROOT)
    with override_settings(MAILERS={"default": mailer}):
        assert mail.send_mail("Assunto", "Corpo", "hub@hub.test", ["loja@hub.test"]) == 1
    [written] = tmp_path.iterdir()
    assert "Subject: Assunto" in written.read_text()


def test_a_relative_filemail_path_is_inside_the_project(tmp_path):
    mailer = mailer_from_url("filemail:///var/mail", base_dir=tmp_path)
    assert mailer["OPTIONS"] == {"file_path": str(tmp_path / "var" / "mail")}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("consolemail://?timeout=3", "only smtp URLs take options"),
        ("smtp://mail.example.com?retries=3", "unknown option(s) retries"),
        ("filemail://", "filemail needs a directory"),
        ("gopher://mail.example.com", "Invalid email schema gopher"),
    ],
)
def test_a_bad_email_url_stops_the_start_with_a_clear_message(url, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        mailer_from_url(url, base_dir=ROOT)


def test_the_settings_send_through_a_filemail_url(tmp_path):
    result = run_with_settings(
        "import django; django.setup(); from django.core.mail import send_mail;"
        "print(send_mail('Assunto', 'Corpo', 'hub@hub.test', ['loja@hub.test']))",
        EMAIL_URL=f"filemail:///{tmp_path}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1"]
    assert len(list(tmp_path.iterdir())) == 1
