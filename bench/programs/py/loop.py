# bench: integer loop (5 million additions)
s = 0
for i in range(5_000_000):
    s += i * i
print(s)
