//! A tidy test in the manner of rust-analyzer's: ARCHITECTURE.md's code map is the rule of
//! which module may use which. Each entry is a heading naming a module's path in backticks
//! (`` ### `src/engine/` — … ``) followed by a sentence starting with `**May import:**` that
//! lists crate modules in backticks (`` `dist`, `engine::rng` ``), or says `nothing` or
//! `everything`; remarks in parentheses do not count. An entry `engine` allows all of
//! engine, `engine::rng` only that submodule, and a module may always use itself.
//!
//! Every `.rs` file under src/ (but `main.rs` and `lib.rs`) belongs to the top-level module
//! it sits in; each `crate::…` path in its code (comments and strings left out, and
//! nothing from its first `#[cfg(test)]` line on, since tests may use more) must be
//! allowed to that module. A module missing from the code map is an error too.
//!
//! Run with `cargo test --test architecture`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Uses that break the code map today, as (file, path): tolerated until fixed, and
/// reported if they disappear, so that this list only shrinks.
const KNOWN_VIOLATIONS: &[(&str, &str)] = &[];

/// What a module may import from the crate, from its code-map entry.
#[derive(Debug, Clone, PartialEq)]
enum Allowed {
    Nothing,
    Everything,
    /// Module paths, each as its segments (`["model", "metrics"]`).
    Only(Vec<Vec<String>>),
}

impl Allowed {
    fn allows(&self, path: &[String]) -> bool {
        match self {
            Allowed::Nothing => false,
            Allowed::Everything => true,
            Allowed::Only(list) => list.iter().any(|a| path.starts_with(a)),
        }
    }

    fn describe(&self, module: &str) -> String {
        match self {
            Allowed::Nothing => format!("allows {module} to import nothing from the crate"),
            Allowed::Everything => format!("allows {module} to import everything"),
            Allowed::Only(list) => {
                let list: Vec<String> = list.iter().map(|p| p.join("::")).collect();
                format!("allows {module} to import only: {}", list.join(", "))
            }
        }
    }
}

/// ARCHITECTURE.md's code map, as read.
#[derive(Debug, Default)]
struct CodeMap {
    /// What each top-level module named by an entry may import.
    rules: BTreeMap<String, Allowed>,
    /// The source path each module's entry names (`src/engine/`).
    paths: BTreeMap<String, String>,
    /// Entries that cannot be read.
    errors: Vec<String>,
}

/// Reads the code map: each `### ` heading that names source paths in backticks, and the
/// first `**May import:**` sentence of its entry.
fn code_map(architecture: &str) -> CodeMap {
    let mut map = CodeMap::default();
    let lines: Vec<&str> = architecture.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(heading) = line.strip_prefix("### ") else {
            continue;
        };
        let modules: Vec<(String, String)> = backticked(heading)
            .into_iter()
            .filter_map(|p| Some((module_of_path(&p)?, p)))
            .collect();
        if modules.is_empty() {
            continue; // a heading naming only exempt files, or no source path at all
        }
        // The entry's text up to the next heading.
        let body: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.starts_with('#'))
            .copied()
            .collect();
        let body = body.join("\n");
        let rule = body.split_once("**May import:**").map(|(_, rule)| parse_rule(rule));
        for (module, path) in modules {
            match &rule {
                Some(allowed) => {
                    map.rules.insert(module.clone(), allowed.clone());
                }
                None => map.errors.push(format!(
                    "ARCHITECTURE.md's entry for {path} has no **May import:** sentence"
                )),
            }
            map.paths.insert(module, path);
        }
    }
    map
}

/// Reads a rule: its first sentence, remarks in parentheses left out.
fn parse_rule(rule: &str) -> Allowed {
    let mut sentence = String::new();
    let mut depth = 0usize;
    let chars: Vec<char> = rule.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '.' if depth == 0 && chars.get(k + 1).is_none_or(|n| n.is_whitespace()) => break,
            _ if depth == 0 => sentence.push(c),
            _ => {}
        }
    }
    let sentence = sentence.trim();
    if sentence.starts_with("nothing") {
        Allowed::Nothing
    } else if sentence.starts_with("everything") {
        Allowed::Everything
    } else {
        Allowed::Only(
            backticked(sentence)
                .iter()
                .map(|p| p.split("::").map(str::to_string).collect())
                .collect(),
        )
    }
}

/// The texts between pairs of backticks.
fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// The top-level module a source path belongs to (`src/engine/queue.rs` and `src/engine/`
/// → engine, `src/dist.rs` → dist), or `None` for `main.rs`, `lib.rs` and other paths.
fn module_of_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("src/")?;
    let first = rest.split('/').next()?;
    if rest.contains('/') {
        return (!first.is_empty()).then(|| first.to_string());
    }
    match first.strip_suffix(".rs")? {
        "main" | "lib" => None,
        name => Some(name.to_string()),
    }
}

/// The code of a source file: up to its first `#[cfg(test)]` line, with comments removed
/// and the contents of string and character literals blanked (their line breaks kept, so
/// that line numbers still point into the file).
fn code_of(source: &str) -> String {
    let source = match source.lines().position(|l| l.trim() == "#[cfg(test)]") {
        Some(n) => source.lines().take(n).collect::<Vec<_>>().join("\n"),
        None => source.to_string(),
    };
    let s: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '\n' {
                    out.push('\n');
                }
                if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == '"' {
            i += 1;
            let start = i;
            while i < s.len() && s[i] != '"' {
                i += if s[i] == '\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            out.extend(s[start..i.min(s.len())].iter().filter(|&&c| c == '\n'));
            i += 1;
        } else if c == 'r' && matches!(next, Some('"' | '#')) && !in_identifier(&s[..i]) {
            // A raw string r"…" or r#"…"#: find its closing quote and hashes.
            let mut j = i + 1;
            while s.get(j) == Some(&'#') {
                j += 1;
            }
            if s.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let hashes = j - i - 1;
            j += 1;
            let start = j;
            while j < s.len() && !(s[j] == '"' && (1..=hashes).all(|h| s.get(j + h) == Some(&'#'))) {
                j += 1;
            }
            out.push_str("\"\"");
            out.extend(s[start..j.min(s.len())].iter().filter(|&&c| c == '\n'));
            i = j + 1 + hashes;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if next == Some('\\') {
                i += 3; // the quote, the backslash and the escaped character
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if s.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether the text before a possible raw-string `r` ends inside an identifier (a lone
/// `b` before it is the byte-string prefix, not an identifier).
fn in_identifier(before: &[char]) -> bool {
    let word = |c: &char| c.is_alphanumeric() || *c == '_';
    match before {
        [.., p, 'b'] if !word(p) => false,
        ['b'] => false,
        [.., last] => word(last),
        [] => false,
    }
}

/// Every crate path the code uses, as segments: `crate::a::b` gives `[a, b]`, and
/// `crate::{a::b, c::{d, e}}` gives `[a, b]`, `[c, d]`, `[c, e]`.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let s: Vec<char> = code.chars().collect();
    let mut paths = Vec::new();
    let mut i = 0;
    while let Some(found) = find(&s, i, "crate::") {
        i = found + "crate::".len();
        let before = found.checked_sub(1).map(|k| s[k]);
        if before.is_some_and(|b| b.is_alphanumeric() || b == '_') {
            continue;
        }
        let (tree, end) = use_tree(&s, i);
        i = end;
        paths.extend(tree);
    }
    paths
}

fn find(s: &[char], from: usize, needle: &str) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..s.len().saturating_sub(needle.len() - 1)).find(|&k| s[k..k + needle.len()] == needle[..])
}

/// Reads a path or a `{…}` group from `i`: the paths it names and where it ends.
fn use_tree(s: &[char], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let skip_space = |i: &mut usize| {
        while *i < s.len() && s[*i].is_whitespace() {
            *i += 1;
        }
    };
    skip_space(&mut i);
    if s.get(i) == Some(&'{') {
        i += 1;
        let mut all = Vec::new();
        loop {
            skip_space(&mut i);
            match s.get(i) {
                None => break,
                Some('}') => {
                    i += 1;
                    break;
                }
                Some(',') => i += 1,
                Some(_) => {
                    let (tree, end) = use_tree(s, i);
                    all.extend(tree);
                    if end == i {
                        i += 1; // something unexpected: step over it
                    } else {
                        i = end;
                    }
                }
            }
        }
        return (all, i);
    }
    let mut segment = String::new();
    while i < s.len() && (s[i].is_alphanumeric() || s[i] == '_' || s[i] == '*') {
        segment.push(s[i]);
        i += 1;
    }
    if segment.is_empty() {
        return (Vec::new(), i);
    }
    let mut j = i;
    skip_space(&mut j);
    if s.get(j) == Some(&':') && s.get(j + 1) == Some(&':') {
        let (rest, end) = use_tree(s, j + 2);
        let paths = rest
            .into_iter()
            .map(|tail| {
                let mut p = vec![segment.clone()];
                // `a::{self, …}` names `a` itself.
                p.extend(tail.into_iter().filter(|t| t != "self"));
                p
            })
            .collect::<Vec<_>>();
        if paths.is_empty() {
            return (vec![vec![segment]], end);
        }
        return (paths, end);
    }
    if segment == "self" {
        return (vec![vec![]], i);
    }
    (vec![vec![segment]], i)
}

/// Checks `files` (path under the crate root, text) against the code map in
/// `architecture`; `modules` are the crate's top-level modules. Returns every error.
fn check(architecture: &str, modules: &[String], files: &[(String, String)]) -> Vec<String> {
    let CodeMap {
        rules,
        paths,
        mut errors,
    } = code_map(architecture);
    for module in modules {
        if !paths.contains_key(module) {
            let file = format!("src/{module}.rs");
            let shown = if files.iter().any(|(f, _)| *f == file) {
                file
            } else {
                format!("src/{module}/")
            };
            errors.push(format!("{shown} is not in ARCHITECTURE.md's code map"));
        }
    }
    for (module, path) in &paths {
        if !modules.contains(module) {
            errors.push(format!(
                "ARCHITECTURE.md's code map describes {path}, which is not in the crate"
            ));
        }
    }
    for (module, allowed) in &rules {
        if let Allowed::Only(list) = allowed {
            for path in list {
                if !path.first().is_some_and(|m| modules.contains(m)) {
                    errors.push(format!(
                        "ARCHITECTURE.md lets {module} import `{}`, which is not a module of the crate",
                        path.join("::")
                    ));
                }
            }
        }
    }
    for (file, text) in files {
        let Some(module) = module_of_path(file) else {
            continue;
        };
        let Some(allowed) = rules.get(&module) else {
            continue; // reported above
        };
        let mut seen = Vec::new();
        for path in crate_paths(&code_of(text)) {
            if path.first() == Some(&module) || allowed.allows(&path) || seen.contains(&path) {
                continue;
            }
            errors.push(format!(
                "{file} uses crate::{}, but ARCHITECTURE.md {}",
                path.join("::"),
                allowed.describe(&module)
            ));
            seen.push(path);
        }
    }
    errors
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_imports_only_what_architecture_md_allows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("read ARCHITECTURE.md");
    let mut paths = Vec::new();
    rust_files(&root.join("src"), &mut paths);
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (
                name,
                std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect();
    let mut modules: Vec<String> = files.iter().filter_map(|(f, _)| module_of_path(f)).collect();
    modules.dedup();
    let errors = check(&architecture, &modules, &files);
    let known = |e: &str| {
        KNOWN_VIOLATIONS
            .iter()
            .any(|(file, path)| e.starts_with(&format!("{file} uses {path},")))
    };
    let new: Vec<&String> = errors.iter().filter(|e| !known(e)).collect();
    let fixed: Vec<String> = KNOWN_VIOLATIONS
        .iter()
        .filter(|(file, path)| !errors.iter().any(|e| e.starts_with(&format!("{file} uses {path},"))))
        .map(|(file, path)| format!("{file} no longer uses {path}: remove it from KNOWN_VIOLATIONS"))
        .collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "the code breaks ARCHITECTURE.md's code map (fix the code, or the map if the \
         design changed):\n{}",
        new.iter()
            .map(|e| e.as_str())
            .chain(fixed.iter().map(|e| e.as_str()))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---- Portable maths -----------------------------------------------------------------------

/// The `f64` (and `f32`) functions that call the platform's C maths library. glibc and
/// Windows' library round some of their results differently in the last place, so a
/// result file would differ between the Linux and the Windows binary; `src/math.rs` has
/// portable ones. (`sqrt`, `floor`, `abs`, `powi` … are exact by IEEE 754 and allowed;
/// `mul_add` calls the C library's `fma` on x86_64 without the FMA feature.)
const PLATFORM_MATHS: &[&str] = &[
    "exp", "exp2", "exp_m1", "ln", "ln_1p", "log", "log2", "log10", "powf", "sin", "cos", "tan", "sin_cos", "asin",
    "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "cbrt", "hypot", "mul_add", "gamma",
    "ln_gamma", "erf", "erfc",
];

/// The one file that may call an implementation of them (`libm`'s, portable).
const MATHS_MODULE: &str = "src/math.rs";

/// Every call of a platform maths function, every use of `libm` outside the maths module
/// and every use of `rand_distr` (whose samplers call the platform's exp, ln and powf;
/// `src/dist/sample.rs` has portable ones) in the code of `files`, as `file:line: what`.
fn platform_maths(files: &[(String, String)]) -> Vec<String> {
    let mut errors = Vec::new();
    for (file, text) in files {
        let code = code_of(text);
        for (n, line) in code.lines().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            let mut report = |what: String| errors.push(format!("{file}:{}: {what}", n + 1));
            for (k, word) in words(&chars) {
                let before = |text: &str| {
                    let t: Vec<char> = text.chars().collect();
                    k >= t.len() && chars[k - t.len()..k] == t[..]
                };
                let called = chars[k + word.len()..].iter().find(|c| !c.is_whitespace()) == Some(&'(');
                let maths = PLATFORM_MATHS.contains(&word.as_str());
                let instead = || match word.as_str() {
                    "mul_add" => "write a * b + c".to_string(),
                    "gamma" | "ln_gamma" => format!("use crate::special::{word}"),
                    _ => format!("use crate::math::{word} (add it there, over libm, if missing)"),
                };
                if maths && before(".") && called {
                    report(format!(".{word}() calls the platform's maths library: {}", instead()));
                } else if maths && (before("f64::") || before("f32::")) {
                    report(format!(
                        "{}::{word} calls the platform's maths library: {}",
                        if before("f64::") { "f64" } else { "f32" },
                        instead()
                    ));
                } else if word == "libm" && file != MATHS_MODULE {
                    report(format!("libm used outside {MATHS_MODULE}: call crate::math instead"));
                } else if word == "rand_distr" {
                    report("rand_distr's samplers call the platform's exp, ln and powf: use crate::dist's".to_string());
                }
            }
        }
    }
    errors
}

/// The identifiers of a line, each with where it starts.
fn words(chars: &[char]) -> Vec<(usize, String)> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if ident(chars[k]) && (k == 0 || !ident(chars[k - 1])) {
            let end = (k..chars.len()).find(|&e| !ident(chars[e])).unwrap_or(chars.len());
            out.push((k, chars[k..end].iter().collect()));
            k = end;
        } else {
            k += 1;
        }
    }
    out
}

#[test]
fn results_use_only_portable_maths() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    rust_files(&root.join("src"), &mut paths);
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let name = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (
                name,
                std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect();
    let errors = platform_maths(&files);
    assert!(
        errors.is_empty(),
        "platform maths in src/ would make Windows results differ from Linux ones in the \
         last bits (src/math.rs explains):\n{}",
        errors.join("\n")
    );
}

#[test]
fn platform_maths_calls_are_found_outside_comments_strings_and_tests() {
    let files = [
        file(
            "src/model/core.rs",
            "fn f(x: f64) -> f64 {\n    let a = (x / 2.0).ln() + x.exp ();\n    \
             let b = xs.iter().map(|v| f64::sin(*v));\n    a.powi(2) + a.sqrt() + crate::math::exp(x)\n}\n\
             /* x.cos()\n */ const S: &str = \"x.tan()\";\nuse rand_distr::Exp1;\n\
             #[cfg(test)]\nmod tests { fn g(x: f64) -> f64 { x.ln() } }\n",
        ),
        file("src/math.rs", "pub fn ln(x: f64) -> f64 { libm::log(x) }\n"),
        file(
            "src/dist.rs",
            "use libm::exp;\nfn h(x: f32) -> f32 { x.mul_add(2.0, 1.0) + f32::cbrt(x) }\n",
        ),
    ];
    assert_eq!(
        platform_maths(&files),
        [
            "src/model/core.rs:2: .ln() calls the platform's maths library: use crate::math::ln (add it \
             there, over libm, if missing)",
            "src/model/core.rs:2: .exp() calls the platform's maths library: use crate::math::exp (add it \
             there, over libm, if missing)",
            "src/model/core.rs:3: f64::sin calls the platform's maths library: use crate::math::sin (add \
             it there, over libm, if missing)",
            // Line 8: the block comment's line break is kept.
            "src/model/core.rs:8: rand_distr's samplers call the platform's exp, ln and powf: use crate::dist's",
            "src/dist.rs:1: libm used outside src/math.rs: call crate::math instead",
            "src/dist.rs:2: .mul_add() calls the platform's maths library: write a * b + c",
            "src/dist.rs:2: f32::cbrt calls the platform's maths library: use crate::math::cbrt (add it \
             there, over libm, if missing)",
        ]
    );
}

// ---- The checker itself, on a small fake crate ------------------------------------------

const FAKE_ARCHITECTURE: &str = "\
# Architecture

## Code map

### `src/engine/` — the engine
Events and streams. **May import:** nothing from the crate. External: `rand`.

### `src/dist.rs` — distributions
**May import:** `special` (tests use `engine::rng`). External: `rand`.

### `src/special.rs` — special functions
**May import:** nothing.

### `src/model/` — the model
Owns what happens. **May import:** `engine`, `dist`,
`results::metrics` (the catalogue). Not `cli`.

### `src/results/` — result files
**May import:** `model`.

### `src/cli/` and `src/main.rs` — the command line
**May import:** everything.
";

fn fake_modules() -> Vec<String> {
    ["cli", "dist", "engine", "model", "results", "special"]
        .map(String::from)
        .to_vec()
}

fn file(path: &str, text: &str) -> (String, String) {
    (path.to_string(), text.to_string())
}

#[test]
fn the_code_map_is_read_from_headings_and_may_import_sentences() {
    let map = code_map(FAKE_ARCHITECTURE);
    assert!(map.errors.is_empty(), "{:?}", map.errors);
    let map = map.rules;
    let only = |paths: &[&str]| {
        Allowed::Only(
            paths
                .iter()
                .map(|p| p.split("::").map(String::from).collect())
                .collect(),
        )
    };
    assert_eq!(map["engine"], Allowed::Nothing);
    assert_eq!(map["special"], Allowed::Nothing);
    assert_eq!(map["dist"], only(&["special"]));
    assert_eq!(map["model"], only(&["engine", "dist", "results::metrics"]));
    assert_eq!(map["cli"], Allowed::Everything);
    assert!(!map.contains_key("main"));
}

#[test]
fn a_forbidden_import_is_reported_with_the_rule_it_breaks() {
    let files = [
        file(
            "src/model/pipeline.rs",
            "use crate::engine::{Simulation, rng::StreamKey};\n\
             use crate::results::metrics::total;\n\
             use crate::{dist::Distribution, model::Outcome};\n\
             use crate::cli::Args;\n\
             fn f() { let _ = crate::results::write(); }\n",
        ),
        file(
            "src/engine/queue.rs",
            "use crate::engine::rng; // crate::dist in a comment\n",
        ),
        file(
            "src/special.rs",
            "const S: &str = \"crate::dist::x\";\nfn g<'a>(c: char) -> bool { c == '\"' }\n",
        ),
        file(
            "src/dist.rs",
            "use crate::special::ln_gamma;\n#[cfg(test)]\nmod tests {\n    use crate::engine::rng;\n}\n",
        ),
        file("src/cli/mod.rs", "use crate::{model, results, runner};\n"),
        file("src/main.rs", "use feidi::cli;\n"),
    ];
    let errors = check(FAKE_ARCHITECTURE, &fake_modules(), &files);
    assert_eq!(
        errors,
        [
            "src/model/pipeline.rs uses crate::cli::Args, but ARCHITECTURE.md allows model to \
             import only: engine, dist, results::metrics",
            "src/model/pipeline.rs uses crate::results::write, but ARCHITECTURE.md allows model \
             to import only: engine, dist, results::metrics",
        ]
    );
}

#[test]
fn undescribed_modules_and_unreadable_entries_are_errors() {
    let architecture = format!("{FAKE_ARCHITECTURE}\n### `src/report/` — reports\nNo rule here.\n");
    let mut modules = fake_modules();
    modules.retain(|m| m != "special");
    modules.push("plot".into());
    modules.push("report".into());
    modules.push("units".into());
    let files = [
        file("src/plot/draw.rs", "use crate::runner;\n"),
        file("src/units.rs", "pub fn months() {}\n"),
    ];
    let mut errors = check(&architecture, &modules, &files);
    errors.sort();
    assert_eq!(
        errors,
        [
            "ARCHITECTURE.md lets dist import `special`, which is not a module of the crate",
            "ARCHITECTURE.md's code map describes src/special.rs, which is not in the crate",
            "ARCHITECTURE.md's entry for src/report/ has no **May import:** sentence",
            "src/plot/ is not in ARCHITECTURE.md's code map",
            "src/units.rs is not in ARCHITECTURE.md's code map",
        ]
    );
}

#[test]
fn comments_strings_and_test_modules_are_not_code() {
    let code = code_of(
        "let a = r#\"crate::x\"#; /* crate::y */ let b = '\\''; let c = \"\\\"crate::z\";\n\
         let d = crate::w::v;\n#[cfg(test)]\nuse crate::t;\n",
    );
    assert_eq!(crate_paths(&code), [vec!["w".to_string(), "v".to_string()]]);
}
