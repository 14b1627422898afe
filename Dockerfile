# Image of the portal: the web (gunicorn), Celery worker and init services of docker-compose.yml share it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput --verbosity 0
# var/media exists in the image so that the `media` volume is created owned by paps (uploaded zonage files).
RUN mkdir -p /app/var/media && useradd --system --home /app paps && chown -R paps /app
USER paps
EXPOSE 8000
CMD ["gunicorn", "paps.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
