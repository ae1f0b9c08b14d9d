require "zlib"
require "stringio"
data = "hello wali " * 1000
d = Zlib::Deflate.deflate(data)
puts "deflate #{data.bytesize} -> smaller=#{d.bytesize < 200} inflate ok=#{Zlib::Inflate.inflate(d) == data}"
puts "crc32 #{Zlib.crc32("abc").to_s(16)} adler32 #{Zlib.adler32("abc").to_s(16)}"
io = StringIO.new(+"")
gz = Zlib::GzipWriter.new(io)
gz.write(data)
gz.close
back = Zlib::GzipReader.new(StringIO.new(io.string)).read
puts "gzip roundtrip #{back == data}"
puts "zlib version #{Zlib::ZLIB_VERSION >= "1.2" ? "ok" : Zlib::ZLIB_VERSION}"
