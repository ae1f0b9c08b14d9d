# wali-flags: --allow-net 127.0.0.1:*
# gem install from a local HTTPS gem source, inside one sandbox: a gem built
# here (Gem::Package), a RubyGems source for it (specs.4.8.gz and the
# quick/Marshal.4.8 spec, what `gem generate_index` writes) served over
# HTTPS on loopback with a CA made here, then `gem` in a child process
#   1. refuses the source when it does not trust the CA,
#   2. installs the gem from it with the CA in SSL_CERT_FILE,
# and a third process requires the installed gem.
require "openssl"
require "socket"
require "rubygems/package"
require "stringio"
require "tmpdir"
require "zlib"

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

work = Dir.mktmpdir("gem-https")
site = File.join(work, "site")
Dir.mkdir(site)

# The gem.
gem_file = Dir.chdir(work) do
  Dir.mkdir("lib")
  File.write("lib/wali_gem_demo.rb", "module WaliGemDemo\n  VALUE = 42\nend\n")
  spec = Gem::Specification.new do |s|
    s.name = "wali_gem_demo"
    s.version = "1.0"
    s.summary = "A gem served over HTTPS inside a wali sandbox"
    s.authors = ["wali"]
    s.license = "Apache-2.0"
    s.homepage = "https://example.org/wali"
    s.files = ["lib/wali_gem_demo.rb"]
  end
  Gem::DefaultUserInteraction.use_ui(Gem::SilentUI.new) { Gem::Package.build(spec) }
end
puts "gem built: #{gem_file}"

# The source: the legacy index RubyGems falls back to when the source has
# no compact index (/versions answers 404).
def gzip(data)
  io = StringIO.new(+"")
  gz = Zlib::GzipWriter.new(io)
  gz.write(data)
  gz.close
  io.string
end
spec = Gem::Package.new(File.join(work, gem_file)).spec
tuple = [spec.name, spec.version, spec.original_platform]
files = {
  "/specs.4.8.gz" => gzip(Marshal.dump([tuple])),
  "/latest_specs.4.8.gz" => gzip(Marshal.dump([tuple])),
  "/prerelease_specs.4.8.gz" => gzip(Marshal.dump([])),
  "/quick/Marshal.4.8/#{spec.original_name}.gemspec.rz" => Zlib::Deflate.deflate(Marshal.dump(spec)),
  "/gems/#{gem_file}" => File.binread(File.join(work, gem_file)),
}

ca_cert, ca_key = ca("wali test CA")
cert, key = leaf(ca_cert, ca_key)
ca_file = File.join(work, "ca.pem")
File.write(ca_file, ca_cert.to_pem)

ctx = OpenSSL::SSL::SSLContext.new
ctx.cert = cert
ctx.key = key
tcp = TCPServer.new("127.0.0.1", 0)
server = OpenSSL::SSL::SSLServer.new(tcp, ctx)
served = Queue.new
Thread.new do
  loop do
    begin
      s = server.accept
    rescue OpenSSL::SSL::SSLError
      next # the client refused our certificate
    end
    Thread.new(s) do |c|
      Thread.current.report_on_exception = false
      # Keep-alive: answer requests until the client closes.
      while (request = c.gets)
        path = request.split[1]
        while (line = c.gets) && line != "\r\n"; end
        body = files[path]
        served << path if body
        status = body ? "200 OK" : "404 Not Found"
        body ||= "not here\n"
        c.write "HTTP/1.1 #{status}\r\nContent-Length: #{body.bytesize}\r\n\r\n"
        c.write body
      end
      c.close
    end
  end
end
source = "https://localhost:#{tcp.addr[1]}/"

gem_install = [RbConfig.ruby, "-e", 'require "rubygems/gem_runner"; Gem::GemRunner.new.run(ARGV)', "--",
               "install", "--clear-sources", "--source", source, "--install-dir", site,
               "--no-document", "wali_gem_demo"]
env = { "HOME" => work, "GEM_HOME" => site, "GEM_PATH" => site }

# 1. Without the CA: the source's certificate is refused.
out = IO.popen(env, gem_install, err: [:child, :out], &:read)
refused = !$?.success? && out.include?("certificate verify failed")
puts "untrusted source refused: #{refused}"
warn out unless refused

# 2. With it.
out = IO.popen(env.merge("SSL_CERT_FILE" => ca_file), gem_install, err: [:child, :out], &:read)
puts "gem install exit status: #{$?.exitstatus}"
warn out unless $?.success?
puts "installed: #{Dir.children(File.join(site, "gems")).sort.join(" ")}" if Dir.exist?(File.join(site, "gems"))
got = []
got << served.pop until served.empty?
puts "fetched over HTTPS: #{got.uniq.sort.join(" ")}"

# 3. The installed gem loads in a fresh process.
out = IO.popen(env, [RbConfig.ruby, "-e", 'require "wali_gem_demo"; puts WaliGemDemo::VALUE'],
               err: [:child, :out], &:read)
puts "required: #{out.strip}"

FileUtils.remove_entry(work)
