# The hub's image: web (gunicorn), Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY hub ./hub
COPY integrations ./integrations
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --system --uid 10001 hub && mkdir -p var && chown hub var
USER hub
# collectstatic runs the production settings (the hashed manifest WhiteNoise serves from) with
# throwaway build-time values: no secret or marketplace credential is baked into the image.
RUN DEBUG=false MARKETPLACES= SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    TOKEN_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "-c", "hub/gunicorn_conf.py", "hub.wsgi:application"]
