require "digest"
puts Digest::MD5.hexdigest("abc")
puts Digest::SHA1.hexdigest("abc")
puts Digest::SHA256.hexdigest("abc")
puts Digest::SHA512.hexdigest("abc")[0, 32]
puts Digest::RMD160.hexdigest("abc") rescue puts "no rmd160"
d = Digest::SHA256.new
d << "a" << "bc"
puts d.hexdigest == Digest::SHA256.hexdigest("abc")
