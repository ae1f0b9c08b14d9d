#!/usr/bin/env bash
# test-pki.sh DIR: a throwaway PKI for the TLS tests, made with the host's
# `openssl` command (Debian's openssl package), fresh on every run:
#   ca.pem                       "wali test CA" (the CA the tests trust)
#   server.pem, server.key       localhost / 127.0.0.1 / ::1, signed by it
#   other-ca.pem                 "wali untrusted CA" (nobody trusts it)
#   other-server.pem/.key        localhost, signed by the untrusted CA
# EC P-256 keys, valid for a day, with the extensions Python's default
# (VERIFY_X509_STRICT) context requires: a critical CA basicConstraints and
# keyUsage, subject and authority key identifiers.
set -euo pipefail
dir=${1:?usage: test-pki.sh DIR}
command -v openssl >/dev/null || { echo "test-pki.sh: the openssl command is missing (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
cat > pki.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
openssl req -config pki.cnf -x509 "${newkey[@]}" -days 1 -subj "/O=wali tests/CN=wali test CA" \
  -extensions ca_ext -keyout ca.key -out ca.pem 2>/dev/null
openssl req -config pki.cnf -x509 "${newkey[@]}" -days 1 -subj "/O=wali tests/CN=wali untrusted CA" \
  -extensions ca_ext -keyout other-ca.key -out other-ca.pem 2>/dev/null
for pair in server:ca other-server:other-ca; do
  leaf=${pair%%:*} ca=${pair#*:}
  openssl req -config pki.cnf -new "${newkey[@]}" -subj "/O=wali tests/CN=localhost" \
    -keyout $leaf.key -out $leaf.csr 2>/dev/null
  openssl x509 -req -in $leaf.csr -CA $ca.pem -CAkey $ca.key -CAcreateserial -days 1 \
    -extfile pki.cnf -extensions server_ext -out $leaf.pem 2>/dev/null
  rm -f $leaf.csr
done
rm -f ./*.srl pki.cnf
