# Production image of the bot, the worker and the web panel: the project and its runtime dependencies only, at the versions of
# requirements.lock. No test or lint tools, no sandbox/ (the offline demo and the fakes stay in the dev install,
# scripts/run and scripts/test). Base images are pinned to exact versions: bump them on purpose.
FROM python:3.11.16-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY requirements.lock pyproject.toml README.md ./
COPY engagement ./engagement
COPY rules ./rules
COPY bot ./bot
COPY worker ./worker
COPY web ./web
# `-c`: the lock only fixes versions; what is installed is the project's own (runtime) dependencies, no dev extras.
RUN /opt/venv/bin/pip install -c requirements.lock setuptools \
    && /opt/venv/bin/pip install --no-build-isolation -c requirements.lock . \
    && /opt/venv/bin/pip uninstall --yes setuptools

FROM python:3.11.16-slim-bookworm
COPY --from=build /opt/venv /opt/venv
RUN useradd --create-home app
USER app
WORKDIR /home/app
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1
CMD ["python", "-m", "bot"]
