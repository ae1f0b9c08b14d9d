# add-section.rb MODULE.wasm NAME FILE: appends FILE's bytes to MODULE.wasm
# as a custom section NAME (replacing an existing section of that name).
# Same job as ports/cpython/add-section.py, run by the baseruby.

def leb(n)
  out = +"".b
  loop do
    b = n & 0x7F
    n >>= 7
    out << (b | (n.zero? ? 0 : 0x80)).chr
    return out if n.zero?
  end
end

def read_leb(buf, i)
  n = shift = 0
  loop do
    b = buf.getbyte(i)
    i += 1
    n |= (b & 0x7F) << shift
    shift += 7
    return [n, i] if (b & 0x80).zero?
  end
end

path, name, data_path = ARGV
buf = File.binread(path)
abort "#{path}: not a wasm module" unless buf[0, 8] == "\0asm\x01\0\0\0".b
data = File.binread(data_path)
name = name.b
out = buf[0, 8]
i = 8
while i < buf.bytesize
  start = i
  sid = buf.getbyte(i)
  size, j = read_leb(buf, i + 1)
  stop = j + size
  if sid.zero?
    nlen, k = read_leb(buf, j)
    if buf.byteslice(k, nlen) == name
      i = stop
      next
    end
  end
  out << buf.byteslice(start, stop - start)
  i = stop
end
payload = leb(name.bytesize) + name + data
out << "\0".b << leb(payload.bytesize) << payload
File.binwrite(path, out)
