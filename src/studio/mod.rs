//! `feidi studio`: the planner's what-if desk in a browser. A small local web server
//! (tiny_http: synchronous, no async runtime, since the studies block anyway) serves
//! one page from the binary — HTML, script and styles included at build time, nothing
//! fetched from elsewhere — and a JSON interface over the studies: the scenario desk
//! (levers with display names, units and sources; edits validated as `feidi validate`
//! does; saved with every comment kept), runs of variants into normal results
//! directories with their summary and charts, and comparisons of pinned variants on
//! common random numbers.
//!
//! Safety: it binds to loopback unless told otherwise, and then every request must
//! carry a random token; on loopback the Host header must name loopback (so that a web
//! page elsewhere cannot reach it through a rebound DNS name); every path the page
//! sends is confined to the working directory ([`paths::confine`]); runs go on their
//! own threads, so the page stays answered while they work.

mod desk;
mod jobs;
mod long;
pub mod paths;
mod tables;
mod words;

use crate::plot::Lang;
use jobs::Jobs;
use serde_json::{json, Value};
use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

pub use jobs::RESULTS_DIR;

/// How to start the studio.
#[derive(Clone, Debug)]
pub struct Config {
    /// The working directory: every path the page names is inside it.
    pub root: PathBuf,
    /// A scenario file or a directory of them to offer (`scenarios/` when `None`).
    pub place: Option<PathBuf>,
    /// Address and port to listen on (port 0: a free one).
    pub listen: SocketAddr,
    /// The page's first language.
    pub lang: Lang,
}

/// A running studio.
pub struct Running {
    server: Arc<Server>,
    thread: Option<std::thread::JoinHandle<()>>,
    addr: SocketAddr,
    token: Option<String>,
}

impl Running {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The token every request must carry (only when not on loopback).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The page's address, with the token when there is one.
    pub fn url(&self) -> String {
        match &self.token {
            Some(t) => format!("http://{}/?token={t}", self.addr),
            None => format!("http://{}/", self.addr),
        }
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Stops listening (tests).
    pub fn stop(mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Shared by every request.
struct Shared {
    root: PathBuf,
    place: PathBuf,
    lang: Lang,
    token: Option<String>,
    /// Host header values accepted on loopback.
    hosts: Vec<String>,
    jobs: Arc<Jobs>,
    /// Sweeps, calibrations and optimizations working in this server.
    long: Arc<long::LongJobs>,
}

/// A random token of 32 hexadecimal digits from the operating system's generator.
fn new_token() -> String {
    let a: u64 = rand::random();
    let b: u64 = rand::random();
    format!("{a:016x}{b:016x}")
}

/// Starts the server on its own thread; gives where it listens. A place outside the
/// working directory, or an address that cannot be bound, is refused.
pub fn start(config: Config) -> Result<Running, String> {
    let root = config
        .root
        .canonicalize()
        .map_err(|e| format!("{}: cannot open the working directory: {e}", config.root.display()))?;
    let place = match &config.place {
        Some(p) => {
            let real = p.canonicalize().map_err(|e| {
                format!(
                    "{}: expected a scenario file or directory, found an error: {e}",
                    p.display()
                )
            })?;
            if !real.starts_with(&root) {
                return Err(format!(
                    "{}: expected a scenario inside the working directory {} (the page may only reach files there), found one outside it",
                    p.display(),
                    root.display()
                ));
            }
            real
        }
        None => root.join("scenarios"),
    };
    let server = Server::http(config.listen).map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| "the server has no IP address".to_string())?;
    let token = (!config.listen.ip().is_loopback()).then(new_token);
    let port = addr.port();
    let shared = Arc::new(Shared {
        root,
        place,
        lang: config.lang,
        token: token.clone(),
        hosts: vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ],
        jobs: Arc::new(Jobs::default()),
        long: Arc::new(long::LongJobs::default()),
    });
    let server = Arc::new(server);
    let listening = server.clone();
    let thread = std::thread::spawn(move || {
        for request in listening.incoming_requests() {
            let shared = shared.clone();
            // One thread per request: a slow one (an export) never holds up the rest.
            std::thread::spawn(move || handle(&shared, request));
        }
    });
    Ok(Running {
        server,
        thread: Some(thread),
        addr,
        token,
    })
}

/// An answer: status and body.
struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Answer {
    fn json(value: Value) -> Answer {
        Answer {
            status: 200,
            content_type: "application/json; charset=utf-8",
            body: value.to_string().into_bytes(),
        }
    }

    /// A refusal with its Chinese words beside the English (`error_zh`), when it has them.
    fn refusal(status: u16, said: long::Said) -> Answer {
        Answer {
            status,
            content_type: "application/json; charset=utf-8",
            body: json!({"error": said.en, "error_zh": said.zh}).to_string().into_bytes(),
        }
    }

    fn error(status: u16, message: impl Into<String>) -> Answer {
        Answer {
            status,
            content_type: "application/json; charset=utf-8",
            body: json!({"error": message.into()}).to_string().into_bytes(),
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header names and values are ASCII")
}

/// Answers one request; never panics on what the request holds.
fn handle(shared: &Shared, mut request: Request) {
    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(shared, &mut request)))
        .unwrap_or_else(|_| Answer::error(500, "internal error (a bug in feidi); the server goes on"));
    let response = Response::from_data(answer.body)
        .with_status_code(answer.status)
        .with_header(header("Content-Type", answer.content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'",
        ));
    let _ = request.respond(response);
}

/// Splits a URL into its path and decoded query parameters.
fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    (decode(path), params)
}

/// Percent-decoding (and `+` as a space), byte-wise; invalid UTF-8 is replaced.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The largest request body accepted.
const MAX_BODY: usize = 1 << 20;

/// Whether a POST can only have come from the studio's own page. A page on another site
/// can make the planner's browser send a POST to 127.0.0.1 with the right Host, but
/// only as a "simple" request (a form's or plain text's Content-Type) unless the studio
/// agrees, which it never does; and the browser names that site in `Origin`. So a POST
/// must say it is JSON and, on loopback, come from the studio's own origin when it
/// names one.
fn same_site(shared: &Shared, header_value: &dyn Fn(&'static str) -> Option<String>) -> Result<(), Answer> {
    let content_type = header_value("Content-Type").unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(Answer::error(
            415,
            format!(
                "expected a request with Content-Type: application/json, found \"{}\"",
                content_type.escape_debug()
            ),
        ));
    }
    if shared.token.is_none() {
        if let Some(origin) = header_value("Origin") {
            let own = shared.hosts.iter().any(|h| origin == format!("http://{h}"));
            if !own {
                return Err(Answer::error(
                    403,
                    format!(
                        "expected a request from the studio's own page (http://{}), found one from \"{}\"",
                        shared.hosts[0],
                        origin.escape_debug()
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn answer(shared: &Shared, request: &mut Request) -> Answer {
    let (path, params) = split_url(request.url());
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let header_value = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    match &shared.token {
        Some(token) => {
            let given = param("token")
                .map(str::to_string)
                .or_else(|| header_value("X-Feidi-Token"));
            if given.as_deref() != Some(token.as_str()) {
                return Answer::error(
                    403,
                    "this studio needs its token: open the address it printed, with ?token=…",
                );
            }
        }
        None => {
            let host = header_value("Host").unwrap_or_default();
            if !shared.hosts.contains(&host) {
                return Answer::error(
                    403,
                    format!(
                        "expected the Host {}, found \"{}\"",
                        shared.hosts[0],
                        host.escape_debug()
                    ),
                );
            }
        }
    }
    let method = request.method().clone();
    if method == Method::Post {
        if let Err(refusal) = same_site(shared, &header_value) {
            return refusal;
        }
    }
    let body = if method == Method::Post {
        if request.body_length().is_some_and(|n| n > MAX_BODY) {
            return Answer::error(413, format!("the request body is over {MAX_BODY} bytes"));
        }
        let mut bytes = Vec::new();
        if let Err(e) = request.as_reader().take(MAX_BODY as u64 + 1).read_to_end(&mut bytes) {
            return Answer::error(400, format!("cannot read the request body: {e}"));
        }
        if bytes.len() > MAX_BODY {
            return Answer::error(413, format!("the request body is over {MAX_BODY} bytes"));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) if v.is_object() => v,
            Ok(_) => return Answer::error(400, "expected a JSON object as the request body"),
            Err(e) => return Answer::error(400, format!("expected a JSON object as the request body, found: {e}")),
        }
    } else {
        Value::Null
    };
    let outcome = match (&method, path.as_str()) {
        (Method::Get, "/") | (Method::Get, "/index.html") => return page(shared),
        (Method::Get, "/font.otf") => {
            // The charts' embedded font, so that Chinese text shows without system fonts.
            return Answer {
                status: 200,
                content_type: "font/otf",
                body: crate::plot::draw::FONT_BYTES.to_vec(),
            };
        }
        (Method::Get, "/api/words") => words_of(param("lang")),
        (Method::Get, "/api/scenarios") => Ok(json!({
            "scenarios": desk::list(&shared.root, &shared.place),
            "lang": shared.lang.pick("en", "zh"),
        })),
        (Method::Get, "/api/scenario") => scenario(shared, param("path").unwrap_or("")),
        (Method::Post, "/api/validate") => {
            edited(shared, &body).map(|(_, shown, text)| match desk::validate(&shown, &text) {
                Ok(_) => json!({"ok": true}),
                Err(message) => json!({"ok": false, "error": message}),
            })
        }
        (Method::Post, "/api/save") => save(shared, &body),
        (Method::Post, "/api/run") => run(shared, &body),
        (Method::Post, "/api/compare") => compare(shared, &body),
        (Method::Post, "/api/refine") => refine(shared, &body),
        (Method::Get, "/api/job") => job(shared, param("id"), param("wait")),
        (Method::Post, "/api/cancel") => cancel(shared, &body),
        (Method::Post, "/api/export") => export(shared, &body),
        (Method::Get, "/api/studies") => Ok(json!({"studies": long::list(&shared.root, &shared.place)})),
        (Method::Get, "/api/long") => Ok(long::status(&shared.long, &shared.root)),
        (Method::Post, "/api/long/start") => match text_field(&body, "path") {
            Ok(path) => match long::start(&shared.long, &shared.root, path) {
                Ok(dir) => Ok(json!({"dir": dir})),
                Err(said) => return Answer::refusal(400, said),
            },
            Err(e) => Err(e),
        },
        (Method::Post, "/api/long/cancel") => match text_field(&body, "dir") {
            Ok(dir) => match long::cancel(&shared.long, dir) {
                Ok(()) => Ok(json!({"cancelled": true})),
                Err(said) => return Answer::refusal(409, said),
            },
            Err(e) => Err(e),
        },
        (Method::Post, "/api/long/resume") => match text_field(&body, "dir") {
            Ok(dir) => match long::resume(&shared.long, &shared.root, dir) {
                Ok(dir) => Ok(json!({"dir": dir})),
                Err(said) => return Answer::refusal(400, said),
            },
            Err(e) => Err(e),
        },
        (Method::Get, "/api/file") => return file(shared, param("path").unwrap_or("")),
        (_, p) if p == "/" || p.starts_with("/api/") => Err((405, format!("{method} {p}: not allowed"))),
        (_, p) => Err((404, format!("{p}: no such page"))),
    };
    match outcome {
        Ok(value) => Answer::json(value),
        Err((status, message)) => Answer::error(status, message),
    }
}

type Outcome = Result<Value, (u16, String)>;

fn bad(message: String) -> (u16, String) {
    (400, message)
}

/// The page, with its script and styles inline and its first language and token set.
fn page(shared: &Shared) -> Answer {
    let settings = json!({"lang": shared.lang.pick("en", "zh"), "token": shared.token});
    let font = match &shared.token {
        Some(t) => format!("/font.otf?token={t}"),
        None => "/font.otf".to_string(),
    };
    let html = include_str!("page/index.html")
        .replace("/*STYLE*/", &include_str!("page/studio.css").replace("/*FONT*/", &font))
        .replace("/*SETTINGS*/", &format!("const SETTINGS = {settings};"))
        .replace("/*SCRIPT*/", include_str!("page/studio.js"));
    Answer {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: html.into_bytes(),
    }
}

fn words_of(lang: Option<&str>) -> Outcome {
    let lang = Lang::parse(lang.unwrap_or("en")).map_err(bad)?;
    Ok(words::all(lang))
}

fn text_field<'a>(body: &'a Value, key: &str) -> Result<&'a str, (u16, String)> {
    body.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("expected \"{key}\" as a text in the request, found none")))
}

fn number_field(body: &Value, key: &str, default: u64) -> Result<u64, (u16, String)> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| bad(format!("expected \"{key}\" as a whole number, found {v}"))),
    }
}

/// A scenario's text and levers.
fn scenario(shared: &Shared, rel: &str) -> Outcome {
    let path = paths::confine(&shared.root, rel).map_err(bad)?;
    let text = std::fs::read_to_string(&path).map_err(|e| (404, format!("{rel}: cannot read it: {e}")))?;
    let levers = desk::levers(rel, &text).map_err(bad)?;
    Ok(json!({"path": rel, "levers": levers, "valid": desk::validate(rel, &text).err()}))
}

/// The request's scenario (confined), its name for messages, and its text with the
/// request's edits applied.
fn edited(shared: &Shared, body: &Value) -> Result<(PathBuf, String, String), (u16, String)> {
    let rel = text_field(body, "path")?;
    let path = paths::confine(&shared.root, rel).map_err(bad)?;
    let text = std::fs::read_to_string(&path).map_err(|e| (404, format!("{rel}: cannot read it: {e}")))?;
    let edits = edits_of(body)?;
    let text = desk::apply(rel, &text, &edits).map_err(bad)?;
    Ok((path, rel.to_string(), text))
}

fn edits_of(body: &Value) -> Result<Vec<desk::Edit>, (u16, String)> {
    match body.get("edits") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|e| bad(format!("expected \"edits\" as a list of {{path, value}}, found: {e}"))),
    }
}

/// Saves the edited scenario to `to` (a new `.toml` file in the working directory,
/// or the same file when `overwrite` is set), after validating it.
fn save(shared: &Shared, body: &Value) -> Outcome {
    let (_, shown, text) = edited(shared, body)?;
    desk::validate(&shown, &text).map_err(bad)?;
    let to = text_field(body, "to")?;
    if !to.ends_with(".toml") {
        return Err(bad(format!(
            "save: expected a file name ending in .toml, found \"{}\"",
            to.escape_debug()
        )));
    }
    let target = paths::confine(&shared.root, to).map_err(bad)?;
    let overwrite = body.get("overwrite").and_then(Value::as_bool).unwrap_or(false);
    if target.exists() && !overwrite {
        return Err((409, format!("save: {to} exists already; choose another name")));
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| (500, format!("cannot create {}: {e}", parent.display())))?;
    }
    crate::results::write_atomic(&target, text.as_bytes()).map_err(|e| (500, format!("cannot write {to}: {e}")))?;
    Ok(json!({"saved": to}))
}

/// Starts a run of the edited scenario.
fn run(shared: &Shared, body: &Value) -> Outcome {
    let rel = text_field(body, "path")?;
    let scenario = paths::confine(&shared.root, rel).map_err(bad)?;
    let ask = jobs::RunAsk {
        scenario,
        edits: edits_of(body)?,
        replications: number_field(body, "replications", 256)?,
        seed: number_field(body, "seed", 1)?,
    };
    let (id, name) = jobs::start_run(&shared.jobs, &shared.root, ask).map_err(bad)?;
    Ok(json!({"job": id, "name": name}))
}

/// Starts a refinement of a variant already run: more replications in the background.
fn refine(shared: &Shared, body: &Value) -> Outcome {
    let ask = jobs::RefineAsk {
        variant: text_field(body, "variant")?.to_string(),
        replications: number_field(body, "replications", 2048)?,
        seed: number_field(body, "seed", 1)?,
    };
    let id = jobs::start_refine(&shared.jobs, &shared.root, ask).map_err(bad)?;
    Ok(json!({"job": id}))
}

/// Starts a comparison of pinned variants.
fn compare(shared: &Shared, body: &Value) -> Outcome {
    let variants: Vec<String> = body
        .get("variants")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .ok_or_else(|| bad("expected \"variants\" as a list of variant names".to_string()))?;
    let ask = jobs::CompareAsk {
        variants,
        replications: number_field(body, "replications", 256)?,
        seed: number_field(body, "seed", 1)?,
    };
    let id = jobs::start_compare(&shared.jobs, &shared.root, ask).map_err(bad)?;
    Ok(json!({"job": id}))
}

fn job_of(shared: &Shared, id: Option<&str>) -> Result<Arc<jobs::Job>, (u16, String)> {
    let id: u64 = id
        .and_then(|i| i.parse().ok())
        .ok_or_else(|| bad("expected ?id= a job number".to_string()))?;
    shared.jobs.get(id).ok_or_else(|| (404, format!("no job {id}")))
}

/// A job's progress; with `wait=MS`, once it ends or after MS milliseconds (at most 30
/// seconds), so that the page polls without hurrying.
fn job(shared: &Shared, id: Option<&str>, wait: Option<&str>) -> Outcome {
    let job = job_of(shared, id)?;
    let wait = match wait {
        None => None,
        Some(ms) => Some(
            ms.parse::<u64>()
                .map_err(|_| bad(format!("expected ?wait= milliseconds, found \"{}\"", ms.escape_debug())))?
                .min(30_000),
        ),
    };
    Ok(job.status(wait.map(Duration::from_millis)))
}

fn cancel(shared: &Shared, body: &Value) -> Outcome {
    let id = body.get("job").map(|v| v.to_string());
    let job = job_of(shared, id.as_deref())?;
    job.cancel.cancel();
    Ok(json!({"cancelled": true}))
}

/// Writes a results directory's report (and charts and workbook) in a language.
fn export(shared: &Shared, body: &Value) -> Outcome {
    let dir = text_field(body, "dir")?;
    let lang = Lang::parse(body.get("lang").and_then(Value::as_str).unwrap_or("en")).map_err(bad)?;
    let path = paths::confine(&shared.root, dir).map_err(bad)?;
    let report = crate::report::report(&path, lang).map_err(|e| bad(e.to_string()))?;
    // Writing the report writes the workbook too.
    let workbook = crate::workbook::workbook_path(&path, lang);
    Ok(json!({
        "report": desk::relative(&shared.root, &report),
        "workbook": workbook.is_file().then(|| desk::relative(&shared.root, &workbook)),
    }))
}

/// A file under the working directory: charts, reports and result files only.
fn file(shared: &Shared, rel: &str) -> Answer {
    let path = match paths::confine(&shared.root, rel) {
        Ok(p) => p,
        Err(e) => return Answer::error(400, e),
    };
    let content_type = match Path::new(rel).extension().and_then(|e| e.to_str()) {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("toml") => "text/plain; charset=utf-8",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => {
            return Answer::error(
                400,
                format!("{rel}: expected a chart, report or result file (svg, png, html, json, csv, toml, xlsx)"),
            )
        }
    };
    match std::fs::read(&path) {
        Ok(body) => Answer {
            status: 200,
            content_type,
            body,
        },
        Err(e) => Answer::error(404, format!("{rel}: cannot read it: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_decode() {
        let (path, params) = split_url("/api/file?path=studio-results%2Fa%20b.svg&x=%zz+1");
        assert_eq!(path, "/api/file");
        assert_eq!(params[0], ("path".to_string(), "studio-results/a b.svg".to_string()));
        assert_eq!(params[1], ("x".to_string(), "%zz 1".to_string()));
        assert_eq!(decode("%e5%a4%a7"), "大");
        assert_eq!(decode("%4"), "%4");
    }
}
