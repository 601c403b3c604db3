# supportdrill's service: Node 20 on Debian, with Debian's chromium for the classroom.
FROM node:20-bookworm-slim

# chromium and fonts for the classroom pages and the scorecard charts; ca-certificates for the vendors' HTTPS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation fonts-noto-cjk ca-certificates \
 && rm -rf /var/lib/apt/lists/*

ENV SUPPORTDRILL_CHROME=/usr/bin/chromium \
    PUPPETEER_SKIP_DOWNLOAD=1 \
    NODE_ENV=production \
    SUPPORTDRILL_CONFIG=/app/supportdrill.config.docker.json

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY drills ./drills
COPY scripts ./scripts
COPY tsconfig.json supportdrill.config.docker.json ./

# The database, evidence and outbox: mount a volume here (docker-compose.yml does).
VOLUME ["/app/var"]
EXPOSE 8080
# Runs as root: Chromium's sandbox needs user namespaces a default container does not grant, and the
# launcher passes --no-sandbox only to a root process.
CMD ["node", "bin/supportdrill.mjs", "serve"]
