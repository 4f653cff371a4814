# Signet: one image for the transparency log and the CA (choose with the command; see
# docker-compose.yml and docs/operating.md). TypeScript runs through tsx; there is no build step.

# Build stage: the C++ toolchain builds the optional PKCS#11 binding (pkcs11js).
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
# Set to 1 to include SoftHSM2 and OpenSC (a software PKCS#11 token, for testing the HSM path).
ARG WITH_SOFTHSM=0
RUN if [ "$WITH_SOFTHSM" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends softhsm2 opensc && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY --from=build --chown=node:node /app /app
ENV NODE_ENV=production
USER node
EXPOSE 3000 5555
# The tlog by default; the CA runs with: node --import tsx services/ca/src/main.ts
CMD ["node", "--import", "tsx", "services/tlog/src/main.ts"]
