# bench: integer loop (1 million additions)
s = 0
for i in range(1_000_000):
    s += i * i
print(s)
