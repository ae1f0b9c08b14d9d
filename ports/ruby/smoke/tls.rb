# wali-flags: --allow-net 127.0.0.1:*
# TLS through the openssl extension: a CA and a server certificate made in
# the guest (OpenSSL::PKey::EC, OpenSSL::X509), an HTTPS server
# (OpenSSL::SSL::SSLServer) and Net::HTTP client in one guest over loopback:
# trusted, a certificate from an unknown CA refused, a wrong host name
# refused; PBKDF2, scrypt and HMAC against RFC vectors (the same as the
# native results); where OpenSSL looks for CAs by default, and that the
# host's bundle is there (the policy allows network, so wali mounts it).
require "openssl"
require "net/https"
require "socket"

def ca(name)
  key = OpenSSL::PKey::EC.generate("prime256v1")
  cert = OpenSSL::X509::Certificate.new
  cert.version = 2
  cert.serial = rand(1 << 64)
  cert.subject = cert.issuer = OpenSSL::X509::Name.parse("/O=wali tests/CN=#{name}")
  cert.public_key = key
  cert.not_before = Time.now - 60
  cert.not_after = Time.now + 3600
  ef = OpenSSL::X509::ExtensionFactory.new(cert, cert)
  cert.add_extension(ef.create_extension("basicConstraints", "CA:TRUE", true))
  cert.add_extension(ef.create_extension("keyUsage", "keyCertSign,cRLSign", true))
  cert.add_extension(ef.create_extension("subjectKeyIdentifier", "hash"))
  cert.sign(key, "SHA256")
  [cert, key]
end

def leaf(ca_cert, ca_key)
  key = OpenSSL::PKey::EC.generate("prime256v1")
  cert = OpenSSL::X509::Certificate.new
  cert.version = 2
  cert.serial = rand(1 << 64)
  cert.subject = OpenSSL::X509::Name.parse("/O=wali tests/CN=localhost")
  cert.issuer = ca_cert.subject
  cert.public_key = key
  cert.not_before = Time.now - 60
  cert.not_after = Time.now + 3600
  ef = OpenSSL::X509::ExtensionFactory.new(ca_cert, cert)
  cert.add_extension(ef.create_extension("basicConstraints", "CA:FALSE", true))
  cert.add_extension(ef.create_extension("extendedKeyUsage", "serverAuth"))
  cert.add_extension(ef.create_extension("subjectAltName", "DNS:localhost,IP:127.0.0.1"))
  cert.add_extension(ef.create_extension("authorityKeyIdentifier", "keyid"))
  cert.sign(ca_key, "SHA256")
  [cert, key]
end

# A one-request-per-connection HTTPS server on loopback; returns its port.
def serve(cert, key)
  ctx = OpenSSL::SSL::SSLContext.new
  ctx.cert = cert
  ctx.key = key
  ctx.min_version = OpenSSL::SSL::TLS1_2_VERSION
  tcp = TCPServer.new("127.0.0.1", 0)
  server = OpenSSL::SSL::SSLServer.new(tcp, ctx)
  Thread.new do
    loop do
      begin
        s = server.accept
      rescue OpenSSL::SSL::SSLError
        next # the client refused our certificate
      end
      Thread.new(s) do |c|
        Thread.current.report_on_exception = false
        while (line = c.gets) && line != "\r\n"; end
        if line # a request (not a client that only shook hands, or refused us)
          body = "hello over #{c.ssl_version}\n"
          c.write "HTTP/1.1 200 OK\r\nContent-Length: #{body.bytesize}\r\nConnection: close\r\n\r\n#{body}"
        end
        c.close
      end
    end
  end
  tcp.addr[1]
end

def get(port, trust, host = "localhost")
  store = OpenSSL::X509::Store.new
  store.add_cert(trust)
  http = Net::HTTP.new(host, port)
  http.use_ssl = true
  http.verify_mode = OpenSSL::SSL::VERIFY_PEER
  http.cert_store = store
  http.open_timeout = http.read_timeout = 30
  res = http.start { |h| h.get("/") }
  "#{res.code} #{res.body.strip}"
rescue OpenSSL::SSL::SSLError => e
  "refused: #{e.message[/certificate verify failed \(.*?\)|hostname .* does not match.*/]}"
end

ca_cert, ca_key = ca("wali test CA")
other_cert, other_key = ca("wali untrusted CA")
good = serve(*leaf(ca_cert, ca_key))
bad = serve(*leaf(other_cert, other_key))
puts "trusted CA: #{get(good, ca_cert)}"
puts "by address: #{get(good, ca_cert, '127.0.0.1')}"
puts "unknown CA: #{get(bad, ca_cert)}"
puts "other trust: #{get(good, other_cert)}"

# A raw TLS 1.3 connection: the negotiated parameters and a wrong host name.
store = OpenSSL::X509::Store.new
store.add_cert(ca_cert)
ctx = OpenSSL::SSL::SSLContext.new
ctx.set_params(verify_mode: OpenSSL::SSL::VERIFY_PEER, cert_store: store)
s = OpenSSL::SSL::SSLSocket.new(TCPSocket.new("127.0.0.1", good), ctx)
s.hostname = "localhost"
s.sync_close = true
s.connect
puts "version: #{s.ssl_version} cipher: #{s.cipher[0]} peer: #{s.peer_cert.subject}"
s.close
s = OpenSSL::SSL::SSLSocket.new(TCPSocket.new("127.0.0.1", good), ctx)
s.hostname = "example.org"
s.sync_close = true
begin
  s.connect
  s.post_connection_check("example.org")
  puts "wrong name: accepted"
rescue OpenSSL::SSL::SSLError => e
  puts "wrong name: #{e.message[/certificate verify failed \(.*?\)/]}"
end
s.close

# Key derivation and MACs (RFC 6070, RFC 7914, RFC 4231 case 2).
puts "pbkdf2 #{OpenSSL::KDF.pbkdf2_hmac('password', salt: 'salt', iterations: 2, length: 20, hash: 'SHA1').unpack1('H*')}"
puts "pbkdf2 sha256 #{OpenSSL::PKCS5.pbkdf2_hmac('password', 'salt', 4096, 32, 'SHA256').unpack1('H*')}"
puts "scrypt #{OpenSSL::KDF.scrypt('password', salt: 'NaCl', N: 1024, r: 8, p: 16, length: 64).unpack1('H*')}"
puts "hmac #{OpenSSL::HMAC.hexdigest('SHA256', 'Jefe', 'what do ya want for nothing?')}"
puts "digest #{OpenSSL::Digest.hexdigest('SHA3-256', 'abc')}"
cipher = OpenSSL::Cipher.new("aes-256-gcm").encrypt
key = cipher.random_key
iv = cipher.random_iv
ct = cipher.update("attack at dawn") + cipher.final
tag = cipher.auth_tag
d = OpenSSL::Cipher.new("aes-256-gcm").decrypt
d.key = key
d.iv = iv
d.auth_tag = tag
puts "aes-gcm #{d.update(ct) + d.final}"

puts "default cert file: #{OpenSSL::X509::DEFAULT_CERT_FILE} dir: #{OpenSSL::X509::DEFAULT_CERT_DIR}"
puts "host bundle mounted: #{File.file?('/etc/ssl/certs/ca-certificates.crt')} #{File.file?('/etc/ssl/cert.pem')}"
puts "OpenSSL #{OpenSSL::OPENSSL_LIBRARY_VERSION[/\d+/]}"
