#!/bin/sh
# Makes the keys and the CA chain docker-compose.yml expects, in deploy/keys/ (or $1):
#   tlog.pem / tlog.pub               Rekor log key (ECDSA P-256), encrypted with SIGNET_TLOG_KEY_PASSWORD
#   ctlog.pem / ctlog.pub             CT log key (ECDSA P-256), NOT encrypted: the tlog reads the CT key's
#                                     password from its config file only, not from the environment
#   root.key / root.crt               CA root (ECDSA P-384). MOVE root.key OFFLINE afterwards.
#   ca-intermediate.pem / .crt        issuing CA key (encrypted with SIGNET_CA_KEY_PASSWORD) and certificate
#   ca-chain.pem                      intermediate then root: the CA's chainPath
# Existing files are kept. Needs OpenSSL 3. See docs/operating.md §5 and §6.
set -eu
: "${SIGNET_TLOG_KEY_PASSWORD:?set SIGNET_TLOG_KEY_PASSWORD}"
: "${SIGNET_CA_KEY_PASSWORD:?set SIGNET_CA_KEY_PASSWORD}"
ORG="${ORGANIZATION:-Example}"   # subject O= of the CA certificates
dir="${1:-$(dirname "$0")/keys}"
mkdir -p "$dir"
cd "$dir"
umask 077

if [ ! -f tlog.pem ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -aes-256-cbc -pass env:SIGNET_TLOG_KEY_PASSWORD -out tlog.pem
fi
openssl pkey -in tlog.pem -passin env:SIGNET_TLOG_KEY_PASSWORD -pubout -out tlog.pub
if [ ! -f ctlog.pem ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ctlog.pem
fi
openssl pkey -in ctlog.pem -pubout -out ctlog.pub

if [ ! -f root.crt ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out root.key
  openssl req -x509 -new -key root.key -sha384 -days 3650 -subj "/O=$ORG/CN=$ORG Signet root" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.crt
fi
if [ ! -f ca-chain.pem ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
    -aes-256-cbc -pass env:SIGNET_CA_KEY_PASSWORD -out ca-intermediate.pem
  openssl req -new -key ca-intermediate.pem -passin env:SIGNET_CA_KEY_PASSWORD \
    -subj "/O=$ORG/CN=$ORG Signet intermediate" -out ca-intermediate.csr
  cat > intermediate.ext <<'EXT'
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
extendedKeyUsage=codeSigning
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
EXT
  openssl x509 -req -in ca-intermediate.csr -CA root.crt -CAkey root.key -CAcreateserial \
    -days 1825 -sha384 -extfile intermediate.ext -out ca-intermediate.crt
  cat ca-intermediate.crt root.crt > ca-chain.pem
  rm -f ca-intermediate.csr intermediate.ext
fi
# The containers run as user "node" (uid 1000): the files must be readable by that uid.
chmod 644 ./*.pub ./*.crt ca-chain.pem
echo "Keys in $(pwd). Move root.key to offline storage; if your uid is not 1000, run: sudo chown -R 1000:1000 $(pwd)"
