# bench: dict and str (build and sum 200k entries)
d = {str(i): i for i in range(200_000)}
print(sum(d.values()), len("".join(list(d)[:1000])))
