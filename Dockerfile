FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    STATIC_ROOT=/app/var/staticfiles MEDIA_ROOT=/data/media

# WeasyPrint renders with Pango; DejaVu covers Latin text in PDFs. postgresql-client
# (15 on bookworm, matching the compose db image) is what `manage.py backup` calls.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
      fonts-dejavu-core curl postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade "pip>=25.1" && pip install --group runtime
COPY . .
RUN SECRET_KEY=build-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
    python manage.py collectstatic --no-input -v0 \
 && useradd --system --uid 1000 app && mkdir -p /data/media && chown -R app /data /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
