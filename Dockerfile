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
# collectstatic only needs throwaway settings values at build time.
RUN DEBUG=true MAGALU_SANDBOX=false python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "-c", "hub/gunicorn_conf.py", "hub.wsgi:application"]
