//! `syscall-table json`: the whole table for scripts (the conformance runner),
//! so none of them parses table.rs or the rendered docs. One syscall per line.

use crate::{WasmType, AUX_IMPORTS, FEATURES, SYSCALLS};

/// `s` as a JSON string literal.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(string).collect();
    format!("[{}]", items.join(", "))
}

fn types(ts: &[WasmType]) -> String {
    strings(ts.iter().map(|t| t.name()))
}

/// Renders the table as one JSON object: `syscalls` (name, number, aliases,
/// params with their Wasm type and 64-bit C type or null, class, status,
/// restart, module, note), `aux_imports` (name, params, results) and
/// `features` (name, syscalls, aux_imports, available).
pub fn render_json() -> String {
    let syscalls: Vec<String> = SYSCALLS
        .iter()
        .map(|s| {
            let params: Vec<String> = s
                .params
                .iter()
                .zip(s.c64)
                .map(|((name, ty), c64)| {
                    format!(
                        "{{\"name\": {}, \"wasm\": {}, \"c64\": {}}}",
                        string(name),
                        string(ty.name()),
                        c64.map_or("null".to_string(), string)
                    )
                })
                .collect();
            format!(
                "{{\"name\": {}, \"number\": {}, \"aliases\": {}, \"params\": [{}], \"class\": {}, \
                 \"status\": {}, \"restart\": {}, \"module\": {}, \"note\": {}}}",
                string(s.name),
                s.number,
                strings(s.aliases.iter().copied()),
                params.join(", "),
                string(s.class.name()),
                string(s.status.name()),
                string(s.restart.name()),
                string(s.module),
                string(s.note)
            )
        })
        .collect();
    let aux: Vec<String> = AUX_IMPORTS
        .iter()
        .map(|(name, params, results)| {
            format!(
                "{{\"name\": {}, \"params\": {}, \"results\": {}}}",
                string(name),
                types(params),
                types(results)
            )
        })
        .collect();
    let features: Vec<String> = FEATURES
        .iter()
        .map(|f| {
            format!(
                "{{\"name\": {}, \"syscalls\": {}, \"aux_imports\": {}, \"available\": {}}}",
                string(f.name),
                strings(f.syscalls.iter().copied()),
                strings(f.aux_imports.iter().copied()),
                f.available()
            )
        })
        .collect();
    format!(
        "{{\"syscalls\": [\n{}\n],\n\"aux_imports\": [\n{}\n],\n\"features\": [\n{}\n]}}\n",
        syscalls.join(",\n"),
        aux.join(",\n"),
        features.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_escape_what_json_requires() {
        assert_eq!(
            super::string("a\"b\\c\nd\u{1}é"),
            "\"a\\\"b\\\\c\\nd\\u0001é\""
        );
    }
}
