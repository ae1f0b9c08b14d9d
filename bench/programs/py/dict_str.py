# bench: dict and str (build and sum 500k entries)
d = {str(i): i for i in range(500_000)}
print(sum(d.values()), len("".join(list(d)[:1000])))
