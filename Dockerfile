# The hub's image: migrate, web (gunicorn), Celery worker and beat all run from it
# (docker-compose.yml). Dependencies pinned by requirements.lock; no test tool; runs as a user
# without privileges; .dockerignore keeps .env, var/ and every other local secret out.
FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml requirements.lock ./
COPY hub ./hub
COPY integrations ./integrations
# The project's own dependencies only (no test extras), each at the version requirements.lock pins.
RUN pip install --no-cache-dir -c requirements.lock .
COPY . .
RUN useradd --system --uid 10001 --home-dir /app hub && mkdir -p var && chown hub var
USER hub
# collectstatic runs the production settings (the hashed manifest WhiteNoise serves from) with
# throwaway build-time values: no secret or marketplace credential is baked into the image.
RUN DEBUG=false MARKETPLACES= SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    TOKEN_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn_conf.py", "config.wsgi:application"]
