import json
doc = {"name": "wali", "n": [1, 2.5, None, True], "nested": {"é": "ü", "x": []}}
s = json.dumps(doc, sort_keys=True)
print(s)
print(json.loads(s) == doc)
print(json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=1))
print(json.loads('[1e400, -0.0, "\\ud83d\\ude00"]'))
try:
    json.loads("{bad")
except json.JSONDecodeError as e:
    print("error at", e.pos)
big = list(range(100000))
print(json.loads(json.dumps(big)) == big)
