FROM python:3.11-slim
WORKDIR /app
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir -r requirements.lock
COPY engagement ./engagement
COPY rules ./rules
COPY bot ./bot
COPY worker ./worker
COPY sandbox ./sandbox
RUN pip install --no-cache-dir --no-deps --no-build-isolation . && useradd --create-home app
USER app
CMD ["python", "-m", "bot"]
